"""The values that flow through the pipeline, shared by every stage.

Each stage takes and returns these plain immutable records, so a stage can be tested
alone and replaced without touching the rest.  They are NamedTuples: built by the hundred
thousand in a sync or a recompute, cheap to make, and every command starts without the
cost of generating dataclass methods (`outreach lint` runs before each send).
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import NamedTuple


class Address(NamedTuple):
    """One mailbox: address lower-cased, display name decoded (may be empty)."""

    address: str
    name: str = ""


class Message(NamedTuple):
    """One parsed mail message, ready to store.

    ``key`` identifies the message across folders and sources: the Message-ID
    when present, else a hash of the fields that survive copying.
    """

    key: str
    message_id: str | None
    folder: str
    date: datetime | None  # UTC; None when missing or unparseable
    date_problem: str | None  # "missing" | "unparseable" | None
    sender: Address | None
    to: Sequence[Address] = ()
    cc: Sequence[Address] = ()
    bcc: Sequence[Address] = ()  # only on the sender's own copies
    subject: str = ""
    in_reply_to: str | None = None
    references: Sequence[str] = ()
    text: str = ""  # body text, quoted replies and signatures stripped
    automated: str | None = None  # why it is automated ("list-id", "no-reply", ...), else None
    uid: int | None = None  # IMAP UID when read from IMAP

    @property
    def thread_id(self) -> str:
        """The root of the thread: first Reference, else In-Reply-To, else itself."""
        if self.references:
            return self.references[0]
        return self.in_reply_to or self.key


class Act(NamedTuple):
    """Something a message does, with the sentence that shows it.

    kind: "ask" | "give" | "thanks" | "introduction"
    subtype: for ask: money, time, review, intro, job, advice;
             for give: offer, intro, resource, congrats; else "".
    """

    kind: str
    subtype: str
    sentence: str
    amount: float | None = None  # money asked or given, in the currency's units
    minutes: int | None = None  # time asked or given
    person: str | None = None  # a third person named (introductions)


class RawMessage(NamedTuple):
    """Bytes of one message as a source found it.

    ``item`` is the source's stable name for it (a Maildir unique name, an
    mbox offset, an IMAP UID) recorded as seen once the message is stored.
    """

    folder: str
    item: str
    data: bytes
    uid: int | None = None
    scope: str = ""  # where ``item`` is recorded as seen; "" when a Checkpoint covers it


def _nothing_stored(scope: str) -> set[str]:
    return set()


class Cursor(NamedTuple):
    """Where a source's earlier runs got to: what its ``scan`` receives.

    ``values`` holds, per scope, the value of the last ``Checkpoint`` committed; the
    source hands back new values as Checkpoints.  ``stored`` names the items already
    stored under a scope (Maildir and .eml file names): it is asked only for a
    directory that changed, so a no-change run never loads them.
    """

    values: Mapping[str, str] = MappingProxyType({})
    stored: Callable[[str], set[str]] = _nothing_stored


class Checkpoint(NamedTuple):
    """A cursor value a source wants saved once everything before it is stored."""

    scope: str  # e.g. "maildir:/path/cur", "imap:user@host/INBOX"
    value: str  # opaque to the store (JSON by convention)


class Unreadable(NamedTuple):
    """A message a source could not even read (I/O error, vanished file)."""

    folder: str
    item: str
    reason: str
    scope: str = ""


class Ignored(NamedTuple):
    """A file a source passed over because it is not mail (an export's index, a licence)."""

    item: str
    scope: str = ""


class Contact(NamedTuple):
    """One person's figures as computed from the mail and cached: none of them depends on "now".

    ``outreach.network.contacts`` turns them into a ``ContactSummary`` at a given moment.
    """

    address: str  # canonical (merged aliases point here)
    name: str
    base: float  # decayed interaction sum, relative to ties.EPOCH
    sent: int  # messages the user sent them
    received: int  # messages they sent the user
    replies: int  # answers either way
    first: int | None  # Unix seconds of the first and latest interaction
    last: int | None
    last_subject: str
    cadence: float | None  # learned median gap in days; None with too few
    balance: float  # favours given minus asked/received, by size
    given: int
    favours_received: int
    asks_since_give: int
    latest: Mapping[str, Act] = MappingProxyType({})  # "asked", "gave", "my_ask", "my_give": the latest act


class RecipientContext(NamedTuple):
    """What the store knows about a draft's recipient, for the linter.

    ``strength`` is normalised to 0..1 (1 = the user's strongest tie).
    """

    address: str
    known: bool = False
    strength: float = 0.0
    cold: bool = False
    asks_since_last_give: int = 0  # asks the user made of them since the user last gave
    given: int = 0  # favours the user has done them, ever
    referrer_name: str | None = None  # who introduced the user to them
    referrer_address: str | None = None
    wrote_since_introduction: bool = False  # the user has written to them since that introduction

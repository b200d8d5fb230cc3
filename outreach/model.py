"""The values that flow through the pipeline, shared by every stage.

Each stage takes and returns these plain dataclasses, so a stage can be tested
alone and replaced without touching the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox: address lower-cased, display name decoded (may be empty)."""

    address: str
    name: str = ""


@dataclass(slots=True)
class Message:
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
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    bcc: list[Address] = field(default_factory=list)  # only on the sender's own copies
    subject: str = ""
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    text: str = ""  # body text, quoted replies and signatures stripped
    automated: str | None = None  # why it is automated ("list-id", "no-reply", ...), else None
    uid: int | None = None  # IMAP UID when read from IMAP

    @property
    def thread_id(self) -> str:
        """The root of the thread: first Reference, else In-Reply-To, else itself."""
        if self.references:
            return self.references[0]
        return self.in_reply_to or self.key


@dataclass(frozen=True, slots=True)
class Act:
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


@dataclass(frozen=True, slots=True)
class RawMessage:
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


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a source's earlier runs got to: what its ``scan`` receives.

    ``values`` holds, per scope, the value of the last ``Checkpoint`` committed; the
    source hands back new values as Checkpoints.  ``stored`` names the items already
    stored under a scope (Maildir and .eml file names): it is asked only for a
    directory that changed, so a no-change run never loads them.
    """

    values: Mapping[str, str] = field(default_factory=dict)
    stored: Callable[[str], set[str]] = _nothing_stored


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A cursor value a source wants saved once everything before it is stored."""

    scope: str  # e.g. "maildir:/path/cur", "imap:user@host/INBOX"
    value: str  # opaque to the store (JSON by convention)


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A message a source could not even read (I/O error, vanished file)."""

    folder: str
    item: str
    reason: str
    scope: str = ""


@dataclass(frozen=True, slots=True)
class Ignored:
    """A file a source passed over because it is not mail (an export's index, a licence)."""

    item: str
    scope: str = ""


@dataclass(slots=True)
class Contact:
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
    latest: dict[str, Act] = field(default_factory=dict)  # "asked", "gave", "my_ask", "my_give": the latest act


@dataclass(frozen=True, slots=True)
class RecipientContext:
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

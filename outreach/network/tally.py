"""Fold rows of personal mail into per-contact tallies, introductions and referral status.

Pure computation: rows in (as ``Store.personal_rows`` reads them), values out;
nothing here queries the store.  ``cache`` decides what to read and stores the
results.  No message bodies are involved, only headers, recipients and acts.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from outreach.network.ledger import INTRODUCTION, THANKS, ActRow, ActType, Ledger, MessageFacts, act_type
from outreach.network.roles import is_role_address
from outreach.network.ties import Params, message_weigher, reply_factor
from outreach.store.mail import decode_act, split_acts
from outreach.store.network import ReferralRow, ReferralStatus

# Whose act it is.  A received message's acts are the sender's acts toward the user only
# when the user is a direct recipient: named in To or in Cc.  A copy the user was not
# named on (Bcc only, "undisclosed recipients", a group or list address) still counts
# as mail from the sender, but what it asks, gives or thanks for is addressed to the
# people it names.  (Mail that list software sent is not personal mail at all: see
# parse._automated.)  The user's own mail counts toward every recipient, Bcc too.
DIRECT_ROLES = ("to", "cc")


class Tally:
    """Everything gathered about one contact while reading the rows."""

    __slots__ = ("address", "name", "base", "dates", "sent_dates", "threads", "sent", "received", "replies", "last",
                 "last_message", "messages", "ledger")  # fmt: skip

    def __init__(self, address: str):
        self.address = address
        self.name = ""
        self.base = 0.0
        self.dates: list[int] = []
        self.sent_dates: list[int] = []
        self.threads: dict[str, int] = {}  # conversation -> when it started
        self.sent = 0
        self.received = 0
        self.replies = 0
        self.last = -(2**62)  # the latest interaction's date
        self.last_message = 0  # ... and its messages.id
        self.messages: list[MessageFacts] = []  # their messages that carry acts
        self.ledger = _NO_LEDGER


class Introduction(NamedTuple):
    """``referrer`` introduced the user to ``person``, by the act ``act``."""

    referrer: str
    person: str | None  # the contact introduced, None when no recipient matched
    name_on_message: str  # the person's name on the introduction's To/Cc
    name_in_text: str  # ... and as the introduction's text has it
    act: ActRow


def tally(
    received: Iterable[tuple],
    sent: Iterable[tuple],
    direct: Collection[int],
    me: frozenset[str],
    aliases: dict[str, str],
    params: Params,
) -> Tallies:
    """Fold rows into per-contact accumulators (introductions: ``Tallies.introduce``).

    ``received`` and ``sent`` are the rows of ``PersonalRows.received`` and ``.sent``,
    read in one snapshot; ``direct`` the received messages the user is a direct
    recipient of (``PersonalRows.addressed_to_me(DIRECT_ROLES)``): only their acts count.

    The loops are the hot path of a full recompute (100k messages, 200k acts):
    rows are streamed and unpacked into locals, lookups memoised, each message's
    weight is computed once, not once per recipient, and each distinct acts
    column is decoded once and its ``MessageFacts`` shared by every contact on
    the message.  (The loops repeat a few lines rather than call a helper per row.)
    """
    people = _People(me, aliases)
    person = people.person
    accs: dict[str, Tally] = {}
    tallies: dict[str | None, Tally | None] = {}  # raw address -> its contact's Tally, None when not a person

    def tally_of(address: str) -> Tally | None:
        contact = person(address)
        found = None
        if contact is not None:
            found = accs.get(contact)
            if found is None:
                found = accs[contact] = Tally(contact)
        tallies[address] = found
        return found

    weigh = message_weigher(params)
    decoded = _ActTexts(params)
    # MessageFacts built by tuple.__new__: the same value, without the Python-level __new__ a
    # NamedTuple call runs (measured: 0.7 instead of 1.2 us each, 75k of them in a full recompute)
    facts = tuple.__new__
    pending: list[MessageFacts] = []  # received messages with an introduction
    thread_thanks: dict[str, list[int]] = defaultdict(list)

    # received: the sender wrote to the user
    for mid, date, sender, name, audience, thread, answered, latency, acts in received:
        a = tallies.get(sender, _UNSET)
        if a is _UNSET:
            a = tally_of(sender)
        if a is None:
            continue
        if acts is not None and mid in direct:
            types, _, introduces = decoded[acts]
            fact = facts(MessageFacts, (date or 0, mid, thread, False, date, a.address, types))
            a.messages.append(fact)
            if introduces:
                pending.append(fact)
        a.received += 1
        if date is None:  # it happened, but when is unknown: counted, not weighed
            a.name = a.name or name
            continue
        weight = weigh(date, False, audience)
        if answered:  # they answered the user
            a.replies += 1
            weight *= reply_factor(latency, params)
        a.base += weight
        a.dates.append(date)
        if a.threads.get(thread, date) >= date:
            a.threads[thread] = date
        if date >= a.last:
            a.last, a.last_message = date, mid
            a.name = name or a.name

    # sent: the user wrote to each recipient; rows come one per recipient
    last_mid, weight, answered_by, fact = None, 0.0, None, None
    for mid, date, audience, thread, address, name, answered, latency, parent_sender, acts in sent:
        if mid != last_mid:
            last_mid = mid
            if date is not None:
                weight = weigh(date, True, audience)
            answered_by = person(parent_sender) if answered else None
            fact = None
            if acts is not None:
                types, thanks, _ = decoded[acts]
                fact = facts(MessageFacts, (date or 0, mid, thread, True, date, None, types))
                if date is not None and thanks:
                    thread_thanks[thread].append(date)
        a = tallies.get(address, _UNSET)
        if a is _UNSET:
            a = tally_of(address)
        if a is None:
            continue
        if fact is not None:
            a.messages.append(fact)  # twice for an alias and its contact on one message: the ledger skips repeats
        a.sent += 1
        if date is None:
            a.name = a.name or name
            continue
        if answered_by is not None and a.address == answered_by:  # the user answered this recipient
            a.replies += 1
            a.base += weight * reply_factor(latency, params)
        else:
            a.base += weight
        a.dates.append(date)
        a.sent_dates.append(date)
        if a.threads.get(thread, date) >= date:
            a.threads[thread] = date
        if date >= a.last:
            a.last, a.last_message = date, mid
            a.name = name or a.name

    return Tallies(accs, thread_thanks, pending, people)


class _People:
    """Raw address -> the contact it belongs to (aliases merged), None when not a person; memoised."""

    def __init__(self, me: frozenset[str], aliases: dict[str, str]):
        self.me = me
        self.aliases = aliases
        self.known: dict[str | None, str | None] = {}

    def person(self, address: str | None) -> str | None:
        found = self.known.get(address, _UNSET)
        if found is _UNSET:
            canonical = self.aliases.get(address, address) if address else None
            ok = canonical and canonical not in self.me and address not in self.me and not is_role_address(address)
            found = self.known[address] = canonical if ok else None
        return found


class Decoded(NamedTuple):
    """A messages.acts value, decoded: its acts, and whether one is a thanks or an introduction."""

    types: tuple[ActType, ...]
    thanks: bool
    introduces: bool


class _ActTypes(dict):
    """One act's text (an item of split_acts) -> its ``ActType``; filled on first use."""

    def __init__(self, params: Params):
        super().__init__()
        self.params = params

    def __missing__(self, text: str) -> ActType:
        value = self[text] = act_type(decode_act(text), self.params)
        return value


class _ActTexts(dict):
    """messages.acts text -> its ``Decoded``.

    Filled on first use (``__missing__``), so a lookup is one dict access: the same
    words, amounts and names recur, and a recompute decodes each combination, and
    each act, once.  (100k messages: 75k acts columns, 16k distinct, of 9 distinct acts.)
    """

    def __init__(self, params: Params):
        super().__init__()
        self.types = _ActTypes(params)

    def __missing__(self, column: str) -> Decoded:
        found = tuple(map(self.types.__getitem__, split_acts(column)))
        codes = set(map(_code, found))
        value = self[column] = Decoded(found, THANKS in codes, INTRODUCTION in codes)
        return value


_code = attrgetter("code")


@dataclass
class Tallies:
    accs: dict[str, Tally]
    thread_thanks: dict[str, list[int]]  # dates of the user's thanks, by thread
    pending: list[MessageFacts]  # received messages with an introduction, not yet resolved
    people: _People
    intros: list[Introduction] = field(default_factory=list)
    evidence: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)  # act -> sentence, subject

    def introduction_messages(self) -> list[int]:
        """The messages whose recipients ``introduce`` needs."""
        return sorted({fact.message for fact in self.pending})

    def introduce(self, recipients: Iterable[tuple[int, str, str]]) -> None:
        """Resolve the introductions found, given (message, address, name) of their messages' recipients."""
        on: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for message, address, name in recipients:
            on[message].append((address, name))
        person = self.people.person
        introduced_by: set[tuple[int, str]] = set()
        for fact in sorted(self.pending, key=attrgetter("message")):  # in the order stored
            for position in (i for i, t in enumerate(fact.acts) if t.code == INTRODUCTION):
                named = fact.acts[position].act.person
                introduced, name = resolve(named, on.get(fact.message, ()), person, fact.sender)
                if introduced is not None and introduced not in self.accs:
                    self.accs[introduced] = Tally(introduced)  # someone introduced is a contact, before any mail
                key = introduced or name or named or ""
                if (fact.message, key) not in introduced_by:  # "A, meet B" + "B, meet A" is one introduction
                    introduced_by.add((fact.message, key))
                    self.intros.append(Introduction(fact.sender, introduced, name, named or "",
                                                    ActRow.of(fact, position)))  # fmt: skip
        self.pending = []

    def referral_rows(self, lookup: ReferralFacts, referrers: Collection[str] | None = None) -> list[ReferralRow]:
        """Referral cache rows (of the given referrers only, when named), in the order stored.

        The person's name is as on the introduction's To/Cc, else the contact's
        name, else as the introduction's text has it.
        """
        rows = []
        for intro in self.intros:
            referrer, person, act = intro.referrer, intro.person, intro.act
            if referrers is not None and referrer not in referrers:
                continue
            status = referral_status(referrer, person, act.message, act.date, act.thread, lookup)
            sentence, subject = self.evidence.get(act.key, ("", ""))
            known = self.accs[person].name if person in self.accs else ""
            rows.append(ReferralRow(referrer, self.accs[referrer].name, person,
                                    intro.name_on_message or known or intro.name_in_text, act.date, act.message,
                                    subject, sentence, status.thanked, status.met, status.updated))  # fmt: skip
        return rows


_UNSET = object()
_NO_LEDGER = Ledger([], 0.0, 0, 0, 0, {})


def resolve(
    named: str | None, candidates: Iterable[tuple[str, str]], person: Callable[[str | None], str | None], referrer: str
) -> tuple[str | None, str]:
    """Match an introduction's named person to one of the message's recipients."""
    pool: dict[str, str] = {}
    for address, name in candidates:
        contact = person(address)
        if contact is not None and contact != referrer:
            pool.setdefault(contact, name)
    if not pool:
        return None, ""
    if named:
        wanted = named.strip().lower()
        first = wanted.split()[0] if wanted.split() else wanted
        tests = (
            lambda a, n: n.lower() == wanted,
            lambda a, n: n.lower().split()[:1] == [first],
            lambda a, n: first in a.split("@")[0],
        )
        for test in tests:
            hits = [(a, n) for a, n in pool.items() if test(a, n)]
            if len(hits) == 1:
                return hits[0]
    if len(pool) == 1:
        return next(iter(pool.items()))
    return None, ""


def referral_status(
    referrer: str, person: str | None, message: int, date: int | None, thread: str, lookup: ReferralFacts
) -> ReferralStatus:
    """What the user has done since the introduction ``message`` (on ``date``, in ``thread``)."""
    since = date or 0
    thanked = lookup.thanked(referrer, since, thread)
    met = lookup.first_exchange(person, since, message) if person else None
    updated = met is not None and lookup.wrote_after(referrer, met)
    return ReferralStatus(int(thanked), met, int(updated))


class ReferralFacts:
    """What the user did after an introduction, from the tallies in memory.

    Right for every contact whose mail was all folded (everyone, in a full
    recompute); ``rebuild.StoredReferralFacts`` asks the store about the others.
    """

    def __init__(self, computed: Tallies):
        self.computed = computed
        self._sorted: dict[str, list[int]] = {}

    def thanked(self, referrer: str, since: int, thread: str) -> bool:
        """The user sent a thanks, to the referrer or in the introduction's thread, at or after ``since``."""
        if any(d >= since for d in self.computed.thread_thanks.get(thread, ())):
            return True
        return self.thanked_directly(referrer, since)

    def thanked_directly(self, referrer: str, since: int) -> bool:
        """The user sent the referrer a thanks at or after ``since``."""
        return any(
            fact.sent and fact.date is not None and fact.date >= since and any(t.code == THANKS for t in fact.acts)
            for fact in self.computed.accs[referrer].messages
        )

    def first_exchange(self, person: str, since: int, message: int) -> int | None:
        """The first message between the user and ``person`` at or after ``since``."""
        dates = self._sorted.get(person)
        if dates is None:
            found = self.computed.accs.get(person)
            dates = self._sorted[person] = sorted(found.dates) if found else []
        at = bisect_left(dates, since)
        return dates[at] if at < len(dates) else None

    def wrote_after(self, referrer: str, after: int) -> bool:
        """The user wrote to the referrer after ``after``."""
        return any(d > after for d in self.computed.accs[referrer].sent_dates)

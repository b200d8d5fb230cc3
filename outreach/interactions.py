"""Fold stored rows of personal mail into per-contact tallies and introductions.

Pure computation over ``Store.rel_rows`` (plus, for referral status during an
incremental refresh, a few indexed store queries): ``relationships`` decides what
to load and caches the results.  Nothing here reads message bodies.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from outreach.ledger import THANKS, ActRow, Acts, ActType, Ledger, act_type
from outreach.roles import is_role_address
from outreach.store import PersonalMail, RelRows, Store
from outreach.ties import Params, message_weigher, reply_factor


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
        self.messages: list[tuple] = []  # MessageFacts of their messages that carry acts
        self.ledger = _NO_LEDGER


def tally(rows: RelRows, me: frozenset[str], aliases: dict[str, str], params: Params) -> Tallies:
    """Fold rows into per-contact accumulators and the introductions found.

    The loops are the hot path of a full recompute (100k messages, 200k acts):
    rows are streamed, lookups memoised, each message's weight is computed once,
    not once per recipient, and each act is read once and shared, as an
    ``ActType``, by every contact on its message.  (The loops repeat a few lines
    rather than call a helper per row.)
    """
    people: dict[str | None, str | None] = {}  # raw address -> canonical contact, None when not a person

    def person(address: str | None) -> str | None:
        found = people.get(address, _UNSET)
        if found is _UNSET:
            canonical = aliases.get(address, address) if address else None
            ok = canonical and canonical not in me and address not in me and not is_role_address(address)
            found = people[address] = canonical if ok else None
        return found

    accs: dict[str, Tally] = {}

    def acc(address: str) -> Tally:
        found = accs.get(address)
        if found is None:
            found = accs[address] = Tally(address)
        return found

    tallies: dict[str, Tally | None] = {}  # raw address -> its contact's Tally, None when not a person

    def tally_of(address: str) -> Tally | None:
        contact = person(address)
        found = tallies[address] = acc(contact) if contact is not None else None
        return found

    # acts first, so the message loops know which messages carry some
    acts, thanks, intro_acts = _read_acts(rows, params)
    introductions = {mid for _, mid, _ in intro_acts}

    weigh = message_weigher(params)
    facts: dict[int, tuple] = {}  # received message with an introduction -> its MessageFacts
    thread_thanks: dict[str, list[int]] = defaultdict(list)

    # received: the sender wrote to the user
    for mid, date, sender, name, audience, thread, answered, latency in rows.received():
        a = tallies.get(sender, _UNSET)
        if a is _UNSET:
            a = tally_of(sender)
        if a is None:
            continue
        if mid in acts:
            fact = (date or 0, mid, thread, False, date, a.address)  # a MessageFacts
            a.messages.append(fact)
            if mid in introductions:
                facts[mid] = fact
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
    for mid, date, audience, thread, address, name, answered, latency, parent_sender in rows.sent():
        if mid != last_mid:
            last_mid = mid
            if date is not None:
                weight = weigh(date, True, audience)
            answered_by = person(parent_sender) if answered else None
            fact = None
            if mid in acts:
                fact = (date or 0, mid, thread, True, date, None)
                if date is not None and mid in thanks:
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

    intros: list[tuple[str, str | None, str, ActRow]] = []
    if intro_acts:
        recipients: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for message, address, name in rows.intro_recipients():
            recipients[message].append((address, name))
        introduced_by: set[tuple[int, str]] = set()
        for act_id, mid, typ in intro_acts:
            fact = facts.get(mid)
            if fact is None:  # not loaded, sent by the user, or not from a contact
                continue
            sender = fact[5]
            introduced, name = resolve(typ.person, recipients.get(mid, ()), person, sender)
            if introduced is not None:
                known = acc(introduced)  # someone introduced is a contact, even before any mail with them
                name = name or known.name
            name = name or (typ.person or "")
            if (mid, introduced or name) not in introduced_by:  # "A, meet B" + "B, meet A" is one introduction
                introduced_by.add((mid, introduced or name))
                intros.append((sender, introduced, name, ActRow.of(fact, act_id, typ)))

    return Tallies(accs, acts, intros, thread_thanks)


def _read_acts(rows: RelRows, params: Params) -> tuple[Acts, set[int], list[tuple[int, int, ActType]]]:
    """The acts by message (see ledger.Acts), the messages with a thanks, and the introductions
    (act id, message, type) in id order.  One pass, a few operations per act: a recompute reads 200k."""
    acts: dict[int, tuple[Sequence[int], list[ActType]]] = {}
    types: dict[tuple, ActType] = {}  # the same words, amounts and names recur: one ActType each
    thanks: set[int] = set()
    intro_acts: list[tuple[int, int, ActType]] = []
    last_mid, first, last, found = None, 0, 0, []
    for mid, act_id, kind, subtype, amount, minutes, named in rows.acts():  # in id order
        typ = types.get(key := (kind, subtype, amount, minutes, named))
        if typ is None:
            typ = types[key] = act_type(kind, subtype, amount, minutes, named, params)
        if mid != last_mid or act_id != last + 1:
            if last_mid is not None:
                _add_acts(acts, last_mid, range(first, last + 1), found)
            last_mid, first, found = mid, act_id, [typ]
        else:
            found.append(typ)
        last = act_id
        if kind == "thanks":
            thanks.add(mid)
        elif kind == "introduction":
            intro_acts.append((act_id, mid, typ))
    if last_mid is not None:
        _add_acts(acts, last_mid, range(first, last + 1), found)
    return acts, thanks, intro_acts


def _add_acts(acts: dict, mid: int, ids: range, types: list[ActType]) -> None:
    if mid in acts:  # a message whose acts do not have consecutive ids (never so from write_batch)
        earlier_ids, earlier = acts[mid]
        ids, types = (*earlier_ids, *ids), [*earlier, *types]
    acts[mid] = (ids, types)


@dataclass
class Tallies:
    accs: dict[str, Tally]
    acts: Acts  # message id -> its acts (ids, types), for Tally.messages
    intros: list[tuple[str, str | None, str, ActRow]]  # referrer, person, person's name, the act
    thread_thanks: dict[str, list[int]]  # dates of the user's thanks, by thread
    evidence: dict[int, tuple[str, str]] = field(default_factory=dict)  # act id -> sentence, subject

    def referral_rows(self, lookup: ReferralFacts, referrers: Collection[str] | None = None) -> list[tuple]:
        """Referral cache rows (of the given referrers only, when named)."""
        rows = []
        for referrer, person, name, act in self.intros:
            if referrers is not None and referrer not in referrers:
                continue
            thanked, met, updated = referral_status(referrer, person, act.message, act.date, act.thread, lookup)
            sentence, subject = self.evidence.get(act.act_id, ("", ""))
            rows.append((referrer, self.accs[referrer].name, person, name, act.date, act.message, subject,
                         sentence, thanked, met, updated))  # fmt: skip
        return rows


_UNSET = object()
_NO_LEDGER = Ledger([], 0.0, 0, 0, 0, {})


def resolve(
    named: str | None, candidates: Iterable[tuple[str, str]], person, referrer: str
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
) -> tuple[int, int | None, int]:
    """(thanked, met, updated) of one referral: what the user has done since the introduction."""
    since = date or 0
    thanked = lookup.thanked(referrer, since, thread)
    met = lookup.first_exchange(person, since, message) if person else None
    updated = met is not None and lookup.wrote_after(referrer, met)
    return int(thanked), met, int(updated)


@dataclass
class ReferralFacts:
    """Facts a referral's status needs: from memory for contacts whose rows were all loaded
    (everyone in a full recompute), else from the store with a few indexed queries."""

    computed: Tallies
    store: Store | None = None  # None: everything is in memory
    loaded: Collection[str] = ()  # contacts whose messages were all loaded
    aliases: dict[str, str] = field(default_factory=dict)
    # (introduction message, person) -> first exchange, cached for people outside ``loaded``: their
    # messages have not changed since, so neither has that date
    meetings: dict[tuple[int, str], int | None] = field(default_factory=dict)
    mail: PersonalMail = field(default_factory=PersonalMail)
    _sorted: dict[str, list[int]] = field(default_factory=dict)

    def _in_memory(self, contact: str) -> bool:
        return self.store is None or contact in self.loaded

    def _addresses(self, contact: str) -> list[str]:
        return [contact, *(a for a, c in self.aliases.items() if c == contact)]

    def thanked(self, referrer: str, since: int, thread: str) -> bool:
        """The user sent a thanks, to the referrer or in the introduction's thread, at or after ``since``."""
        if self.store is None:
            in_thread = any(d >= since for d in self.computed.thread_thanks.get(thread, ()))
        else:  # the thread's other messages may not have been loaded
            in_thread = self.store.rel_thanked_in_thread(self.mail, thread, since)
        if in_thread:
            return True
        if not self._in_memory(referrer):
            return self.store.rel_thanked(self.mail, self._addresses(referrer), since)
        acts = self.computed.acts
        return any(
            fact[3] and fact[4] is not None and fact[4] >= since and any(t.code == THANKS for t in acts[fact[1]][1])
            for fact in self.computed.accs[referrer].messages
        )

    def first_exchange(self, person: str, since: int, message: int) -> int | None:
        """The first message between the user and ``person`` at or after ``since``."""
        if not self._in_memory(person):
            if (message, person) in self.meetings:
                return self.meetings[message, person]
            return self.store.rel_first_exchange(self.mail, self._addresses(person), since)
        dates = self._sorted.get(person)
        if dates is None:
            found = self.computed.accs.get(person)
            dates = self._sorted[person] = sorted(found.dates) if found else []
        at = bisect_left(dates, since)
        return dates[at] if at < len(dates) else None

    def wrote_after(self, referrer: str, after: int) -> bool:
        """The user wrote to the referrer after ``after``."""
        if not self._in_memory(referrer):
            return self.store.rel_wrote_after(self.mail, self._addresses(referrer), after)
        return any(d > after for d in self.computed.accs[referrer].sent_dates)

"""Contacts, tie strength, cadence, the favour ledger and referrals, from the store.

Two paths share one computation (``interactions.tally``):

* ``recompute(store)`` reads all personal mail in a few queries and rebuilds the
  cache tables (``contact_cache``, ``referral_cache``); a large mailbox is split
  by contact into parts folded in parallel processes;
* ``refresh(store, touched)`` recomputes only the contacts a new batch touched,
  reading just their messages; the status of referrals that involve them is
  re-checked with a few indexed queries.

Cached figures do not depend on "now" (strength is cached relative to a fixed
epoch, see ``ties``), so every read can take an injected ``now`` and only cold /
days-since are worked out at read time.  Reads call ``ensure_fresh`` first: a
changed model, identity or role vocabulary rebuilds everything, and messages
stored since the last refresh are folded in incrementally.

Nothing here reads message bodies: only headers, recipients and stored acts.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import time
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter

from outreach.model import RecipientContext
from outreach.network.ledger import Ledger, LedgerEntry, build_ledger
from outreach.network.roles import VOCABULARY, draft_folders, is_role_address
from outreach.network.tally import ReferralFacts, Tallies, Tally, named_referrals, referral_status, tally
from outreach.network.ties import (
    DAY,
    DEFAULT,
    Params,
    cold_after_days,
    learned_cadence,
    strength_at,
)
from outreach.store.db import Store
from outreach.store.network import PersonalMail

_FINGERPRINT = "relationships.fingerprint"
_LAST_ID = "relationships.last_message_id"
_SCHEMA = 2  # the migration that made the cache tables; a writable store is always migrated to the last
_FULL_ABOVE = 500  # refresh more contacts than this (and a quarter of all) by a full recompute
_SPLIT_ABOVE = 20_000  # stored messages; below, starting a process costs more than it saves
_HEAD_START = 0.25  # part 0's extra share in a split recompute (see _owner)

log = logging.getLogger(__name__)

Now = datetime | int | float | None


# -- public values --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActNote:
    """The latest act of one kind in one direction, for templates and summaries."""

    date: datetime | None
    kind: str
    subtype: str
    sentence: str
    subject: str
    amount: float | None = None
    minutes: int | None = None


@dataclass(frozen=True, slots=True)
class Referral:
    """``referrer`` introduced the user to ``person`` (by the message with ``subject``)."""

    referrer: str
    referrer_name: str
    person: str | None  # address, None when the name matched no recipient
    person_name: str
    date: datetime | None
    subject: str
    sentence: str
    thanked: bool  # the user thanked the referrer since
    met: datetime | None  # the user's first exchange with the person since
    updated: bool  # the user wrote to the referrer after that exchange

    @property
    def owed(self) -> str | None:
        """What the user still owes the referrer: 'thanks', 'update' (close the loop) or None."""
        if not self.thanked:
            return "thanks"
        if self.met is not None and not self.updated:
            return "update"
        return None


@dataclass(frozen=True, slots=True)
class ContactSummary:
    address: str
    name: str
    tags: list[str]
    strength: float  # decayed interaction sum at ``now``
    strength_norm: float  # 0..1, 1 = the user's strongest tie
    sent: int  # messages the user sent them
    received: int  # messages they sent the user
    replies: int  # answers either way (reciprocity)
    first: datetime | None
    last: datetime | None  # last interaction of any kind
    days_since: float | None
    cadence_days: float  # the cadence in force (learned, default or override)
    cadence_source: str  # "learned" | "default" | "contact" | "tag:NAME"
    cold_after_days: float
    cold: bool
    balance: float  # favours given minus asked/received, by size
    owed: bool  # they gave more than they got (balance < 0)
    given: int
    favours_received: int
    asks_since_give: int
    last_subject: str
    referrers: list[Referral]  # who introduced the user to this contact
    referrals: list[Referral]  # whom this contact introduced the user to
    last_asked: ActNote | None  # their latest ask of the user
    last_gave: ActNote | None  # their latest favour (give or introduction)
    my_last_ask: ActNote | None
    my_last_give: ActNote | None

    @property
    def unthanked_referrals(self) -> list[Referral]:
        return [r for r in self.referrals if r.owed == "thanks"]

    def as_row(self) -> dict[str, object]:
        """Flat, JSON-safe figures for listings."""
        return {
            "address": self.address,
            "name": self.name,
            "tags": ",".join(self.tags),
            "strength": round(self.strength_norm, 3),
            "strength_raw": round(self.strength, 4),
            "sent": self.sent,
            "received": self.received,
            "replies": self.replies,
            "last": _iso(self.last),
            "days_since": None if self.days_since is None else round(self.days_since),
            "cadence": round(self.cadence_days),
            "cadence_source": self.cadence_source,
            "cold": self.cold,
            "balance": self.balance,
            "owed": self.owed,
            "referrer": ",".join(r.referrer for r in self.referrers),
            "unthanked": ",".join(r.person or r.person_name for r in self.unthanked_referrals),
            "last_subject": self.last_subject,
        }


@dataclass(frozen=True, slots=True)
class ContactDetail:
    summary: ContactSummary
    ledger: list[LedgerEntry]
    aliases: list[str] = field(default_factory=list)


# -- reads ----------------------------------------------------------------------


def contacts(store: Store, now: Now = None, params: Params = DEFAULT) -> list[ContactSummary]:
    """Every contact, strongest first."""
    if not ensure_fresh(store, params):
        return []
    at = _epoch(now)
    ctx = _Context.load(store)
    result = [ctx.summary(row, at, params) for row in store.cached_contacts()]
    result.sort(key=lambda c: (-c.strength_norm, c.address))
    return result


def contact(store: Store, address: str, now: Now = None, params: Params = DEFAULT) -> ContactSummary | None:
    """One contact's summary (``address`` may be a merged alias), or None when unknown."""
    if not ensure_fresh(store, params):
        return None
    canonical = canonical_address(store, address)
    row = store.cached_contact(canonical)
    if row is None:
        return None
    return _Context.load(store, canonical).summary(row, _epoch(now), params)


def contact_detail(store: Store, address: str, now: Now = None, params: Params = DEFAULT) -> ContactDetail | None:
    """A contact's summary plus the full ledger with evidence sentences."""
    summary = contact(store, address, now, params)
    if summary is None:
        return None
    aliases = store.aliases()
    mine = [a for a, c in aliases.items() if c == summary.address]
    with store.personal_rows(_mail(params), {summary.address, *mine}) as rows:
        computed = tally(rows, store.my_addresses(), aliases, params)
    found = computed.accs.get(summary.address)
    messages = found.messages if found else []
    evidence = store.act_evidence({(fact[1], i) for fact in messages for i in range(len(fact[6]))})
    ledger = build_ledger(messages, params, evidence).entries
    return ContactDetail(summary, ledger, sorted(mine))


def recipient_context(store: Store, address: str, now: Now = None, params: Params = DEFAULT) -> RecipientContext:
    """What the linter needs to know about a draft's recipient."""
    summary = contact(store, address.strip().lower(), now, params)
    if summary is None:
        return RecipientContext(address=address)
    referrer = summary.referrers[-1] if summary.referrers else None
    return RecipientContext(
        address=summary.address,
        known=True,
        strength=summary.strength_norm,
        cold=summary.cold,
        asks_since_last_give=summary.asks_since_give,
        given=summary.given,
        referrer_name=(referrer.referrer_name or None) if referrer else None,
        referrer_address=referrer.referrer if referrer else None,
        wrote_since_introduction=referrer is not None and _wrote_since(store, summary.address, referrer, params),
    )


def _wrote_since(store: Store, address: str, referral: Referral, params: Params) -> bool:
    """The user has sent personal mail to ``address`` (or an alias of it) since ``referral``."""
    aliases = [alias for alias, canonical in store.aliases().items() if canonical == address]
    since = int(referral.date.timestamp()) if referral.date else 0
    return store.wrote_after(_mail(params), [address, *aliases], since)


def canonical_address(store: Store, address: str) -> str:
    address = address.strip().lower()
    return store.aliases().get(address, address)


# -- user edits -----------------------------------------------------------------


def merge(store: Store, keep: str, other: str, params: Params = DEFAULT) -> str:
    """Treat ``other`` as the same person as ``keep`` from now on; returns the canonical address."""
    keep = canonical_address(store, keep)
    other = other.strip().lower()
    if canonical_address(store, other) == keep:
        return keep
    store.merge_alias(keep, other)
    refresh(store, {keep, other}, params)
    return keep


def unmerge(store: Store, alias: str, params: Params = DEFAULT) -> str | None:
    """Undo a merge: ``alias`` is its own contact again; the address it was merged into, or None."""
    alias = alias.strip().lower()
    was = store.unmerge_alias(alias)
    if was is not None:
        refresh(store, {was, alias}, params)
    return was


def tag(store: Store, address: str, name: str) -> None:
    store.add_tag(canonical_address(store, address), name.strip().lower())


def untag(store: Store, address: str, name: str) -> bool:
    return store.remove_tag(canonical_address(store, address), name.strip().lower())


def set_cadence(store: Store, target: str, days: float | None) -> str:
    """Override the cadence of an address or of 'tag:NAME' (None clears it); returns the target."""
    target = target.strip().lower()
    if not target.startswith("tag:"):
        target = canonical_address(store, target)
    store.set_cadence(target, days)
    return target


# -- cache maintenance ------------------------------------------------------------


def ensure_fresh(store: Store, params: Params = DEFAULT) -> bool:
    """Rebuild when the model or identity changed; fold in messages stored since the last refresh.

    A store opened read-only (the linter's) keeps its figures as last cached.
    Returns False when there is no cache to read at all.
    """
    if store.schema_version < _SCHEMA:
        return False
    stale = store.get_meta(_FINGERPRINT) != _fingerprint(store, params)
    behind = not stale and store.last_message_id() > int(store.get_meta(_LAST_ID) or 0)
    if (stale or behind) and store.writable():
        if stale:
            recompute(store, params)
        else:
            refresh(store, (), params)
    return True


def recompute(store: Store, params: Params = DEFAULT, parts: int | None = None) -> int:
    """Rebuild every contact and referral from the whole mailbox; returns the number of contacts.

    A large mailbox is folded in ``parts`` (default: ``config.worker_processes()``
    above ``_SPLIT_ABOVE`` messages), each in its own process, this one included: the
    contacts are divided by a hash of their address and each part reads and folds
    the rows of its own contacts only.
    """
    parts = parts or _default_parts(store)
    with _bulk():
        if parts == 1:
            contact_rows, referrals, last_id = _fold_part(store, params)
        else:
            contact_rows, referrals, last_id = _fold_split(store, params, parts)
    names = {row[0]: row[1] for row in contact_rows}
    store.write_cache(
        contact_rows,
        named_referrals(referrals, names),
        scope=None,
        meta={_FINGERPRINT: _fingerprint(store, params), _LAST_ID: str(last_id)},
    )
    return len(contact_rows)


_Folded = tuple[list[tuple], list[tuple], int]  # contact cache rows, referrals, the newest message id read


def _fold_part(store: Store, params: Params, part: int = 0, parts: int = 1) -> _Folded:
    """Fold the contacts of one part (all of them when ``parts`` is 1).

    A part also returns a row for each person introduced by one of its contacts
    (someone introduced is a contact even before any mail), whichever part owns them.
    """
    aliases = store.aliases()

    def ours(address: str) -> bool:  # an address of one of this part's contacts
        return _owner(aliases.get(address, address), parts) == part

    among = ours if parts > 1 else None  # None: every row
    with store.personal_rows(_mail(params), among=among) as rows:
        computed = tally(rows, store.my_addresses(), aliases, params)
        contact_rows = _cache_rows(store, list(computed.accs.values()), computed, params)
        if among is None:
            lookup = ReferralFacts(computed)
        else:  # the people introduced may be another part's: what is not in memory is looked up
            mine = {address for address in computed.accs if _owner(address, parts) == part}
            lookup = ReferralFacts(computed, store, mine, aliases, mail=_mail(params))
        referrals = computed.referral_rows(lookup)
    return contact_rows, referrals, rows.last_message_id


def _fold_part_apart(path: str, params: Params, part: int, parts: int) -> _Folded:
    """_fold_part in a worker process, on its own connection."""
    with _bulk(), Store.open(path) as store:
        return _fold_part(store, params, part, parts)


def _fold_split(store: Store, params: Params, parts: int) -> _Folded:
    """Fold every part, in worker processes where they can be had, then merge them.

    Each part reads in a snapshot of its own; stored messages never change, so
    parts can differ only by messages stored meanwhile, and the cache records the
    newest message every part read: the next refresh folds in the rest.
    """
    results = _fold_in_processes(store, params, parts)
    for part in range(parts):
        if part not in results:  # no worker could be had for it
            results[part] = _fold_part(store, params, part, parts)
    contacts: dict[str, tuple] = {}
    for part, (rows, _, _) in sorted(results.items()):
        for row in rows:
            if _owner(row[0], parts) == part:
                contacts[row[0]] = row
            else:  # someone introduced, folded by another part: kept unless their own part has them
                contacts.setdefault(row[0], row)
    referrals = sorted((row for _, found, _ in results.values() for row in found), key=itemgetter(6))  # by message
    return list(contacts.values()), referrals, min(last for _, _, last in results.values())


def _fold_in_processes(store: Store, params: Params, parts: int) -> dict[int, _Folded]:
    """Part 0 in this process while worker processes fold the others.

    A part whose worker could not be had (no process pool on this system, a
    worker that failed to start or died) is missing from the result, with a warning.
    """
    import multiprocessing  # here: the linter reads contacts through this module, and starts fast
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        pool = ProcessPoolExecutor(parts - 1, mp_context=multiprocessing.get_context("spawn"))
    except (OSError, NotImplementedError) as exc:
        log.warning("relationships: no worker processes (%s); folding every part here", exc)
        return {}
    results: dict[int, _Folded] = {}
    others = {}
    with pool:
        try:
            for part in range(1, parts):
                others[part] = pool.submit(_fold_part_apart, str(store.path), params, part, parts)
        except (OSError, BrokenProcessPool) as exc:
            log.warning("relationships: could not start a worker (%s)", exc)
        results[0] = _fold_part(store, params, 0, parts)
        for part, future in others.items():
            try:
                results[part] = future.result()
            except (OSError, BrokenProcessPool) as exc:
                log.warning("relationships: folding part %d of %d in this process (%s)", part + 1, parts, exc)
    return results


def _default_parts(store: Store) -> int:
    if store.last_message_id() <= _SPLIT_ABOVE:
        return 1
    from outreach import config

    return config.worker_processes()


def _owner(address: str, parts: int) -> int:
    """The part that folds a contact (by canonical address) in a split recompute.

    Part 0, folded in this process, takes a larger share than the others: their
    processes start about a tenth of a second later.
    """
    if parts == 1:
        return 0
    at = zlib.crc32(address.encode()) / 2**32  # evenly spread over [0, 1)
    first = (1 + _HEAD_START) / (parts + _HEAD_START)
    if at < first:
        return 0
    return min(1 + int((at - first) / (1 - first) * (parts - 1)), parts - 1)


def refresh(store: Store, touched: Iterable[str] = (), params: Params = DEFAULT, parts: int | None = None) -> int:
    """Recompute the contacts behind ``touched`` addresses (sync calls this after each batch).

    Also folds in any message stored since the last refresh, so calling it with
    nothing, or with an incomplete set, never leaves the cache behind.  The
    referrals of a recomputed contact, either way, get their status re-checked
    with a few indexed queries.  Returns the number of contacts recomputed.
    ``parts`` is passed on to ``recompute`` when the change is big enough for one.
    """
    if store.get_meta(_FINGERPRINT) != _fingerprint(store, params):
        return recompute(store, params, parts)
    raw = {a.strip().lower() for a in touched}
    raw |= store.participants_since(_mail(params), int(store.get_meta(_LAST_ID) or 0))
    aliases = store.aliases()
    me = store.my_addresses()
    scope = {aliases.get(a, a) for a in raw if a not in me and not is_role_address(a)}
    if len(scope) > max(_FULL_ABOVE, store.contact_count() // 4):
        return recompute(store, params, parts)  # a big batch: the few whole-mailbox queries are cheaper
    load = scope | {alias for alias, canonical in aliases.items() if canonical in scope}
    with store.personal_rows(_mail(params), load) as rows:
        computed = tally(rows, me, aliases, params)
    mine = [c for address, c in computed.accs.items() if address in scope]
    contact_rows = _cache_rows(store, mine, computed, params)
    lookup = ReferralFacts(computed, store, scope, aliases, store.cached_meetings(scope), _mail(params))
    names = {address: t.name for address, t in computed.accs.items()}
    referrals = named_referrals(computed.referral_rows(lookup, scope), names)
    # referrals *of* a recomputed contact by someone outside the scope: only their status can change
    statuses = [
        (*referral_status(row["referrer"], row["person"], row["message"], row["date"], row["thread"], lookup),
         row["id"])  # fmt: skip
        for row in store.referrals_of(scope)
        if row["referrer"] not in scope
    ]
    store.write_cache(
        contact_rows,
        referrals,
        scope=scope | raw,
        meta={_LAST_ID: str(rows.last_message_id)},
        statuses=statuses,
    )
    return len(scope)


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole mailbox is folded.

    The fold allocates hundreds of thousands of tuples and lists that live until
    it ends and form no cycles; with the collector on, its full passes over them
    took a fifth of a recompute.  Whatever cycles others make meanwhile are
    collected once it is back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _mail(params: Params) -> PersonalMail:
    return PersonalMail(max_audience=params.broadcast_audience, draft_folders=draft_folders())


def _fingerprint(store: Store, params: Params) -> str:
    parts = [params.fingerprint(), ",".join(sorted(store.my_addresses())), _vocabulary_digest()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


_digest: str | None = None


def _vocabulary_digest() -> str:
    global _digest
    if _digest is None:
        _digest = hashlib.sha256(VOCABULARY.read_bytes()).hexdigest()[:16]
    return _digest


# -- the computation ------------------------------------------------------------


def _cache_rows(store: Store, accs: list[Tally], computed: Tallies, params: Params) -> list[tuple]:
    """Contact cache rows; the few sentences and subjects they show are read here."""
    for a in accs:
        if a.messages:
            a.ledger = build_ledger(a.messages, params)
    subjects = store.subjects([a.last_message for a in accs if a.last_message])
    shown = {act.key for a in accs for act in a.ledger.latest.values()}
    evidence = store.act_evidence(shown | {act.key for *_, act in computed.intros})
    computed.evidence = evidence
    return [_cache_row(a, params, subjects, evidence) for a in accs]


def _cache_row(
    t: Tally, params: Params, subjects: dict[int, str], evidence: dict[tuple[int, int], tuple[str, str]]
) -> tuple:
    """One contact_cache row (see Store.write_cache)."""
    ledger = t.ledger
    return (
        t.address,
        t.name,
        t.base,
        t.sent,
        t.received,
        t.replies,
        min(t.dates) if t.dates else None,
        t.last if t.dates else None,
        subjects.get(t.last_message, ""),
        learned_cadence(t.threads.values(), params),
        ledger.balance,
        ledger.given,
        ledger.received,
        ledger.asks_since_last_give,
        _json(_latest(ledger, evidence)) if ledger.latest else "{}",
    )


_json = json.JSONEncoder(separators=(",", ":")).encode  # one encoder for 5,000 rows, not one each


def _latest(ledger: Ledger, evidence: dict[tuple[int, int], tuple[str, str]]) -> dict[str, dict]:
    """The latest ask and give each way, for the cache (JSON)."""
    out = {}
    for key, a in ledger.latest.items():
        sentence, subject = evidence.get(a.key, ("", ""))
        out[key] = {"date": a.date, "kind": a.kind, "subtype": a.subtype, "sentence": sentence,
                    "subject": subject, "amount": a.amount, "minutes": a.minutes}  # fmt: skip
    return out


# -- assembling summaries -------------------------------------------------------


@dataclass
class _Context:
    """Per-read lookups: tags, cadence overrides, referrals, the strongest tie."""

    tags: dict[str, list[str]]
    overrides: dict[str, float]
    referrers: dict[str, list[Referral]]  # by person
    referrals: dict[str, list[Referral]]  # by referrer
    max_base: float

    @classmethod
    def load(cls, store: Store, only: str | None = None) -> _Context:
        referrers: dict[str, list[Referral]] = defaultdict(list)
        referrals: dict[str, list[Referral]] = defaultdict(list)
        if only is None:
            cached = store.cached_referrals()
        else:
            cached = store.cached_referrals(referrer=only) + store.cached_referrals(person=only)
        for row in cached:
            referral = Referral(
                referrer=row["referrer"],
                referrer_name=row["referrer_name"],
                person=row["person"],
                person_name=row["person_name"],
                date=_dt(row["date"]),
                subject=row["subject"],
                sentence=row["sentence"],
                thanked=bool(row["thanked"]),
                met=_dt(row["met"]),
                updated=bool(row["updated"]),
            )
            referrals[referral.referrer].append(referral)
            if referral.person:
                referrers[referral.person].append(referral)
        return cls(store.tags(), store.cadence_overrides(), referrers, referrals, store.max_base())

    def cadence(self, address: str, learned: float | None, params: Params) -> tuple[float, str, float]:
        """(cadence in force, where it comes from, days of silence before cold)."""
        if address in self.overrides:
            days = self.overrides[address]
            return days, "contact", cold_after_days(learned, days, params)
        tagged = [(self.overrides[f"tag:{t}"], f"tag:{t}") for t in self.tags.get(address, ()) if
                  f"tag:{t}" in self.overrides]  # fmt: skip
        if tagged:
            days, source = min(tagged)
            return days, source, cold_after_days(learned, days, params)
        if learned is not None:
            return learned, "learned", cold_after_days(learned, None, params)
        return params.default_cadence_days, "default", cold_after_days(None, None, params)

    def summary(self, row, now: int, params: Params) -> ContactSummary:
        address = row["address"]
        last = row["last"]
        days_since = (now - last) / DAY if last is not None else None
        cadence, source, cold_after = self.cadence(address, row["cadence"], params)
        latest = json.loads(row["latest"])
        return ContactSummary(
            address=address,
            name=row["name"],
            tags=self.tags.get(address, []),
            strength=strength_at(row["base"], now, params),
            strength_norm=row["base"] / self.max_base if self.max_base > 0 else 0.0,
            sent=row["sent"],
            received=row["received"],
            replies=row["replies"],
            first=_dt(row["first"]),
            last=_dt(last),
            days_since=days_since,
            cadence_days=cadence,
            cadence_source=source,
            cold_after_days=cold_after,
            cold=days_since is not None and days_since > cold_after,
            balance=row["balance"],
            owed=row["balance"] < 0,
            given=row["given"],
            favours_received=row["favours_received"],
            asks_since_give=row["asks_since_give"],
            last_subject=row["last_subject"],
            referrers=self.referrers.get(address, []),
            referrals=self.referrals.get(address, []),
            last_asked=_note(latest.get("asked")),
            last_gave=_note(latest.get("gave")),
            my_last_ask=_note(latest.get("my_ask")),
            my_last_give=_note(latest.get("my_give")),
        )


def _note(data: dict | None) -> ActNote | None:
    if not data:
        return None
    return ActNote(**{**data, "date": _dt(data["date"])})


def _epoch(now: Now) -> int:
    if now is None:
        return int(time.time())
    if isinstance(now, datetime):
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        return int(now.timestamp())
    return int(now)


def _dt(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, tz=UTC)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")

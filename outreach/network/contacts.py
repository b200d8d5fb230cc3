"""Reading the network: contacts, one contact's detail with its ledger, a draft recipient's context.

Reads never write: they show the cache as ``cache.update`` last left it (sync,
the daemon and the commands that show contacts call it first), and work out
at read time only what depends on "now" (strength decayed to ``now``,
days since, cold) and on the user's tags and cadence overrides.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from outreach.model import Act, Contact, RecipientContext
from outreach.network.freshness import personal_mail, readable
from outreach.network.ledger import LedgerEntry, build_ledger
from outreach.network.tally import DIRECT_ROLES, tally
from outreach.network.ties import DAY, DEFAULT, Params, cold_after_days, strength_at
from outreach.store.db import Store

Now = datetime | int | float | None


# -- values ---------------------------------------------------------------------


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
    last_asked: Act | None  # their latest ask of the user, with its sentence
    last_gave: Act | None  # their latest favour (give or introduction)
    my_last_ask: Act | None
    my_last_give: Act | None

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
    if not readable(store):
        return []
    at = _epoch(now)
    ctx = _Context.load(store)
    result = [ctx.summary(row, at, params) for row in store.cached_contacts()]
    result.sort(key=lambda c: (-c.strength_norm, c.address))
    return result


def contact(store: Store, address: str, now: Now = None, params: Params = DEFAULT) -> ContactSummary | None:
    """One contact's summary (``address`` may be a merged alias), or None when unknown."""
    if not readable(store):
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
    with store.personal_rows(personal_mail(params), {summary.address, *mine}) as rows:
        computed = tally(rows.received(), rows.sent(), rows.addressed_to_me(DIRECT_ROLES), store.my_addresses(),
                         aliases, params)  # fmt: skip
    found = computed.accs.get(summary.address)
    messages = found.messages if found else []
    evidence = store.act_evidence({(fact.message, i) for fact in messages for i in range(len(fact.acts))})
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
    return store.wrote_after(personal_mail(params), [address, *aliases], since)


def canonical_address(store: Store, address: str) -> str:
    address = address.strip().lower()
    return store.aliases().get(address, address)


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

    def summary(self, c: Contact, now: int, params: Params) -> ContactSummary:
        address = c.address
        days_since = (now - c.last) / DAY if c.last is not None else None
        cadence, source, cold_after = self.cadence(address, c.cadence, params)
        return ContactSummary(
            address=address,
            name=c.name,
            tags=self.tags.get(address, []),
            strength=strength_at(c.base, now, params),
            strength_norm=c.base / self.max_base if self.max_base > 0 else 0.0,
            sent=c.sent,
            received=c.received,
            replies=c.replies,
            first=_dt(c.first),
            last=_dt(c.last),
            days_since=days_since,
            cadence_days=cadence,
            cadence_source=source,
            cold_after_days=cold_after,
            cold=days_since is not None and days_since > cold_after,
            balance=c.balance,
            owed=c.balance < 0,
            given=c.given,
            favours_received=c.favours_received,
            asks_since_give=c.asks_since_give,
            last_subject=c.last_subject,
            referrers=self.referrers.get(address, []),
            referrals=self.referrals.get(address, []),
            last_asked=c.latest.get("asked"),
            last_gave=c.latest.get("gave"),
            my_last_ask=c.latest.get("my_ask"),
            my_last_give=c.latest.get("my_give"),
        )


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

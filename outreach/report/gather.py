"""What the report shows, read from the store through the network and notes read functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from outreach.network import contacts
from outreach.network.contacts import ContactSummary, Now, Referral
from outreach.network.ledger import LedgerEntry
from outreach.notes import suggest
from outreach.notes.suggest import Suggestion
from outreach.store.db import Store

BALANCE_PEOPLE = 8  # the strongest contacts with favours on record get a balance line
_BALANCE_LOOK = 30  # how many of the strongest are looked at to find them


@dataclass(frozen=True, slots=True)
class BalancePoint:
    """The running balance after one act on a contact's ledger."""

    date: datetime
    balance: float
    entry: LedgerEntry


@dataclass(frozen=True, slots=True)
class BalanceLine:
    """A contact's favour balance over time, act by act, with the evidence."""

    contact: ContactSummary
    points: list[BalancePoint]


@dataclass(frozen=True, slots=True)
class Report:
    now: datetime
    contacts: list[ContactSummary]  # everyone, strongest first
    balances: list[BalanceLine]
    referrals: list[Referral]  # every introduction, oldest first
    suggestions: list[Suggestion]


def gather(
    store: Store,
    now: Now = None,
    *,
    balance_people: int = BALANCE_PEOPLE,
    suggestions: list[Suggestion] | None = None,
) -> Report:
    """Everything the report draws, as of ``now`` (default: the clock).

    ``suggestions`` defaults to this week's slate with rendered notes (which
    records it, as ``outreach suggest`` does).
    """
    at = _when(now)
    everyone = contacts.contacts(store, at)
    if suggestions is None:
        suggestions = suggest.weekly(store, at, everyone=everyone)
    return Report(
        now=at,
        contacts=everyone,
        balances=balance_lines(store, everyone, at, balance_people),
        referrals=sorted((r for c in everyone for r in c.referrals), key=_referral_order),
        suggestions=suggestions,
    )


def balance_lines(store: Store, everyone: list[ContactSummary], now: datetime, limit: int) -> list[BalanceLine]:
    """The running balance of the strongest contacts that have favours on record."""
    lines = []
    for c in everyone[:_BALANCE_LOOK]:
        if len(lines) >= limit:
            break
        if not (c.given or c.favours_received or c.my_last_ask or c.last_asked):
            continue  # nothing on the ledger: no need to read it
        detail = contacts.contact_detail(store, c.address, now)
        if detail is None:
            continue
        points, running = [], 0.0
        for entry in detail.ledger:
            running += entry.weight
            if entry.date is not None:
                points.append(BalancePoint(datetime.fromtimestamp(entry.date, tz=UTC), round(running, 3), entry))
        if points:
            lines.append(BalanceLine(c, points))
    return lines


def _referral_order(r: Referral) -> tuple[float, str, str]:
    return (r.date.timestamp() if r.date else 0.0, r.referrer, r.person or r.person_name)


def _when(now: Now) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if isinstance(now, datetime):
        return now if now.tzinfo else now.replace(tzinfo=UTC)
    return datetime.fromtimestamp(now, tz=UTC)

"""The tie model: every parameter of strength, cadence and favour size, in one place.

Strength follows Roth et al., "Suggesting Friends Using the Implicit Social
Graph" (KDD 2010): a sum over interactions, each decayed exponentially with its
age, outgoing mail weighted above incoming.  We add what a networking assistant
needs: a message shared with many people counts for less, and a reply (either
way) adds a reciprocity bonus that is larger the faster it came.

Pure functions only: no SQL, no clock.  ``relationships`` feeds them rows.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Callable, Iterable
from typing import NamedTuple

DAY = 86_400.0

# Decayed sums are cached relative to this fixed instant, so the cache does not
# depend on "now": strength(now) = base * 2 ** (-(now - EPOCH) / half_life).
# 2000-01-01T00:00:00Z; floats stay finite for centuries either side.
EPOCH = 946_684_800


class Params(NamedTuple):
    """Model parameters with their defaults.  Change them here, nowhere else.

    A NamedTuple, not a dataclass: a sync that finds nothing new checks the cache's fingerprint,
    which needs these, and starts faster without generating dataclass methods.  The favour-size
    tables are shared defaults: never change them in place (build a Params with new ones).
    """

    # -- strength ---------------------------------------------------------
    half_life_days: float = 90.0
    """An interaction counts half as much after this many days."""
    sent_weight: float = 2.0
    """Weight of a message the user sent (Roth's omega_out); writing costs more than reading."""
    received_weight: float = 1.0
    """Weight of a message the user received from the contact."""
    audience_exponent: float = 0.75
    """A message to n people counts n ** -exponent for each (1 -> 1, 2 -> 0.59, 40 -> 0.06)."""
    reply_bonus: float = 0.5
    """Extra weight of a message that answers the other side (reciprocity), at zero latency."""
    reply_latency_half_life_hours: float = 24.0
    """The reply bonus halves for each this many hours the answer took (close ties answer fast)."""
    broadcast_audience: int = 20
    """A message to more people than this (To + Cc) is a broadcast and counts for nothing."""

    # -- cadence ----------------------------------------------------------
    cadence_min_conversations: int = 3
    """Conversations (threads) needed before a cadence is learned (2 gaps between their starts)."""
    cadence_floor_days: float = 7.0
    """A learned cadence is never shorter than this (daily colleagues are not cold after 3 days)."""
    default_cadence_days: float = 90.0
    """Cadence assumed while too few interactions exist to learn one."""
    cold_factor: float = 2.0
    """Cold = no interaction for more than cold_factor x the learned cadence.  An explicit
    override (per contact or tag) is the user's own deadline and is used as is."""

    # -- favour sizes (ledger) --------------------------------------------
    ask_sizes: dict[str, float] = {"money": 1.0, "time": 1.0, "review": 1.5, "intro": 2.0, "job": 2.0, "advice": 1.0}
    """Base size of an ask by subtype; money and time grow with the amount (see favour_size)."""
    give_sizes: dict[str, float] = {"offer": 1.0, "intro": 2.0, "resource": 1.0, "congrats": 0.5}
    """Base size of a give by subtype."""
    thanks_size: float = 1.0
    """A thanks is evidence of a favour of unknown size."""
    introduction_size: float = 2.0
    """Being introduced to someone is a favour of this size."""
    money_unit: float = 100.0
    """Money asks: size 1 up to this amount, +1 per factor of ten above it ($1,000 -> 2, $50,000 -> 3.7)."""
    time_unit_minutes: float = 30.0
    """Time asks: size 1 up to this many minutes, +1 per doubling (an hour -> 2, half a day -> 4)."""

    def fingerprint(self) -> str:
        """Changes whenever a cached figure would change."""
        return hashlib.sha256(json.dumps(self._asdict(), sort_keys=True).encode()).hexdigest()[:16]


DEFAULT = Params()


def audience_weight(audience: int, p: Params = DEFAULT) -> float:
    return max(audience, 1) ** -p.audience_exponent


def reply_factor(latency_seconds: float | None, p: Params = DEFAULT) -> float:
    """1 for an ordinary message, up to 1 + reply_bonus for an instant answer."""
    if latency_seconds is None:
        return 1.0
    hours = max(latency_seconds, 0.0) / 3600.0
    return 1.0 + p.reply_bonus * 2.0 ** (-hours / p.reply_latency_half_life_hours)


def message_base(date: int, sent: bool, audience: int, p: Params = DEFAULT) -> float:
    """A message's contribution to each participant's cached base (decay measured from EPOCH)."""
    weight = p.sent_weight if sent else p.received_weight
    return weight * audience_weight(audience, p) * 2.0 ** ((date - EPOCH) / (p.half_life_days * DAY))


def message_weigher(p: Params = DEFAULT) -> Callable[[int, bool, int], float]:
    """``message_base`` with the parameters bound once, for loops over many messages."""
    sent_weight, received_weight = p.sent_weight, p.received_weight
    half_life, exponent = p.half_life_days * DAY, -p.audience_exponent
    by_audience: dict[int, float] = {}

    def weigh(date: int, sent: bool, audience: int) -> float:
        share = by_audience.get(audience)
        if share is None:
            share = by_audience[audience] = max(audience, 1) ** exponent
        return (sent_weight if sent else received_weight) * share * 2.0 ** ((date - EPOCH) / half_life)

    return weigh


def strength_at(base: float, now: int, p: Params = DEFAULT) -> float:
    """The decayed strength at ``now`` from a cached base."""
    return base * 2.0 ** (-(now - EPOCH) / (p.half_life_days * DAY))


def learned_cadence(conversation_starts: Iterable[int], p: Params = DEFAULT) -> float | None:
    """Median gap in days between the starts of consecutive conversations, or None with too few.

    Conversations, not messages or days: a burst of replies over a week is one
    exchange, and counting its gaps would make every tie look daily.
    """
    starts = sorted(conversation_starts)
    if len(starts) < p.cadence_min_conversations:
        return None
    gaps = sorted(b - a for a, b in itertools.pairwise(starts))
    half = len(gaps) // 2
    middle = gaps[half] if len(gaps) % 2 else (gaps[half - 1] + gaps[half]) / 2
    return max(middle / DAY, p.cadence_floor_days)


def cold_after_days(learned: float | None, override: float | None, p: Params = DEFAULT) -> float:
    """Days of silence after which a tie counts as going cold."""
    if override is not None:
        return override
    return p.cold_factor * (learned if learned is not None else p.default_cadence_days)


def favour_size(kind: str, subtype: str, amount: float | None, minutes: int | None, p: Params = DEFAULT) -> float:
    """How big a favour is, for the balance: asks and gives by subtype, scaled by money or minutes."""
    if kind == "thanks":
        return p.thanks_size
    if kind == "introduction":
        return p.introduction_size
    table = p.ask_sizes if kind == "ask" else p.give_sizes
    size = table.get(subtype, 1.0)
    if amount is not None and amount > p.money_unit:
        size = max(size, 1.0 + math.log10(amount / p.money_unit))
    if minutes is not None and minutes > p.time_unit_minutes:
        size = max(size, 1.0 + math.log2(minutes / p.time_unit_minutes))
    return round(size, 3)


def parse_duration(text: str) -> float:
    """'14d', '2w', '3m' (months of 30 days), '1y' or a bare number of days -> days."""
    units = {"d": 1.0, "w": 7.0, "m": 30.0, "y": 365.0}
    value = text.strip().lower()
    unit = units.get(value[-1:]) if value else None
    number = value[:-1] if unit else value
    try:
        days = float(number) * (unit or 1.0)
    except ValueError:
        raise ValueError(f"{text!r}: expected a duration like 14d, 6w, 3m or 1y") from None
    if not math.isfinite(days) or days <= 0:
        raise ValueError(f"{text!r}: a cadence must be a positive duration")
    return days

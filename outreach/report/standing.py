"""Where a tie stands against its own rhythm: fine, due (past the usual cadence) or cold.

"Due" starts when the silence reaches the contact's cadence; "cold" when it passes
the cold threshold the network figures use (see ``network.ties.cold_after_days``).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from outreach.network.contacts import ContactSummary


class Standing(StrEnum):
    FINE = "fine"
    DUE = "due"
    COLD = "cold"


def standing(c: ContactSummary) -> Standing:
    if c.cold:
        return Standing.COLD
    if c.days_since is not None and c.days_since >= c.cadence_days:
        return Standing.DUE
    return Standing.FINE


def due_on(c: ContactSummary) -> date | None:
    """The day a note is due: the last contact plus the usual cadence (None: never in touch)."""
    if c.last is None:
        return None
    return (c.last + timedelta(days=c.cadence_days)).astimezone().date()


def overdue_ratio(c: ContactSummary) -> float:
    """Silence as a multiple of the usual cadence (0 when never in touch)."""
    if c.days_since is None or c.cadence_days <= 0:
        return 0.0
    return c.days_since / c.cadence_days

"""Kinds ``money_ask`` and ``time_ask``: the size of what the draft asks for, against a limit."""

from __future__ import annotations

from collections.abc import Iterator

from outreach.lint.draft import Draft
from outreach.lint.kinds.base import Hit, Kind, duration, money, scaled


class MoneyAsk(Kind):
    """The writer asks the reader for money: at or above ``min_amount``, or with no sum stated.

    With relationship context the limit grows with tie strength, up to ``strong_tie_factor``
    times ``min_amount`` for the user's strongest tie.
    """

    name = "money_ask"
    optional = {"min_amount": (float, 0.0), "unsized": (bool, False), "strong_tie_factor": (float, 1.0)}

    def run(self, draft: Draft) -> Iterator[Hit]:
        limit = scaled(self.min_amount, self.strong_tie_factor, draft)
        for found in draft.asks:
            ask = found.act
            if ask.subtype != "money":
                continue
            if self.unsized and ask.amount is None:
                yield Hit(found.focus_start, found.focus_end, {"limit": money(limit), "amount": "an unstated sum"})
            elif not self.unsized and ask.amount is not None and ask.amount >= limit:
                yield Hit(found.focus_start, found.focus_end, {"amount": money(ask.amount), "limit": money(limit)})


class TimeAsk(Kind):
    """The writer asks for more than ``above`` minutes of the reader's time (and less than ``below``)."""

    name = "time_ask"
    required = {"above": int}
    optional = {"below": (int, None), "strong_tie_factor": (float, 1.0)}

    def run(self, draft: Draft) -> Iterator[Hit]:
        above = scaled(self.above, self.strong_tie_factor, draft)
        for found in draft.asks:
            minutes = found.act.minutes
            if found.act.subtype != "time" or minutes is None or minutes <= above:
                continue
            if self.below is not None and minutes >= self.below:
                continue
            yield Hit(found.focus_start, found.focus_end,
                      {"minutes": minutes, "duration": duration(minutes), "limit": duration(int(above))})

"""The rule kinds: the only lint code.  Every rule in rules/*.toml names one of these."""

from __future__ import annotations

from outreach.lint.kinds.asks import MoneyAsk, TimeAsk
from outreach.lint.kinds.balance import Balance
from outreach.lint.kinds.base import Hit, Kind
from outreach.lint.kinds.bounded import check_bounded
from outreach.lint.kinds.context import Context
from outreach.lint.kinds.metric import Metric
from outreach.lint.kinds.pattern import Pattern
from outreach.lint.kinds.phrase import Phrase
from outreach.lint.kinds.politeness import Politeness

KINDS: dict[str, type[Kind]] = {
    kind.name: kind for kind in (Phrase, Pattern, MoneyAsk, TimeAsk, Metric, Balance, Politeness, Context)
}

__all__ = ["KINDS", "Hit", "Kind", "check_bounded"]

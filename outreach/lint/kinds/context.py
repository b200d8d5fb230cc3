"""Kind ``context``: rules that need what the store knows about the recipient (skipped without it).

test = "big_ask": a money ask, a time ask over ``minutes``, or an ask of a listed subtype,
to a stranger, a cold tie or a tie weaker than ``max_strength``.
test = "ask_before_give": another ask while ``asks_since_give`` asks are still unreturned.
test = "missing_referrer": the recipient was introduced by someone a first note to them never names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from outreach.lint.draft import Draft
from outreach.lint.kinds.base import Hit, Kind, duration, money

if TYPE_CHECKING:
    from outreach.model import RecipientContext

TESTS = ("big_ask", "ask_before_give", "missing_referrer")


class Context(Kind):
    name = "context"
    required = {"test": str}
    optional = {
        "max_strength": (float, 0.3),
        "minutes": (int, 30),
        "subtypes": (list, ["money", "job", "intro"]),
        "asks_since_give": (int, 1),
    }

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        if self.test not in TESTS:
            raise ValueError(f"test must be one of {', '.join(TESTS)}")

    def run(self, draft: Draft) -> Iterator[Hit]:
        context = draft.context
        if context is None:
            return
        if self.test == "big_ask":
            yield from self._big_ask(draft, context)
        elif self.test == "ask_before_give":
            yield from self._ask_before_give(draft, context)
        else:
            yield from self._missing_referrer(draft, context)

    def _big_ask(self, draft: Draft, context: RecipientContext) -> Iterator[Hit]:
        if context.known and not context.cold and context.strength >= self.max_strength:
            return
        tie = "a stranger" if not context.known else ("a cold tie" if context.cold else "a weak tie")
        for found in draft.asks:
            ask = found.act
            big = ask.subtype in self.subtypes or (ask.subtype == "time" and (ask.minutes or 0) > self.minutes)
            if big:
                size = money(ask.amount) if ask.amount else (duration(ask.minutes) if ask.minutes else ask.subtype)
                yield Hit(found.start, found.end, {"tie": tie, "ask": size, "strength": f"{context.strength:.2f}"})

    def _ask_before_give(self, draft: Draft, context: RecipientContext) -> Iterator[Hit]:
        if context.known and draft.asks and context.asks_since_last_give >= self.asks_since_give:
            first = draft.asks[0]
            yield Hit(first.start, first.end, {"asks": context.asks_since_last_give, "given": context.given})

    def _missing_referrer(self, draft: Draft, context: RecipientContext) -> Iterator[Hit]:
        # Only a first note leans on the introduction: once the user has written to them,
        # the tie stands on its own (a check-in need not name who introduced them).
        if not context.referrer_name or context.wrote_since_introduction or not draft.sentences:
            return
        first_name = context.referrer_name.split()[0].lower()
        if not re.search(rf"\b{re.escape(first_name)}\b", draft.low):
            first = draft.sentences[0]
            yield Hit(first.start, first.end, {"referrer": context.referrer_name})

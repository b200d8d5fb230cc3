"""Kind ``balance``: asks with nothing given — no thanks, no offer, no reason for the reader to care."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from outreach.ingest import acts
from outreach.lint.draft import Draft
from outreach.lint.kinds.base import Hit, Kind


class Balance(Kind):
    """``gives`` are phrases that give something; ``not_gives`` look like one but are formula."""

    name = "balance"
    required = {"gives": list}
    optional = {"min_asks": (int, 1), "not_gives": (list, [])}

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        # One matcher for both lists: the longest phrase wins, so "thanks in advance" hides "thanks".
        self.formula = {p.lower() for p in self.not_gives}
        self.give_phrases = acts.phrase_pattern([p.lower() for p in self.gives] + sorted(self.formula))

    def _gives_something(self, draft: Draft) -> bool:
        return any(m.group()[1:] not in self.formula for m in self.give_phrases.matches(draft.tokens))

    def run(self, draft: Draft) -> Iterator[Hit]:
        asks = draft.asks
        if len(asks) < self.min_asks or draft.gives or self._gives_something(draft):
            return
        first = asks[0]
        yield Hit(first.start, first.end, {"asks": len(asks)})

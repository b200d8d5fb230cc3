"""Kind ``politeness``: request sentences whose politeness score is below ``below``."""

from __future__ import annotations

from collections.abc import Iterator

from outreach.lint.draft import Draft
from outreach.lint.kinds.base import Hit, Kind


class Politeness(Kind):
    """The score and its strategies come from outreach/lint/politeness.py."""

    name = "politeness"
    required = {"below": float}

    def run(self, draft: Draft) -> Iterator[Hit]:
        for request in draft.politeness.requests:
            if request.score < self.below:
                used = ", ".join(s.replace("_", " ") for s in request.strategies) or "none"
                yield Hit(request.start, request.end, {
                    "score": f"{request.score:+.1f}", "strategies": used,
                    "missing": "no please, thanks, hedge or 'could you'",
                })

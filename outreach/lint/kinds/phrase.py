"""Kind ``phrase``: any of a list of phrases, unless an excusing phrase is near."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from outreach.ingest import acts
from outreach.lint.draft import Draft
from outreach.lint.kinds.base import Hit, Kind
from outreach.lint.kinds.excuse import Excuse


class Phrase(Kind):
    """Phrases are lower-case; a trailing "*" makes the last word a prefix ("congrat*")."""

    name = "phrase"
    required = {"phrases": list}
    optional = {"unless": (list, None), "unless_scope": (str, "sentence")}

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.matcher = acts.phrase_pattern(p.lower() for p in self.phrases)
        self.excuse = Excuse(self.unless, self.unless_scope)

    def run(self, draft: Draft) -> Iterator[Hit]:
        if self.excuse.whole_draft(draft):
            return
        for match in self.matcher.matches(draft.tokens):
            start, end = match.start(), match.end() - 1  # draft.low is " " + text: one to the left
            if not self.excuse.near(draft, start):
                yield Hit(start, end, {"match": " ".join(draft.text[start:end].split())})

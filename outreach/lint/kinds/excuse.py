"""The "unless" fields of the text kinds: phrases that excuse a hit in its sentence or draft."""

from __future__ import annotations

from typing import Any

from outreach.ingest import acts
from outreach.lint.draft import Draft

SCOPES = ("sentence", "draft")


class Excuse:
    """Phrases (lower-case, "*" = prefix) that, found near a hit, mean it is not a problem."""

    def __init__(self, phrases: list[str] | None, scope: str) -> None:
        if scope not in SCOPES:
            raise ValueError("unless_scope must be 'sentence' or 'draft'")
        self.scope = scope
        self.matcher: Any = acts.phrase_pattern(p.lower() for p in phrases) if phrases else None

    def whole_draft(self, draft: Draft) -> bool:
        """True when the scope is the draft and an excusing phrase is in it (checked once per draft)."""
        return self.matcher is not None and self.scope == "draft" and bool(self.matcher.matches(draft.tokens))

    def near(self, draft: Draft, start: int) -> bool:
        """True when the scope is the sentence and an excusing phrase is in the hit's sentence."""
        if self.matcher is None or self.scope != "sentence":
            return False
        sentence = draft.sentence_at(start)
        if sentence is None:
            return False
        return self.matcher.search(draft.low, sentence.start, sentence.end + 1) is not None

"""Kind ``metric``: a per-draft or per-sentence figure beyond a limit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from outreach.lint.draft import Draft
from outreach.lint.kinds.base import Hit, Kind, number

# Per-draft figures; "sentence_words" is checked per sentence instead.
FIGURES: dict[str, Callable[[Draft], float]] = {
    "words": lambda draft: len(draft.words),
    "sentences": lambda draft: len(draft.sentences),
    "questions": lambda draft: draft.questions,
    "grade": lambda draft: round(draft.grade, 1),
    "asks": lambda draft: len(draft.asks),
}
METRICS = (*FIGURES, "sentence_words")


class Metric(Kind):
    """A figure above ``max`` (or below ``min``).

    ``min_words``: skip drafts shorter than this; ``only_with_asks``: apply only to drafts that
    ask for one of these subtypes (e.g. a request for advice with no question in it).
    """

    name = "metric"
    required = {"metric": str}
    optional = {"max": (float, None), "min": (float, None), "min_words": (int, 0), "only_with_asks": (list, None)}

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        if self.metric not in METRICS:
            raise ValueError(f"metric must be one of {', '.join(METRICS)}")
        if (self.max is None) == (self.min is None):
            raise ValueError("give exactly one of 'max' or 'min'")
        self.limit = self.max if self.max is not None else self.min

    def _beyond(self, value: float) -> bool:
        return value > self.max if self.max is not None else value < self.min

    def run(self, draft: Draft) -> Iterator[Hit]:
        if len(draft.words) < self.min_words:
            return
        if self.only_with_asks and not any(f.act.subtype in self.only_with_asks for f in draft.asks):
            return
        if self.metric == "sentence_words":
            for sentence in draft.sentences:
                count = len(sentence.text.split())
                if self._beyond(count):
                    yield Hit(sentence.start, sentence.end, {"value": count, "limit": number(self.limit)})
            return
        value = FIGURES[self.metric](draft)
        if self._beyond(value):
            first = draft.sentences[0] if draft.sentences else None
            start, end = (first.start, first.end) if first else (0, 0)
            yield Hit(start, end, {"value": number(value), "limit": number(self.limit)})

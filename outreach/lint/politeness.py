"""Politeness of a draft, as an explainable score.

Every sentence is scored with the strategies of Danescu-Niculescu-Mizil et al. (2013)
(``outreach.judge.politeness``; weights in ``rules/politeness.toml``).  The requests of a
draft (sentences with an ask cue or opening with a command) decide its score: each gets its
own score plus half the weight of each softener (thanks, an apology, a hedge) the draft
uses elsewhere, and the draft's score is their mean.  A draft with no
recognised request is scored by the mean of all its sentences, so the score is never
missing for a draft with words.
"""

from bisect import bisect_left
from typing import TYPE_CHECKING, NamedTuple

from outreach.judge import politeness as strategies_of
from outreach.judge.words import word_texts

if TYPE_CHECKING:
    from outreach.lint.draft import Draft

_CONTEXT_SHARE = 0.5  # a softener elsewhere in the draft counts half towards each request
_SOFTENERS = frozenset({"gratitude", "apologising", "hedges"})  # not a greeting: "Hi," does not soften an order


class Request(NamedTuple):
    start: int
    end: int
    text: str
    score: float
    strategies: list[str]


class Politeness:
    """Strategy counts over the whole draft, each request sentence with its score, and the score."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}  # strategy -> sentences using it
        self.requests: list[Request] = []
        self.sentence_scores: list[float] = []

    @property
    def score(self) -> float | None:
        """Mean over the requests; without any, mean over every sentence; None only without words."""
        if self.requests:
            return sum(r.score for r in self.requests) / len(self.requests)
        if self.sentence_scores:
            return sum(self.sentence_scores) / len(self.sentence_scores)
        return None

    def as_dict(self) -> dict:
        score = self.score
        return {
            "score": None if score is None else round(score, 2),
            "requests": len(self.requests),
            "strategies": dict(sorted(self.counts.items())),
        }


def score(draft: "Draft") -> Politeness:
    """Score every sentence of a ``Draft``; requests are sentences with an ask cue or a command."""
    weights = strategies_of.weights()
    ask_at = sorted(start for start, _end, kind in draft.cues if kind == "ask")
    result = Politeness()
    scored: list[tuple[int, int, str, strategies_of.Score]] = []
    everywhere: set[str] = set()
    for sentence in draft.sentences:
        low = draft.low[sentence.start + 1 : sentence.end + 1]
        found = strategies_of.score_words(word_texts(low))
        everywhere.update(found.strategies)
        for name in found.strategies:
            result.counts[name] = result.counts.get(name, 0) + 1
        result.sentence_scores.append(found.value)
        index = bisect_left(ask_at, sentence.start)
        has_cue = index < len(ask_at) and ask_at[index] < sentence.end
        if has_cue or "imperative_start" in found.strategies:
            scored.append((sentence.start, sentence.end, sentence.text, found))
    for start, end, text, found in scored:
        elsewhere = (everywhere & _SOFTENERS) - set(found.strategies)
        credit = _CONTEXT_SHARE * sum(weights[name] for name in elsewhere)
        result.requests.append(Request(start, end, text, round(found.value + credit, 3), found.strategies))
    return result

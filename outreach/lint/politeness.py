"""Politeness of a draft's requests, as an explainable score.

After Danescu-Niculescu-Mizil et al. (2013): requests that thank, hedge, apologise or use the
counterfactual "could/would you" read as polite; sentence-initial "please", direct questions,
"so/but" starts, "can/will you" and second-person starts read as less polite.  The strategies
and their weights are data (``rules/politeness.toml``).  Each request sentence gets the sum of
the weights of the strategies it uses, plus a small credit when the draft thanks, hedges or
apologises elsewhere; the draft's score is the mean over its requests.
"""

from __future__ import annotations

from bisect import bisect_left
from pathlib import Path
from typing import NamedTuple

from outreach import resources
from outreach.ingest import acts

DATA = resources.rule_file("politeness.toml")
_CONTEXT_CREDIT = 0.5  # thanks/hedge/apology elsewhere in the draft softens every request
_SOFTENERS = ("gratitude", "hedge", "apology")


class Request(NamedTuple):
    start: int
    end: int
    text: str
    score: float
    strategies: list[str]


class Politeness:
    """Strategy counts over the whole draft, and each request sentence with its score."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}  # strategy -> sentences using it
        self.requests: list[Request] = []

    @property
    def score(self) -> float | None:
        if not self.requests:
            return None
        return sum(r.score for r in self.requests) / len(self.requests)

    def as_dict(self) -> dict:
        score = self.score
        return {
            "score": None if score is None else round(score, 2),
            "requests": len(self.requests),
            "strategies": dict(sorted(self.counts.items())),
        }


class _Strategy(NamedTuple):
    name: str
    weight: float
    start: tuple[str, ...]  # phrases that must open the sentence
    pattern: object | None  # compiled phrase matcher for "any" phrases


_STRATEGIES: list[_Strategy] | None = None


def strategies() -> list[_Strategy]:
    global _STRATEGIES
    if _STRATEGIES is None:
        _STRATEGIES = load(DATA)
    return _STRATEGIES


def load(path: Path) -> list[_Strategy]:
    from outreach import compiled

    try:
        data = compiled.toml(path)
        out = []
        for name, spec in data["strategies"].items():
            phrases = [str(p).lower() for p in spec["phrases"]]
            if spec["where"] == "start":
                out.append(_Strategy(name, float(spec["weight"]), tuple(p.rstrip("*") for p in phrases), None))
            elif spec["where"] == "any":
                out.append(_Strategy(name, float(spec["weight"]), (), acts.phrase_pattern(phrases)))
            else:
                raise ValueError(f"strategy {name!r}: where must be 'start' or 'any'")
        return out
    except (OSError, KeyError, TypeError, ValueError) as exc:  # TOMLDecodeError is a ValueError
        raise ValueError(f"{path}: cannot load politeness strategies: {exc}") from exc


def sentence_strategies(low_sentence: str) -> list[str]:
    """Names of the strategies a sentence uses; ``low_sentence`` is normalised lower case."""
    padded = " " + low_sentence.strip()
    head = padded[1:]
    after_please = head[7:] if head.startswith("please ") else ""
    used = []
    for strategy in strategies():
        if strategy.pattern is not None:
            if strategy.pattern.search(padded):
                used.append(strategy.name)
        elif any(_opens(text, phrase) for phrase in strategy.start for text in (head, after_please) if text):
            used.append(strategy.name)
    return used


def _opens(text: str, phrase: str) -> bool:
    return text.startswith(phrase) and (len(text) == len(phrase) or not text[len(phrase)].isalnum())


def score(draft) -> Politeness:
    """Score every sentence of a ``Draft``; requests are sentences with an ask cue or a command."""
    weights = {s.name: s.weight for s in strategies()}
    ask_at = sorted(start for start, _end, kind in draft.cues if kind == "ask")
    result = Politeness()
    scored = []
    for sentence in draft.sentences:
        low = draft.low[sentence.start + 1 : sentence.end + 1]
        used = sentence_strategies(low)
        for name in used:
            result.counts[name] = result.counts.get(name, 0) + 1
        index = bisect_left(ask_at, sentence.start)
        has_cue = index < len(ask_at) and ask_at[index] < sentence.end
        if has_cue or "imperative_start" in used:
            scored.append((sentence, used))
    softened = any(result.counts.get(name) for name in _SOFTENERS)
    for sentence, used in scored:
        own_softener = any(name in used for name in _SOFTENERS)
        credit = _CONTEXT_CREDIT if softened and not own_softener else 0.0
        value = sum(weights[name] for name in used) + credit
        result.requests.append(Request(sentence.start, sentence.end, sentence.text, value, used))
    return result

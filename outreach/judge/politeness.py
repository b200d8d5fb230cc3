"""Politeness of one sentence, from the strategies of Danescu-Niculescu-Mizil et al. (2013).

Every sentence gets a score: the sum of the published effects of the strategies it uses
(``rules/politeness.toml``), and the strategies that decided it (largest effects first),
so a score can always be explained.  Requests and other sentences are scored alike.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import NamedTuple

from outreach import resources
from outreach.errors import DataError
from outreach.judge.words import Phrases, word_texts

DATA = resources.rule_file("politeness.toml")
_PLACES = ("start", "any", "not_start")
_FIELDS = {"weight", "where", "phrases"}


class Strategy(NamedTuple):
    name: str
    weight: float
    where: str  # start | any | not_start
    phrases: Phrases


class Score(NamedTuple):
    value: float
    strategies: list[str]  # the strategies used, largest effect first


def load(path: Path) -> list[Strategy]:
    """The strategies of a politeness file; a bad file is a DataError (a ValueError) naming it."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        out = []
        for name, spec in data["strategies"].items():
            unknown = set(spec) - _FIELDS
            if unknown:
                raise ValueError(f"strategy {name!r}: unknown field(s) {', '.join(sorted(unknown))}")
            if spec["where"] not in _PLACES:
                raise ValueError(f"strategy {name!r}: where must be one of {', '.join(_PLACES)}")
            out.append(Strategy(name, float(spec["weight"]), spec["where"], Phrases({name: spec["phrases"]})))
        return out
    except (OSError, KeyError, TypeError, ValueError) as exc:  # TOMLDecodeError is a ValueError
        raise DataError(f"{path}: cannot load politeness strategies: {exc}") from exc


_STRATEGIES: list[Strategy] | None = None


def strategies() -> list[Strategy]:
    """The shipped strategies, read once."""
    global _STRATEGIES
    if _STRATEGIES is None:
        _STRATEGIES = load(DATA)
    return _STRATEGIES


def weights() -> dict[str, float]:
    """Strategy name -> its weight."""
    return {s.name: s.weight for s in strategies()}


def opening(texts: list[str]) -> int:
    """Index of the first word after a greeting word or a short 'Name,' salutation, else 0."""
    if len(texts) > 2 and texts[0] in ("hi", "hello", "hey", "dear"):
        return 2 if texts[1] not in ("please", "i", "could", "can", "would", "thanks", "thank") else 1
    return 0


def used(texts: list[str], salutation: int = 0) -> list[str]:
    """Names of the strategies used by a sentence's words (lower case, see words.word_texts).

    ``salutation``: how many leading words are a 'Name,' salutation, looked past for
    sentence starts ("Jim, please call me" starts with "please").
    """
    out = []
    begin = max(salutation, opening(texts)) if texts else 0
    for strategy in strategies():
        if strategy.where == "start":
            hit = begin < len(texts) and strategy.phrases.at(texts, begin) is not None
            hit = hit or (strategy.name == "greeting" and bool(texts) and strategy.phrases.at(texts, 0) is not None)
        elif strategy.where == "any":
            hit = bool(strategy.phrases.find(texts))
        else:
            hit = bool(strategy.phrases.find(texts[begin + 1 :]))
        if hit:
            out.append(strategy.name)
    return out


def score_words(texts: list[str], salutation: int = 0) -> Score:
    """The score of a sentence given as its lower-case words (see ``used``)."""
    weight = weights()
    names = sorted(used(texts, salutation), key=lambda n: -abs(weight[n]))
    return Score(round(sum(weight[n] for n in names), 3), names)


def score(sentence: str) -> Score:
    """The politeness score of one sentence and the strategies behind it."""
    return score_words(word_texts(sentence.lower().replace("\u2019", "'")))

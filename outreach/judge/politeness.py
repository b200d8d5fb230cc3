"""Politeness of one sentence, from the strategies of Danescu-Niculescu-Mizil et al. (2013).

Every sentence gets a score: the sum of the published effects of the strategies it uses
(``rules/politeness.toml``), and the strategies that decided it (largest effects first),
so a score can always be explained.  Requests and other sentences are scored alike.
"""

import re
import tomllib
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from outreach import resources
from outreach.errors import DataError
from outreach.judge.words import Phrases, word_texts

DATA = resources.rule_file(resources.POLITENESS)
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
    """Strategy name -> its weight (one shared table: read it, don't change it)."""
    return _index().weights


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
    if not texts:
        return []
    begin = max(salutation, opening(texts))
    index = _index()
    present = index.firsts.intersection(texts)  # most words start no phrase: ruled out in one set operation
    at = [i for i, word in enumerate(texts) if word in present] if present else []
    stemmed: list[int] = []
    if index.stem_re is not None:
        joined = " " + " ".join(texts)
        # The word a match starts is the one after as many spaces as come before the match.
        stemmed = [joined.count(" ", 0, match.start()) for match in index.stem_re.finditer(joined)]
        if stemmed:
            at = sorted({*at, *stemmed})
    hit = [False] * len(index.strategies)
    by_first, by_pair, last = index.by_first, index.by_pair, len(texts) - 1
    for i in at:
        word = texts[i]
        entries = by_first.get(word, ())
        if i < last:
            longer = by_pair.get((word, texts[i + 1]))
            if longer:
                entries = [*entries, *longer]
        if stemmed and i in stemmed:
            entries = [*entries, *(e for stem, e in index.by_stem if word.startswith(stem))]
        for entry in entries:  # _placed inline: this loop runs for every sentence the model reads
            if hit[entry.strategy]:
                continue
            where = entry.where
            start = where == "start"
            placed = (i == begin or (entry.greeting and i == 0)) if start else (where == "any" or i > begin)
            if placed and (not entry.rest or _matches(entry, texts, i)):
                hit[entry.strategy] = True
    return [s.name for s, used_it in zip(index.strategies, hit, strict=True) if used_it]


class _Entry(NamedTuple):
    strategy: int  # index in strategies()
    where: str
    greeting: bool  # a greeting counts at the very first word too, before a salutation
    rest: tuple[str, ...]  # words after the first, the last one a prefix when ``prefix``
    prefix: bool


class _Index(NamedTuple):
    """Every phrase of every strategy by its first word or two (or one-word stem): one pass
    over a sentence finds them all, instead of one pass per strategy."""

    strategies: list[Strategy]
    by_first: dict[str, list[_Entry]]  # one-word phrases (and "x y*") by their word
    by_pair: dict[tuple[str, str], list[_Entry]]  # longer phrases by their first two words
    by_stem: list[tuple[str, _Entry]]
    stems: tuple[str, ...]
    firsts: frozenset[str]  # the keys of by_first
    stem_re: re.Pattern[str] | None  # a word starting with one of the stems, in " " + the words joined
    opened_by: dict[str, frozenset[str]]  # a first word -> the strategies with a phrase starting with it
    stemmed: frozenset[str]  # the strategies with a one-word stem ("appreciat*"), found anywhere
    weights: dict[str, float]  # strategy name -> its weight


def _matches(entry: _Entry, texts: list[str], i: int) -> bool:
    rest = entry.rest
    if not rest:
        return True
    got = texts[i + 1 : i + 1 + len(rest)]
    if len(got) < len(rest):
        return False
    if entry.prefix:
        return got[:-1] == list(rest[:-1]) and got[-1].startswith(rest[-1])
    return tuple(got) == rest


_INDEX: _Index | None = None


def _index() -> _Index:
    global _INDEX
    if _INDEX is None:
        by_first: dict[str, list[_Entry]] = {}
        by_pair: dict[tuple[str, str], list[_Entry]] = {}
        by_stem: list[tuple[str, _Entry]] = []
        listed = strategies()
        for number, strategy in enumerate(listed):
            greeting = strategy.name == "greeting"
            for parts, _ in strategy.phrases.exact.items():
                entry = _Entry(number, strategy.where, greeting, parts[1:], False)
                if len(parts) > 1:
                    by_pair.setdefault((parts[0], parts[1]), []).append(entry)
                else:
                    by_first.setdefault(parts[0], []).append(entry)
            for head, entries in strategy.phrases.prefixed.items():
                for stem, _, _ in entries:
                    if head:
                        entry = _Entry(number, strategy.where, greeting, (*head[1:], stem), True)
                        by_first.setdefault(head[0], []).append(entry)
                    else:
                        by_stem.append((stem, _Entry(number, strategy.where, greeting, (), False)))
        stems = tuple(sorted({stem for stem, _ in by_stem}))
        stem_re = re.compile(" (?:" + "|".join(map(re.escape, stems)) + ")") if stems else None
        firsts = frozenset({*by_first, *(first for first, _ in by_pair)})
        opened_by: dict[str, set[str]] = {}
        for first, entries in chain(by_first.items(), ((pair[0], entries) for pair, entries in by_pair.items())):
            opened_by.setdefault(first, set()).update(listed[entry.strategy].name for entry in entries)
        stemmed = frozenset(listed[entry.strategy].name for _, entry in by_stem)
        _INDEX = _Index(listed, by_first, by_pair, by_stem, stems, firsts, stem_re,
                        {first: frozenset(names) for first, names in opened_by.items()}, stemmed,
                        {s.name: s.weight for s in listed})  # fmt: skip
    return _INDEX


def most_added(weights: dict[str, float]) -> tuple[float, dict[str, float]]:
    """How much the strategies a sentence uses can add, at most, to a sum of ``weights``
    (strategy name -> weight): what the stemmed strategies ("appreciat*") can add anywhere, and
    by each word that opens some phrase, what the strategies it opens can add.  A sentence's
    strategies add no more than the first plus the second's values for its distinct words."""
    index = _index()
    lift = {name: max(0.0, weights.get(name, 0.0)) for name in index.weights}
    anywhere = sum(lift[name] for name in index.stemmed)
    by_word = {word: sum(lift[name] for name in names) for word, names in index.opened_by.items()}
    return anywhere, {word: added for word, added in by_word.items() if added > 0.0}


def score_words(texts: list[str], salutation: int = 0) -> Score:
    """The score of a sentence given as its lower-case words (see ``used``)."""
    weight = weights()
    names = sorted(used(texts, salutation), key=lambda n: -abs(weight[n]))
    return Score(round(sum(weight[n] for n in names), 3), names)


def score(sentence: str) -> Score:
    """The politeness score of one sentence and the strategies behind it."""
    return score_words(word_texts(sentence.lower().replace("\u2019", "'")))

"""A small linear model that says whether a sentence asks the reader for something.

The rules of ``rules/acts.toml`` recognise the requests they have cues for and explain
them; this model covers the ones they miss ("Are you in Thurs?", "it would be great to
meet you when you come to Houston").  It is logistic regression over the features of
one sentence:

* its distinct lower-case words (``w:word``) and word pairs (``b:word word``), with ``<s>``
  before the first word and ``?`` after the last when the sentence ends with a question
  mark, so "<s> send" (a command) and "think ?" (a question) are pairs like any other;
* its head word (``h:word``): the first after a greeting or a "Name," salutation, so
  "Jim, send ..." and "Send ..." share ``h:send``;
* its shape (``s:``): ``question`` (ends with "?" and names the reader),
  ``question_no_reader``, ``you`` (speaks to the reader), ``intent`` (the writer says what
  they will or would do: "I'll", "we will", "I would like"), ``when`` (names a day or a
  time of day), ``meal`` (lunch, dinner, drinks ...), and its length (``len1`` up to 3
  words, ``len2`` up to 8, ``len3`` up to 20, ``len4`` longer);
* the politeness strategies it uses (``p:counterfactual_modal``, ``p:please`` ... from
  ``outreach.judge.politeness``).

Its probability is the logistic of the bias plus the weights of the features present.
``asks`` decides straight from a sentence's words (set look-ups, no feature strings: it runs
on every sentence the rules see no act in), scoring the politeness strategies only when they
could tip the answer; ``margin_of`` gives the same score as a number; ``features`` lists the
same features as strings, for training and for ``explain``, which names the features that decided.
The weights ship in ``rules/request-model.tsv``, written by
``benchmarks/train_request_model.py`` from labelled sentences (which do not ship).
"""

import math
from collections.abc import Collection
from itertools import chain, repeat
from pathlib import Path
from typing import NamedTuple

from outreach import resources
from outreach.errors import DataError
from outreach.judge import politeness
from outreach.judge.sentences import Sentence, normalise
from outreach.judge.words import word_texts

DATA = resources.rule_file("request-model.tsv")
START = "<s>"
QUESTION = "?"
_READER = frozenset({"you", "your", "yours", "yourself", "you're", "you've", "you'll", "you'd", "u"})
# The shapes' words: a first-person intent, a day or time, a meal.
_INTENT_ONE = frozenset({"i'll", "we'll", "i'd", "we'd", "let's"})
_INTENT_SUBJECT = frozenset({"i", "we"})
_INTENT_VERB = frozenset({"will", "shall", "would", "want", "plan", "intend", "hope", "need", "am", "are"})
_WHEN = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues",
    "wed", "thu", "thur", "thurs", "fri", "sat", "today", "tomorrow", "tonight", "tonite", "morning",
    "afternoon", "evening", "noon", "weekend", "week", "am", "pm", "o'clock", "asap", "eod", "cob",
})  # fmt: skip
_MEAL = frozenset({"lunch", "dinner", "breakfast", "drinks", "drink", "coffee", "beer", "beers", "happy"})
_LENGTHS = ((3, "s:len1"), (8, "s:len2"), (20, "s:len3"))
_HEADER = ("bias", "threshold")
# The rules read a question that names no reader as rhetorical ("Who knew the market would
# turn?"); the model overrules them only when sure ("Lunch on Thursday?").
RHETORICAL = "s:question_no_reader"
SURE = 0.8


def shapes(texts: list[str], question: bool, present: set[str] | None = None) -> list[str]:
    """The ``s:`` features of a sentence's words (see the module docstring); ``present``: the
    set of the words, when the caller has it."""
    if present is None:
        present = set(texts)
    reader = not _READER.isdisjoint(present)
    out = []
    if question:  # a question to no one in particular is often rhetorical ("Who knew ...?")
        out.append("s:question" if reader else RHETORICAL)
    if reader:
        out.append("s:you")
    if not _INTENT_ONE.isdisjoint(present) or (
        not _INTENT_SUBJECT.isdisjoint(present)
        and any(a in _INTENT_SUBJECT and b in _INTENT_VERB for a, b in zip(texts, texts[1:], strict=False))
    ):
        out.append("s:intent")
    if not _WHEN.isdisjoint(present):
        out.append("s:when")
    if not _MEAL.isdisjoint(present):
        out.append("s:meal")
    count = len(texts)
    out.append(next((name for most, name in _LENGTHS if count <= most), "s:len4"))
    return out


def head(texts: list[str], salutation: int = 0) -> int:
    """Index of the sentence's head word: past a greeting or a "Name," salutation."""
    return min(max(salutation, politeness.opening(texts)), len(texts) - 1)


def features(texts: list[str], question: bool, salutation: int = 0) -> list[str]:
    """The features of a sentence given as its lower-case words (``words.word_texts``).

    ``question``: whether it ends with "?"; ``salutation``: leading words that are a
    "Name," salutation, looked past for the head word and the strategies that open a sentence.
    """
    if not texts:
        return []
    out = ["w:" + word for word in dict.fromkeys(texts)]
    marked = [START, *texts, QUESTION] if question else [START, *texts]
    out.extend(dict.fromkeys(f"b:{first} {second}" for first, second in zip(marked, marked[1:], strict=False)))
    out.append("h:" + texts[head(texts, salutation)])
    out.extend(shapes(texts, question))
    out.extend("p:" + name for name in politeness.used(texts, salutation))
    return out


def sentence_features(text: str) -> list[str]:
    """The features of one sentence given as its text, read as the act detector reads it."""
    low = normalise(" " + text)
    return features(word_texts(low), low.rstrip().endswith("?"))


def decides(probability: float, found: Collection[str], threshold: float) -> bool:
    """Whether a sentence with these features and this probability is a request."""
    return probability >= (max(threshold, SURE) if RHETORICAL in found else threshold)


def logistic(margin: float) -> float:
    if margin < -30:  # exp would overflow; the probability is 0 to many digits anyway
        return 0.0
    if margin > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-margin))


def _logit(probability: float) -> float:
    """The margin whose logistic is ``probability``."""
    if probability <= 0.0:
        return -math.inf
    if probability >= 1.0:
        return math.inf
    return math.log(probability / (1.0 - probability))


_SLACK = 1e-9  # a sentence this close to a threshold is scored in full: rounding cannot flip it


class Contribution(NamedTuple):
    feature: str
    weight: float


class Kinds(NamedTuple):
    """A model's weights by kind of feature, keyed as scoring from the words looks them up."""

    words: dict[str, float]  # "w:word" under "word"
    pairs: dict[tuple[str, ...], float]  # "b:first second" under ("first", "second")
    heads: dict[str, float]  # "h:word" under "word"
    shapes: dict[str, float]  # "s:you" under "s:you"
    strategies: dict[str, float]  # "p:please" under "please"

    @classmethod
    def of(cls, weights: dict[str, float]) -> "Kinds":
        """Each feature's weight filed under its kind (a feature of no known kind is left out)."""
        kinds = cls({}, {}, {}, {}, {})
        keyed = {"w:": kinds.words, "h:": kinds.heads, "p:": kinds.strategies}  # under the feature's rest
        pairs, shapes = kinds.pairs, kinds.shapes
        for feature, weight in weights.items():  # one loop, no call per feature: ~3,000 at start-up
            kind = feature[:2]
            if kind == "b:":
                pairs[tuple(feature[2:].split(" ", 1))] = weight
            elif kind == "s:":
                shapes[feature] = weight
            elif kind in keyed:
                keyed[kind][feature[2:]] = weight
        return kinds


class Model:
    """Weights of features, a bias and the decision threshold on the probability."""

    def __init__(self, weights: dict[str, float], bias: float, threshold: float) -> None:
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        # The same weights by kind, keyed as scoring from the words looks them up.
        self._words, self._pairs, self._heads, self._shapes, self._strategies = Kinds.of(weights)
        # The margins the decision thresholds stand for (probability = logistic(margin)).
        self._cut, self._sure_cut = _logit(threshold), _logit(max(threshold, SURE))
        # The most the politeness strategies can add: anywhere, and by the words that open them.
        self._lift_anywhere, self._lift_by_word = politeness.most_added(self._strategies)

    def margin(self, found: list[str]) -> float:
        """Bias plus the weights of the features present (each counted once)."""
        get = self.weights.get
        return math.fsum(chain((self.bias,), (get(feature, 0.0) for feature in set(found))))

    def margin_of(self, texts: list[str], question: bool, salutation: int = 0) -> float:
        """``margin(features(texts, question, salutation))`` without building the feature strings."""
        if not texts:
            return self.bias
        weights = self._unscored(texts, question, salutation, set(texts))
        weights.extend(map(self._strategies.get, politeness.used(texts, salutation), repeat(0.0)))
        # fsum: the sets' order follows string hashing, which differs between processes, and
        # an exactly rounded sum is the same in any order (a plain sum's last digits were not).
        return math.fsum(weights)

    def _unscored(self, texts: list[str], question: bool, salutation: int, present: set[str]) -> list[float]:
        """The weights of every feature present but the politeness strategies, the bias first."""
        # The word pairs: "<s> w1", "w1 w2" ... and, after a question, "wn ?".
        pairs = set(zip(texts, texts[1:], strict=False))
        pairs.add((START, texts[0]))
        if question:
            pairs.add((texts[-1], QUESTION))
        return [
            self.bias, self._heads.get(texts[head(texts, salutation)], 0.0),
            *map(self._words.get, present, repeat(0.0)),
            *map(self._pairs.get, pairs, repeat(0.0)),
            *map(self._shapes.get, shapes(texts, question, present), repeat(0.0)),
        ]  # fmt: skip

    def probability(self, found: list[str]) -> float:
        return logistic(self.margin(found))

    def is_request(self, found: list[str]) -> bool:
        return decides(self.probability(found), found, self.threshold)

    def asks(self, texts: list[str], question: bool, salutation: int = 0) -> bool:
        """``is_request(features(texts, question, salutation))``, scored from the words."""
        if not texts:
            return False
        rhetorical = question and _READER.isdisjoint(texts)  # the one shape ``decides`` reads
        present = set(texts)
        weights = self._unscored(texts, question, salutation, present)
        # Most sentences fall short even if every strategy their words could start scored:
        # then finding which ones do (the dearest part) cannot change the answer.
        lift = self._lift_by_word
        best = math.fsum(weights) + self._lift_anywhere + sum(map(lift.get, present.intersection(lift)))
        if best < (self._sure_cut if rhetorical else self._cut) - _SLACK:
            return False
        weights.extend(map(self._strategies.get, politeness.used(texts, salutation), repeat(0.0)))
        return decides(logistic(math.fsum(weights)), (RHETORICAL,) if rhetorical else (), self.threshold)

    def explain(self, found: list[str], top: int = 5) -> list[Contribution]:
        """The features that moved the score most, largest effect first."""
        present = [Contribution(f, self.weights[f]) for f in sorted(set(found)) if f in self.weights]
        return sorted(present, key=lambda c: -abs(c.weight))[:top]


def load(path: Path) -> Model:
    """A weights file: ``#`` comments, then ``bias`` and ``threshold`` lines, then one
    ``feature<TAB>weight`` a line.  A malformed file is a DataError naming it and the line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the request model: {exc}") from exc
    header: dict[str, float] = {}
    weights: dict[str, float] = {}
    for number, line in enumerate(lines, 1):
        if not line or line.startswith("#"):
            continue
        name, tab, value = line.partition("\t")
        try:
            if not tab or not name:
                raise ValueError("expected feature<TAB>weight")
            weight = float(value)
            if not math.isfinite(weight):
                raise ValueError(f"weight {value!r} is not a finite number")
        except ValueError as exc:
            raise DataError(f"{path}:{number}: malformed request model line: {exc}") from None
        if name in _HEADER and len(header) < len(_HEADER) and not weights:
            header[name] = weight
        elif name in weights:
            raise DataError(f"{path}:{number}: feature {name!r} listed twice")
        else:
            weights[name] = weight
    missing = [name for name in _HEADER if name not in header]
    if missing:
        raise DataError(f"{path}: request model lacks its {' and '.join(missing)} line(s) before the weights")
    if not 0.0 < header["threshold"] < 1.0:
        raise DataError(f"{path}: request model threshold must be between 0 and 1, not {header['threshold']}")
    return Model(weights, header["bias"], header["threshold"])


def dump(model: Model, about: list[str]) -> str:
    """The text of a weights file (``about``: comment lines), features sorted for a stable diff."""
    lines = [f"# {line}".rstrip() for line in about]
    lines.append(f"bias\t{model.bias:.4f}")
    lines.append(f"threshold\t{model.threshold:.4f}")
    lines.extend(f"{name}\t{weight:.4f}" for name, weight in sorted(model.weights.items()))
    return "\n".join(lines) + "\n"


def reasons(text: str, top: int = 4) -> list[Contribution]:
    """Why the model in use would call this sentence a request: the features that weigh most."""
    return model().explain(sentence_features(text), top)


def asks(sentence: Sentence) -> bool:
    """Whether the model in use calls this sentence of a body a request."""
    return model().asks(sentence.texts, sentence.is_question)


_MODEL: Model | None = None


def model() -> Model:
    """The model in use: the shipped one, read once, unless ``use`` set another."""
    global _MODEL
    if _MODEL is None:
        _MODEL = load(DATA)
    return _MODEL


def use(chosen: Model | None) -> None:
    """Use this model from now on (training and evaluation); None: the shipped one again."""
    global _MODEL
    _MODEL = chosen


def never() -> Model:
    """A model that never says request: the rules alone."""
    return Model({}, -math.inf, 0.5)


def always() -> Model:
    """A model that always says request: where the rules would consult the model."""
    return Model({}, math.inf, 0.5)

"""A small linear model that says whether a sentence asks the reader for something.

The rules of ``rules/acts.toml`` recognise the requests they have cues for and explain
them; this model covers the ones they miss ("Are you in Thurs?", "it would be great to
meet you when you come to Houston").  It is logistic regression over the features of
one sentence:

* its lower-case words (``w:word``) and word pairs (``b:word word``), with ``<s>`` before
  the first word and ``?`` after the last when the sentence ends with a question mark, so
  "<s> send" (a command) and "think ?" (a question) are pairs like any other;
* a few shapes: ``s:question`` (ends with "?" and names the reader), ``s:question_no_reader``,
  ``s:you`` (speaks to the reader);
* the politeness strategies it uses (``p:counterfactual_modal``, ``p:please`` ... from
  ``outreach.judge.politeness``).

Its probability is the logistic of the bias plus the weights of the features present, so
inference is a dict look-up per feature, and ``explain`` names the features that decided.
The weights ship in ``rules/request-model.tsv``, written by
``scripts/train_request_model.py`` from labelled sentences (which do not ship).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from pathlib import Path
from typing import NamedTuple

from outreach import resources
from outreach.errors import DataError
from outreach.judge import politeness
from outreach.judge.sentences import Sentence

DATA = resources.rule_file("request-model.tsv")
START = "<s>"
QUESTION = "?"
_READER = frozenset({"you", "your", "yours", "yourself", "you're", "you've", "you'll", "you'd", "u"})
_HEADER = ("bias", "threshold")
# The rules read a question that names no reader as rhetorical ("Who knew the market would
# turn?"); the model overrules them only when sure ("Lunch on Thursday?").
RHETORICAL = "s:question_no_reader"
SURE = 0.8


def features(texts: list[str], question: bool, salutation: int = 0) -> list[str]:
    """The features of a sentence given as its lower-case words (``words.word_texts``).

    ``question``: whether it ends with "?"; ``salutation``: leading words that are a
    "Name," salutation, looked past for the strategies that open a sentence.
    """
    out = ["w:" + word for word in texts]
    marked = [START, *texts, QUESTION] if question else [START, *texts]
    out.extend(f"b:{first} {second}" for first, second in zip(marked, marked[1:], strict=False))
    reader = bool(_READER.intersection(texts))
    if question:  # a question to no one in particular is often rhetorical ("Who knew ...?")
        out.append("s:question" if reader else RHETORICAL)
    if reader:
        out.append("s:you")
    out.extend("p:" + name for name in politeness.used(texts, salutation))
    return out


def decides(probability: float, found: Collection[str], threshold: float) -> bool:
    """Whether a sentence with these features and this probability is a request."""
    return probability >= (max(threshold, SURE) if RHETORICAL in found else threshold)


class Contribution(NamedTuple):
    feature: str
    weight: float


class Model:
    """Weights of features, a bias and the decision threshold on the probability."""

    def __init__(self, weights: dict[str, float], bias: float, threshold: float) -> None:
        self.weights = weights
        self.bias = bias
        self.threshold = threshold

    def margin(self, found: list[str]) -> float:
        """Bias plus the weights of the features present (each counted once)."""
        get = self.weights.get
        return self.bias + sum(get(feature, 0.0) for feature in set(found))

    def probability(self, found: list[str]) -> float:
        margin = self.margin(found)
        if margin < -30:  # exp would overflow; the probability is 0 to many digits anyway
            return 0.0
        if margin > 30:
            return 1.0
        return 1.0 / (1.0 + math.exp(-margin))

    def is_request(self, found: list[str]) -> bool:
        return decides(self.probability(found), found, self.threshold)

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


def asks(sentence: Sentence) -> bool:
    """Whether the model in use calls this sentence of a body a request."""
    return bool(sentence.texts) and model().is_request(features(sentence.texts, sentence.is_question))


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

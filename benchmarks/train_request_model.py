"""Train the request model (rules/request-model.tsv) from the labelled development sentences.

    .venv/bin/python benchmarks/train_request_model.py             # writes rules/request-model.tsv
    .venv/bin/python benchmarks/train_request_model.py --out FILE  # somewhere else
    .venv/bin/python benchmarks/train_request_model.py --seed 7    # another shuffle order

What it learns from (../shared/corpus/dev, see its README):

* ``emailintent-train.tsv``: "Yes" (the sentence expresses a request or an intent) is a
  positive, "No" a negative.  "Yes" is broader than an ask (it takes in scheduling intents
  such as "Thursday is great" and offers such as "feel free to call me"); it is kept whole
  because it is how the email-intent sets, this one and the kept-apart one, are labelled,
  and because the model only speaks where the rules found neither an ask nor an offer:
  what it recognises becomes a request whose kind the rules' topic words decide (a task
  when none), so a scheduling line seldom moves the ledger.
* ``acts-dev.jsonl``: an ``ask`` (favour or task) is a positive; offers are left out (an
  offer is a "Yes" there but not an ask here, and the rules recognise offers first); every
  other sentence is a negative.

Logistic regression with L2 by stochastic gradient descent in a fixed order from ``--seed``
(pure Python, a few seconds); features seen in fewer than ``MIN_COUNT`` sentences are
dropped before training (so no single sentence is remembered), and only the
``KEEP`` largest weights ship.  An acts-dev sentence weighs ``ACTS_WEIGHT`` times an
email-intent one (its labels are the project's own meaning of "ask").  The decision
threshold is chosen by 5-fold cross-validation on the training sentences: the one at which
"rules or model" has the most recall at precision ``PRECISION`` (0.85, the issue's target)
on the folds held out, each sentence counted by its weight (so the acts-dev meaning of an
ask weighs in as it does in training).  Same data and seed, same file, byte for byte.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devdata import DATA, Labelled, load_acts, load_intent  # noqa: E402

from outreach.ingest import acts  # noqa: E402
from outreach.judge import model as request_model  # noqa: E402

MIN_COUNT = 3
KEEP = 3000
EPOCHS = 12
RATE = 0.2
L2 = 1e-3
FOLDS = 5
ACTS_WEIGHT = 3.0  # an acts-dev sentence counts three times: its "ask" is the one outreach means
PRECISION = 0.85  # the threshold: the most recall at this precision (the target)


class Example(NamedTuple):
    features: tuple[str, ...]  # distinct
    label: bool
    weight: float
    rules: bool  # the rules alone call it a request
    consulted: bool  # the rules would ask the model (or already say request)


def sentence_features(text: str) -> tuple[str, ...]:
    """The model's features of one labelled sentence, read as the act detector reads it."""
    return tuple(sorted(set(request_model.sentence_features(text))))


def requested(text: str, chosen: request_model.Model) -> bool:
    """Whether the act detector, with this model, finds a request in the text."""
    request_model.use(chosen)
    try:
        return bool(acts.requests(text))
    finally:
        request_model.use(None)


class Pair(NamedTuple):
    text: str
    label: bool
    weight: float = 1.0


def training_set(acts_items: Iterable[Labelled], intent_items: Iterable[Labelled]) -> list[Pair]:
    """(sentence, is a request, weight) as the module docstring says."""
    out = [Pair(item.text, bool(item.request)) for item in intent_items]
    out.extend(Pair(item.text, "ask" in item.labels, ACTS_WEIGHT) for item in acts_items if item.give_kind != "offer")
    return out


def examples(pairs: Iterable[Pair | tuple[str, bool]]) -> list[Example]:
    never, always = request_model.never(), request_model.always()
    return [Example(sentence_features(pair.text), pair.label, pair.weight, requested(pair.text, never),
                    requested(pair.text, always)) for pair in map(_pair, pairs)]  # fmt: skip


def _pair(pair: Pair | tuple[str, bool]) -> Pair:
    return pair if isinstance(pair, Pair) else Pair(*pair)


def fit(data: list[Example], seed: int) -> request_model.Model:
    """Weights by SGD on the logistic loss with L2; threshold 0.5 until ``threshold`` picks one."""
    counts = Counter(f for example in data for f in example.features)
    kept = {f for f, n in counts.items() if n >= MIN_COUNT}
    rows = [([f for f in example.features if f in kept], 1.0 if example.label else 0.0, example.weight)
            for example in data]  # fmt: skip
    total = sum(example.weight for example in data)
    weights: dict[str, float] = dict.fromkeys(sorted(kept), 0.0)
    bias = 0.0
    order = list(range(len(rows)))
    shuffle = random.Random(seed).shuffle
    for epoch in range(EPOCHS):
        shuffle(order)
        rate = RATE / (1 + epoch)
        for at in order:
            present, label, weight = rows[at]
            margin = bias + sum(weights[f] for f in present)
            gradient = weight * (_sigmoid(margin) - label)
            bias -= rate * gradient
            for f in present:  # L2 spread over the sentences with the feature: lazy but the same per epoch
                weights[f] -= rate * (gradient + L2 * total * weights[f] / counts[f])
    largest = sorted(weights.items(), key=lambda item: (-abs(item[1]), item[0]))[:KEEP]
    return request_model.Model({f: round(w, 4) for f, w in largest if round(w, 4)}, round(bias, 4), 0.5)


def threshold(data: list[Example], seed: int) -> float:
    """The threshold at which "rules or model" has the most recall at ``PRECISION`` over folds
    the model did not see (the best F1 if no threshold reaches that precision)."""
    held: list[tuple[float, Example]] = []
    for fold in range(FOLDS):
        trained = fit([e for i, e in enumerate(data) if i % FOLDS != fold], seed)
        held.extend((trained.probability(list(e.features)), e) for i, e in enumerate(data) if i % FOLDS == fold)
    cuts = [(t / 100, *precision_recall(held, t / 100)) for t in range(5, 96)]
    precise = [(recall, cut) for cut, precision, recall in cuts if precision >= PRECISION]
    if precise:
        return max(precise)[1]
    return max((2 * p * r / (p + r) if p + r else 0.0, cut) for cut, p, r in cuts)[1]


def precision_recall(held: list[tuple[float, Example]], cut: float) -> tuple[float, float]:
    """Precision and recall of "rules or model" at this cut, each sentence counted by its weight."""
    tp = fp = fn = 0.0
    for probability, example in held:
        said = example.rules or (example.consulted and request_model.decides(probability, example.features, cut))
        weight = example.weight
        tp += weight * (said and example.label)
        fp += weight * (said and not example.label)
        fn += weight * (example.label and not said)
    return (tp / (tp + fp) if tp else 0.0), (tp / (tp + fn) if tp else 0.0)


def train(pairs: Iterable[Pair | tuple[str, bool]], seed: int = 0) -> request_model.Model:
    """The model to ship for these sentences: weights from all of them, threshold by cross-validation."""
    data = examples(pairs)
    trained = fit(data, seed)
    return request_model.Model(trained.weights, trained.bias, threshold(data, seed))


def _sigmoid(margin: float) -> float:
    if margin < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-margin))


def about(pairs: list[Pair], seed: int) -> list[str]:
    positives = sum(pair.label for pair in pairs)
    return [
        "Request model for outreach/judge/model.py: logistic regression, one feature a line.",
        "Written by benchmarks/train_request_model.py; do not edit by hand, retrain.",
        f"Trained on {len(pairs)} labelled sentences ({positives} requests) of ../shared/corpus/dev, seed {seed};",
        f"features in >= {MIN_COUNT} sentences, the {KEEP} largest weights; L2 {L2}; acts-dev weight {ACTS_WEIGHT};",
        f"threshold: most recall at precision {PRECISION} (rules or model), {FOLDS}-fold cross-validation.",
        "w: word, b: word pair (<s> = sentence start, ? = ends with a question mark), s: shape,",
        "p: politeness strategy (rules/politeness.toml).",
    ]


def main(argv: list[str] | None = None, write: Callable[[Path, str], object] = Path.write_text) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA, help="folder with acts-dev.jsonl and emailintent-train.tsv")
    parser.add_argument("--out", type=Path, default=request_model.DATA, help="weights file to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    pairs = training_set(load_acts(args.data / "acts-dev.jsonl"), load_intent(args.data / "emailintent-train.tsv"))
    trained = train(pairs, args.seed)
    write(args.out, request_model.dump(trained, about(pairs, args.seed)))
    print(f"{args.out}: {len(trained.weights)} features, bias {trained.bias}, threshold {trained.threshold}")


if __name__ == "__main__":
    main()

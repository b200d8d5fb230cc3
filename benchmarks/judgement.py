"""Benchmark: how well outreach judges real, human-written sentences.

    .venv/bin/python benchmarks/judgement.py            # today's detectors on the dev data
    .venv/bin/python benchmarks/judgement.py --data DIR # another copy of the labelled files

Reads ``../shared/corpus/dev`` (see its README): ``acts-dev.jsonl`` (600 Enron sentences
labelled for acts) and ``emailintent-train.tsv`` (3,656 sentences labelled request/intent).
Prints, for each half of a fixed split (``A`` = even ids or lines, ``B`` = odd) and for all:

  * per act (ask, favour ask, give, thanks, introduction): precision, recall, F1;
  * per ask kind (money, time, review, intro, job, advice, task) among labelled asks;
  * genuine vs formula thanks; request recognition (any ask, task included) on both files,
    and on email intent also "request or offer" (its label is "a request or an intent", and
    outreach reads offers and referrals as gives, not requests);
  * politeness: AUC of the score, polite (label >= 1) against not (<= 0), on labelled asks.

The detectors include the shipped request model (``rules/request-model.tsv``), which has
seen both halves.  ``--cross`` trains it afresh on one half and measures on the other, both
ways (``B<-A``: trained on A, measured on B), and pools the two: the held-out figures to
trust and to quote.  Beside them: the rules alone (no model) and the shipped model on all.
``--folds K`` does the same with K folds (sentence number modulo K): each model is trained
on (K-1)/K of the sentences, nearer the shipped model's whole set, so its pooled held-out
column is the closer estimate of the shipped model on unseen text of the same kind.

    .venv/bin/python benchmarks/judgement.py --cross
    .venv/bin/python benchmarks/judgement.py --folds 5

Other labelled files of the same formats: ``--acts FILE`` and ``--intent FILE``.  Requests
people rated for politeness (``--politeness FILE``: a CSV or TSV with a text and a score
column, as the Stanford politeness corpus is published, or JSON lines with "text" and
"score") add the AUC of the politeness score between the top and the bottom quartile of the
ratings, beside that of counting "please" and "thank".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import train_request_model  # noqa: E402
from devdata import DATA, FAVOURS, Labelled, Rated, halves, load_acts, load_intent, load_rated  # noqa: E402

from outreach.judge import model as request_model  # noqa: E402

ACTS = ("ask", "favour_ask", "give", "thanks", "introduction")


@dataclass
class Verdict:
    """What the detectors say about one sentence."""

    labels: set[str]
    ask_kind: str | None
    give_kind: str | None
    request: bool
    politeness: float


# --- the detectors under test ---------------------------------------------------------------------


def judge_with_acts() -> Callable[[str], Verdict]:
    """The production path: every act ``outreach.ingest.acts.read`` finds (read once), seen as
    ``detect`` (the favours) and ``requests`` (tasks included) see them, and the lint politeness score."""
    from outreach.ingest import acts
    from outreach.lint.draft import Draft

    def judge(text: str) -> Verdict:
        read = [f.act for f in acts.read(text)]
        found = [a for a in read if acts.is_favour(a)]  # favours only: what the ledger counts
        asked = [a for a in read if a.kind == "ask"]  # every request, tasks included
        labels = {a.kind for a in found}
        favour = next((a for a in found if a.kind == "ask"), None)
        ask = favour or (asked[0] if asked else None)
        give = next((a for a in found if a.kind == "give"), None)
        if asked:
            labels.add("ask")
        if any(a.kind == "thanks" and a.subtype == acts.FORMULA for a in read):
            labels.add("thanks_formula")  # formula thanks are read but never reach the ledger
        if favour and favour.subtype in FAVOURS:
            labels.add("favour_ask")
        polite = Draft(text).politeness
        return Verdict(labels, ask.subtype if ask else None, give.subtype if give else None,
                       request=bool(asked), politeness=polite.score or 0.0)  # fmt: skip

    return judge


# --- figures --------------------------------------------------------------------------------------


def prf(pairs: Iterable[tuple[bool, bool]]) -> tuple[float, float, float, int]:
    """Precision, recall, F1 and support of (truth, predicted) pairs."""
    tp = fp = fn = 0
    for truth, predicted in pairs:
        tp += truth and predicted
        fp += predicted and not truth
        fn += truth and not predicted
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp + fn


def auc(scored: list[tuple[float, bool]]) -> float | None:
    """Probability that a positive outranks a negative (ties count half)."""
    positives = [s for s, y in scored if y]
    negatives = [s for s, y in scored if not y]
    if not positives or not negatives:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


@dataclass
class Judged:
    """The verdicts on one split: each acts-dev sentence with its verdict, each email-intent
    sentence with whether a request was found."""

    acts: list[tuple[Labelled, Verdict]]
    intent: list[tuple[Labelled, Verdict]]

    def __add__(self, other: Judged) -> Judged:
        return Judged(self.acts + other.acts, self.intent + other.intent)


def judged(acts_items: list[Labelled], intent_items: list[Labelled], judge: Callable[[str], Verdict],
           model: request_model.Model | None = None) -> Judged:  # fmt: skip
    """Run the detectors (with ``model`` as the request model, else the shipped one)."""
    request_model.use(model)
    try:
        return Judged([(item, judge(item.text)) for item in acts_items],
                      [(item, judge(item.text)) for item in intent_items])  # fmt: skip
    finally:
        request_model.use(None)


def figures(split: Judged) -> dict[str, str]:
    """Row name -> 'P R F1' text for one split."""
    verdicts = split.acts
    rows: dict[str, tuple[float, float, float, int]] = {}
    for act in (*ACTS, "thanks_formula"):
        rows[act] = prf((act in i.labels, act in v.labels) for i, v in verdicts)
    for kind in (*FAVOURS, "task"):
        rows[f"ask kind {kind}"] = prf((i.ask_kind == kind, v.ask_kind == kind) for i, v in verdicts)
    for kind in ("offer", "intro", "resource", "congrats"):
        rows[f"give kind {kind}"] = prf((i.give_kind == kind, v.give_kind == kind) for i, v in verdicts)
    rows["request (acts-dev)"] = prf((bool(i.request), v.request) for i, v in verdicts)
    rows["request (email intent)"] = prf((bool(i.request), v.request) for i, v in split.intent)
    # The email-intent label is "a request or an intent": an offer or a referral is the writer's intent.
    rows["request|offer (intent)"] = prf((bool(i.request), v.request or v.give_kind in ("offer", "intro"))
                                           for i, v in split.intent)  # fmt: skip
    out = {name: f"{p:4.2f} {r:4.2f} {f:4.2f} {n:4d}" for name, (p, r, f, n) in rows.items()}
    asks = auc([(v.politeness, (i.polite or 0) >= 1) for i, v in verdicts if i.request])
    everyone = auc([(v.politeness, (i.polite or 0) >= 1) for i, v in verdicts])
    for name, value in (("politeness AUC (asks)", asks), ("politeness AUC (all)", everyone)):
        out[name] = f"{value:4.2f}" if value is not None else "n/a"
    return out


def table(columns: dict[str, dict[str, str]]) -> None:
    """One row per figure, one column (P R F1 n) per split."""
    widths = [max(24, len(name) + 2) for name in columns]
    print(f"{'':<24}" + "".join(f"{name:<{w}}" for name, w in zip(columns, widths, strict=True)))
    print(f"{'':<24}" + "".join(f"{'P    R    F1   n':<{w}}" for w in widths))
    for row in next(iter(columns.values())):
        print(f"{row:<24}" + "".join(f"{col[row]:<{w}}" for col, w in zip(columns.values(), widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA, help="folder with acts-dev.jsonl and emailintent-train.tsv")
    parser.add_argument("--split", choices=("A", "B", "all"), action="append",
                        help="which halves to print (default: A, B and all)")  # fmt: skip
    parser.add_argument("--cross", action="store_true",
                        help="train the request model on each half, measure on the other")  # fmt: skip
    parser.add_argument("--folds", type=int, metavar="K",
                        help="train on all folds but one, measure on that one, for each of K folds")  # fmt: skip
    parser.add_argument("--acts", type=Path, help="act-labelled sentences (default: DATA/acts-dev.jsonl)")
    parser.add_argument("--intent", type=Path, help="Yes/No request sentences (default: DATA/emailintent-train.tsv)")
    parser.add_argument("--politeness", type=Path, metavar="FILE", help="requests rated for politeness by people")
    args = parser.parse_args()
    try:  # a bad file fails before the long part
        rated = load_rated(args.politeness) if args.politeness else None
    except (OSError, ValueError, KeyError) as exc:
        parser.error(f"--politeness: {exc}")
    acts_file = args.acts or args.data / "acts-dev.jsonl"
    intent_file = args.intent or args.data / "emailintent-train.tsv"
    for labelled in (acts_file, intent_file):
        if not labelled.is_file():
            parser.error(f"{labelled}: no such file")
    acts_items = halves(load_acts(acts_file))
    intent_items = halves(load_intent(intent_file))
    judge = judge_with_acts()
    print(f"acts-dev {len(acts_items['all'])} sentences, email intent {len(intent_items['all'])}; "
          f"A = even ids/lines, B = odd")  # fmt: skip
    if args.folds is not None and args.folds < 2:
        parser.error("--folds needs at least 2 folds")
    if args.cross or args.folds:
        table(cross(acts_items["all"], intent_items["all"], judge, args.folds or 2))
    else:
        chosen = args.split or ["A", "B", "all"]
        table({half: figures(judged(acts_items[half], intent_items[half], judge)) for half in chosen})
    if rated is not None:
        print(rated_politeness(rated, judge))


def rated_politeness(rated: list[Rated], judge: Callable[[str], Verdict]) -> str:
    """AUC of the politeness score, and of counting "please" and "thank", between the top and
    the bottom quartile of requests people rated (the shipped model)."""
    ordered = sorted(rated, key=lambda r: r.score)
    quarter = len(ordered) // 4
    if not quarter:
        return f"politeness, human-rated: {len(ordered)} requests, too few for quartiles"
    ends = [(r.text, False) for r in ordered[:quarter]] + [(r.text, True) for r in ordered[-quarter:]]
    ours = auc([(judge(text).politeness, polite) for text, polite in ends])
    counted = auc([(_please_and_thanks(text), polite) for text, polite in ends])
    return (f"politeness, human-rated: {len(ordered)} requests, top and bottom quartile {quarter} each; "
            f"AUC {ours:.2f} (counting please and thanks: {counted:.2f})")  # fmt: skip


def _please_and_thanks(text: str) -> int:
    words = text.lower().replace("'", " ").split()
    return sum(word.strip(".,!?;:") in ("please", "pls") or word.startswith("thank") for word in words)


def cross(acts_items: list[Labelled], intent_items: list[Labelled], judge: Callable[[str], Verdict],
          folds: int) -> dict[str, dict[str, str]]:  # fmt: skip
    """Columns: rules alone (all), the shipped model (all, seen in training) and held out (each
    fold measured with the model trained on the others, pooled); with two folds (the halves A
    and B) each half's own column too."""
    held = {}
    for fold in range(folds):
        (acts_train, acts_test), (intent_train, intent_test) = (apart(acts_items, folds, fold),
                                                                apart(intent_items, folds, fold))  # fmt: skip
        model = train_request_model.train(train_request_model.training_set(acts_train, intent_train))
        name = f"{'AB'[fold]}<-{'BA'[fold]}" if folds == 2 else f"fold {fold}"
        print(f"{name}: {len(model.weights)} features, threshold {model.threshold}")
        held[name] = judged(acts_test, intent_test, judge, model)
    pooled = sum(held.values(), Judged([], []))
    return {
        "rules only": figures(judged(acts_items, intent_items, judge, request_model.never())),
        "shipped (seen)": figures(judged(acts_items, intent_items, judge)),
        **({name: figures(split) for name, split in held.items()} if folds == 2 else {}),
        "held-out" if folds == 2 else f"held-out ({folds}-fold)": figures(pooled),
    }


def apart(items: list[Labelled], folds: int, fold: int) -> tuple[list[Labelled], list[Labelled]]:
    """(the sentences to train on, the fold to measure on), by sentence number modulo ``folds``."""
    return [i for i in items if i.key % folds != fold], [i for i in items if i.key % folds == fold]


if __name__ == "__main__":
    main()

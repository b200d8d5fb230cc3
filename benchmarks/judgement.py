"""Benchmark: how well outreach judges real, human-written sentences.

    .venv/bin/python benchmarks/judgement.py            # today's detectors on the dev data
    .venv/bin/python benchmarks/judgement.py --data DIR # another copy of the labelled files

Reads ``../shared/corpus/dev`` (see its README): ``acts-dev.jsonl`` (600 Enron sentences
labelled for acts) and ``emailintent-train.tsv`` (3,656 sentences labelled request/intent).
Prints, for each half of a fixed split (``A`` = even ids or lines, ``B`` = odd) and for all:

  * per act (ask, favour ask, give, thanks, introduction): precision, recall, F1;
  * per ask kind (money, time, review, intro, job, advice, task) among labelled asks;
  * genuine vs formula thanks; request recognition (any ask, task included) on both files;
  * politeness: AUC of the score, polite (label >= 1) against not (<= 0), on labelled asks.

Where a learned model is shipped, ``--cross`` also trains it on one half and measures it on
the other (both ways): the held-out figures to trust; the shipped model has seen both halves.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# ../shared beside the checkout (a worktree may sit one level deeper).
DATA = next((d / "shared" / "corpus" / "dev" for d in ROOT.parents if (d / "shared" / "corpus" / "dev").is_dir()),
            ROOT.parent / "shared" / "corpus" / "dev")  # fmt: skip
FAVOURS = ("money", "time", "review", "intro", "job", "advice")
ACTS = ("ask", "favour_ask", "give", "thanks", "introduction")


@dataclass
class Labelled:
    """One labelled sentence: the act labels (acts-dev) or only the request label (email intent)."""

    key: int
    text: str
    labels: set[str] = field(default_factory=set)  # acts present: ask, favour_ask, give, thanks, ...
    ask_kind: str | None = None
    give_kind: str | None = None
    request: bool | None = None
    polite: int | None = None


@dataclass
class Verdict:
    """What the detectors say about one sentence."""

    labels: set[str]
    ask_kind: str | None
    give_kind: str | None
    request: bool
    politeness: float


def load_acts(path: Path) -> list[Labelled]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels = {row["label"], *row["also"]} - {"none"}
        kind = row["kind"]
        item = Labelled(row["id"], row["sentence"], labels, polite=row["polite"])
        if row["label"] == "ask":
            item.ask_kind = kind
            if kind != "task":
                labels.add("favour_ask")
        elif row["label"] == "give":
            item.give_kind = kind
        item.request = "ask" in labels
        out.append(item)
    return out


def load_intent(path: Path) -> list[Labelled]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines()):
        answer, _, text = line.partition("\t")
        if answer in ("Yes", "No") and text.strip():
            out.append(Labelled(number, text.strip(), request=answer == "Yes"))
    return out


def halves(items: list[Labelled]) -> dict[str, list[Labelled]]:
    return {"A": [i for i in items if i.key % 2 == 0], "B": [i for i in items if i.key % 2 == 1], "all": items}


# --- the detectors under test ---------------------------------------------------------------------


def judge_with_acts() -> Callable[[str], Verdict]:
    """The production path: outreach.ingest.acts.detect and .requests, and the lint politeness score."""
    from outreach.ingest import acts
    from outreach.lint.draft import Draft

    def judge(text: str) -> Verdict:
        found = acts.detect(text)  # favours only: what the ledger counts
        asked = acts.requests(text)  # every request, tasks included
        labels = {a.kind for a in found}
        favour = next((a for a in found if a.kind == "ask"), None)
        ask = favour or (asked[0] if asked else None)
        give = next((a for a in found if a.kind == "give"), None)
        if asked:
            labels.add("ask")
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


def figures(acts_items: list[Labelled], intent_items: list[Labelled],
            judge: Callable[[str], Verdict]) -> dict[str, str]:  # fmt: skip
    """Row name -> 'P R F1' text for one split."""
    verdicts = [(item, judge(item.text)) for item in acts_items]
    rows: dict[str, tuple[float, float, float, int]] = {}
    for act in (*ACTS, "thanks_formula"):
        rows[act] = prf((act in i.labels, act in v.labels) for i, v in verdicts)
    for kind in (*FAVOURS, "task"):
        rows[f"ask kind {kind}"] = prf((i.ask_kind == kind, v.ask_kind == kind) for i, v in verdicts)
    for kind in ("offer", "intro", "resource", "congrats"):
        rows[f"give kind {kind}"] = prf((i.give_kind == kind, v.give_kind == kind) for i, v in verdicts)
    rows["request (acts-dev)"] = prf((bool(i.request), v.request) for i, v in verdicts)
    rows["request (email intent)"] = prf((bool(i.request), judge(i.text).request) for i in intent_items)
    out = {name: f"{p:4.2f} {r:4.2f} {f:4.2f} {n:4d}" for name, (p, r, f, n) in rows.items()}
    asks = auc([(v.politeness, (i.polite or 0) >= 1) for i, v in verdicts if i.request])
    everyone = auc([(v.politeness, (i.polite or 0) >= 1) for i, v in verdicts])
    for name, value in (("politeness AUC (asks)", asks), ("politeness AUC (all)", everyone)):
        out[name] = f"{value:4.2f}" if value is not None else "n/a"
    return out


def table(columns: dict[str, dict[str, str]]) -> None:
    """One row per figure, one column (P R F1 n) per split."""
    print(f"{'':<24}" + "".join(f"{name + ': P    R    F1   n':<24}" for name in columns))
    for row in next(iter(columns.values())):
        print(f"{row:<24}" + "".join(f"{col[row]:<24}" for col in columns.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA, help="folder with acts-dev.jsonl and emailintent-train.tsv")
    parser.add_argument("--split", choices=("A", "B", "all"), action="append",
                        help="which halves to print (default: A, B and all)")  # fmt: skip
    args = parser.parse_args()
    acts_items = halves(load_acts(args.data / "acts-dev.jsonl"))
    intent_items = halves(load_intent(args.data / "emailintent-train.tsv"))
    judge = judge_with_acts()
    chosen = args.split or ["A", "B", "all"]
    print(f"acts-dev {len(acts_items['all'])} sentences, email intent {len(intent_items['all'])}; "
          f"A = even ids/lines, B = odd")  # fmt: skip
    table({half: figures(acts_items[half], intent_items[half], judge) for half in chosen})


if __name__ == "__main__":
    main()

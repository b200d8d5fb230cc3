"""The labelled development sentences of ../shared/corpus/dev, for the benchmarks and the training script.

Read from the shared folder at run time; nothing of them is copied into the project.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (a worktree may sit one level deeper).
DATA = next((d / "shared" / "corpus" / "dev" for d in ROOT.parents if (d / "shared" / "corpus" / "dev").is_dir()),
            ROOT.parent / "shared" / "corpus" / "dev")  # fmt: skip
FAVOURS = ("money", "time", "review", "intro", "job", "advice")


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


def load_acts(path: Path) -> list[Labelled]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        labels = {row["label"], *row["also"]} - {"none"}
        kind = row["kind"]
        key = row["id"] if isinstance(row.get("id"), int) else number  # folds split by an integer
        item = Labelled(key, row["sentence"], labels, polite=row["polite"])
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


class Rated(NamedTuple):
    """A request people rated for politeness (higher is politer)."""

    text: str
    score: float


_TEXT_COLUMNS = ("request", "text", "sentence")
_SCORE_COLUMNS = ("normalized score", "score", "politeness")


def load_rated(path: Path) -> list[Rated]:
    """Human-rated requests: a CSV or TSV with a header naming a text column (Request, text or
    sentence) and a score column (Normalized Score, score or politeness), as the Stanford
    politeness corpus is published; or JSON lines with "text" and "score".  Rows without a
    score are skipped; a score that is not a number is a ValueError naming the file and line."""
    suffix = path.suffix.lower()
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:  # -sig: a BOM is no header
        if suffix == ".jsonl":
            rows = [(number, json.loads(line)) for number, line in enumerate(handle, 1) if line.strip()]
            return [_rated(path, number, row.get("text"), row.get("score")) for number, row in rows
                    if row.get("score") not in (None, "")]  # fmt: skip
        reader = csv.DictReader(handle, delimiter="\t" if suffix == ".tsv" else ",")
        names = {name.strip().lower(): name for name in reader.fieldnames or ()}
        text = next((names[c] for c in _TEXT_COLUMNS if c in names), None)
        score = next((names[c] for c in _SCORE_COLUMNS if c in names), None)
        if text is None or score is None:
            raise ValueError(f"{path}: needs a text column ({', '.join(_TEXT_COLUMNS)}) and a score column "
                             f"({', '.join(_SCORE_COLUMNS)}); it has {', '.join(names) or 'no header'}")  # fmt: skip
        return [_rated(path, reader.line_num, row[text], row[score]) for row in reader if row[text] and row[score]]


def _rated(path: Path, row: int, text: object, score: object) -> Rated:
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{path}: line {row} has no text")
    try:
        return Rated(text, float(score))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{path}: line {row}: score {score!r} is not a number") from None


def halves(items: list[Labelled]) -> dict[str, list[Labelled]]:
    return {"A": [i for i in items if i.key % 2 == 0], "B": [i for i in items if i.key % 2 == 1], "all": items}

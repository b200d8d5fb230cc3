"""The benchmarks still run: each prints its figures on a small input and exits 0.

They assert nothing about time (tests never do); they catch a benchmark that a change to the
code it measures has broken, which otherwise shows only when someone next needs its figures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from devdata import DATA  # noqa: E402


def run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), *args], capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_act_detection_benchmark_prints_each_step() -> None:
    out = run("acts.py", "--messages", "150", "--rounds", "1")
    for step in ("acts.detect:", "own text and sentences:", "cue look-up:", "request forms:", "request model"):
        assert step in out


def test_ingest_benchmark_syncs_and_compares_with_the_naive_parse() -> None:
    out = run("ingest.py", "--messages", "200", "--naive-sample", "50")
    assert "new 200" in out
    assert "sync / naive parse:" in out
    assert "outreach sync (no change):" in out


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/corpus/dev")
def test_judgement_benchmark_prints_every_row() -> None:
    out = run("judgement.py", "--split", "A")
    for row in ("favour_ask", "give", "thanks_formula", "ask kind task", "request (email intent)",
                "politeness AUC (asks)"):  # fmt: skip
        assert row in out


def test_judgement_folds_split_every_sentence_once() -> None:
    import judgement
    from devdata import Labelled

    items = [Labelled(key, f"sentence {key}") for key in range(11)]
    measured = [judgement.apart(items, 3, fold)[1] for fold in range(3)]
    assert sorted(i.key for fold in measured for i in fold) == list(range(11))
    trained, tested = judgement.apart(items, 3, 1)
    assert {i.key for i in trained}.isdisjoint(i.key for i in tested)
    assert len(trained) + len(tested) == 11


def test_judgement_refuses_a_single_fold() -> None:
    done = subprocess.run([sys.executable, str(BENCHMARKS / "judgement.py"), "--folds", "1"], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2 and "at least 2 folds" in done.stderr


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/corpus/dev")
def test_judgement_measures_requests_people_rated_for_politeness(tmp_path: Path) -> None:
    rated = tmp_path / "rated.csv"  # the Stanford corpus's columns; the team's own sentences and scores
    rated.write_text(
        "Community,Id,Request,Normalized Score\n"
        'wiki,1,"Could you please look at the table when you have a moment? Thanks!",1.4\n'
        'wiki,2,"Hi, would you mind checking the dates in the second section?",0.9\n'
        "wiki,3,Can you add the missing source?,0.2\n"
        "wiki,4,Why did you delete my paragraph?,-0.8\n"
        "wiki,5,Undo that edit now.,-1.3\n"
        'wiki,6,"Sorry to trouble you, but could you help me with the infobox?",1.1\n'
        "wiki,7,What is wrong with you?,-1.6\n"
        "wiki,8,Where is the citation for this?,-0.4\n"
    )
    out = run("judgement.py", "--split", "A", "--politeness", str(rated))
    line = next(line for line in out.splitlines() if line.startswith("politeness, human-rated"))
    assert "8 requests, top and bottom quartile 2 each" in line
    assert "AUC 1.00" in line  # the two politest outrank the two rudest


def test_judgement_names_the_columns_a_rated_file_lacks(tmp_path: Path) -> None:
    rated = tmp_path / "rated.csv"
    rated.write_text("id,words\n1,Could you help?\n")
    done = subprocess.run([sys.executable, str(BENCHMARKS / "judgement.py"), "--politeness", str(rated)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2 and "needs a text column" in done.stderr and "it has id, words" in done.stderr


def test_rated_requests_are_read_as_people_save_them(tmp_path: Path) -> None:
    from devdata import load_rated

    bom = tmp_path / "rated.CSV"  # a byte-order mark, an upper-case suffix, a quoted field over two lines
    bom.write_text('\ufeffRequest,Normalized Score\n"Could you, please,\nhelp?",0.9\nSend it now,-1.2\nNo score,\n',
                   encoding="utf-8")  # fmt: skip
    assert [(r.text, r.score) for r in load_rated(bom)] == [("Could you, please,\nhelp?", 0.9), ("Send it now", -1.2)]
    lines = tmp_path / "rated.jsonl"
    lines.write_text('{"text": "Could you help?", "score": 1}\n{"text": "Now.", "score": null}\n')
    assert [r.score for r in load_rated(lines)] == [1.0]
    bad = tmp_path / "bad.csv"
    bad.write_text("text,score\nCould you help?,0.5\nNow.,n/a\n")
    with pytest.raises(ValueError, match="line 3: score 'n/a' is not a number"):
        load_rated(bad)

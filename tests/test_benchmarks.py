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

"""Benchmark the pre-send linter: per draft in-process, whole process, and linear scaling.

    .venv/bin/python benchmarks/lint.py                    # outreach figures (+ proselint if set up)
    .venv/bin/python benchmarks/lint.py --setup-proselint  # first: proselint into benchmarks/.cache

Prints, over the labelled corpus (tests/fixtures/drafts):
  * median and p95 milliseconds per draft in-process (rules already loaded);
  * whole-process wall time of `outreach lint DRAFT` (median of several runs), next to a bare
    interpreter and, when installed, `proselint check DRAFT` on the same draft and proselint's
    in-process median over the same drafts; also `outreach lint` of one .eml draft (no target:
    reading a message costs more start-up than a text file);
  * lint time of degenerate inputs at 250 KB, 500 KB and 1 MB (linear means the time doubles).
Targets (issue 11): whole process at most 0.6x proselint's in the same run; (issue 5) median under 1 ms.
Python may be told not to write bytecode (PYTHONDONTWRITEBYTECODE); the whole-process figures
are taken with bytecode allowed, as an installed tool runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from outreach.lint import engine, lint, source

ROOT = Path(__file__).resolve().parents[1]
DRAFTS = ROOT / "tests" / "fixtures" / "drafts"
CACHE = ROOT / "benchmarks" / ".cache"
PROSELINT_VENV = CACHE / "proselint-venv"
ONE_DRAFT = DRAFTS / "g01-coffee-20min.txt"
TARGET_RATIO = 0.6  # issue 11: whole-process `outreach lint` at most 0.6x proselint's, measured in one run
ONE_MESSAGE = ROOT / "examples" / "drafts" / "04-good-thank-referrer.eml"  # an .eml goes through outreach.ingest.parse

_PROSELINT_INPROCESS = r"""
import statistics, sys, time
from pathlib import Path
from proselint.checks import __register__
from proselint.registry import CheckRegistry
from proselint.tools import LintFile
CheckRegistry().register_many(__register__)
texts = [(str(p), p.read_text()) for p in sorted(Path(sys.argv[1]).iterdir()) if p.suffix in (".txt", ".eml")]
LintFile(*texts[0]).lint()
times = []
for _ in range(int(sys.argv[2])):
    for name, text in texts:
        start = time.perf_counter()
        LintFile(name, text).lint()
        times.append((time.perf_counter() - start) * 1000)
print(statistics.median(times))
"""


def corpus() -> list[Path]:
    return sorted(p for p in DRAFTS.iterdir() if p.suffix in (".txt", ".eml"))


def in_process(rounds: int) -> list[float]:
    rules = engine.load_rules()
    inputs = [source.read(str(p)) for p in corpus()]
    times = []
    for _ in range(rounds):
        for item in inputs:
            start = time.perf_counter()
            source.check(item, rules)
            times.append((time.perf_counter() - start) * 1000)
    return times


def wall(command: list[str], runs: int, env: dict[str, str]) -> float:
    """Median wall-clock milliseconds of a command (one warm-up run first)."""
    subprocess.run(command, capture_output=True, env=env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, env=env)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def scaling() -> list[tuple[str, list[float]]]:
    note = (
        "Hi Sam, thanks for the talk. Could you spare 20 minutes next week? I'd love your take on pricing. "
        "Could you lend me $500? I'll call you Tuesday at 2:30.\n"
    )
    shapes = {
        "realistic note": note,
        "one letter": "a",
        "spaces": " ",
        "dollar signs": "$",
        "'could you ' repeated": "could you ",
        "quoted lines": "> x\n",
    }
    lint("warm up")
    rows = []
    for name, unit in shapes.items():
        row = []
        for size in (250_000, 500_000, 1_000_000):
            text = unit * (size // len(unit))
            start = time.perf_counter()
            lint(text)
            row.append(time.perf_counter() - start)
        rows.append((name, row))
    return rows


def setup_proselint() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(PROSELINT_VENV)], check=True)
    subprocess.run([str(PROSELINT_VENV / "bin" / "pip"), "install", "--quiet", "proselint"], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--setup-proselint", action="store_true", help="install proselint into benchmarks/.cache")
    parser.add_argument("--runs", type=int, default=15, help="whole-process runs per command (default 15)")
    parser.add_argument("--rounds", type=int, default=20, help="passes over the corpus in-process (default 20)")
    parser.add_argument("--no-scaling", action="store_true", help="skip the degenerate-input scaling runs")
    args = parser.parse_args()
    if args.setup_proselint:
        setup_proselint()

    drafts = corpus()
    times = in_process(args.rounds)
    times.sort()
    print(f"in-process over {len(drafts)} drafts x {args.rounds}: median {statistics.median(times):.3f} ms, "
          f"p95 {times[int(len(times) * 0.95)]:.3f} ms, max {times[-1]:.3f} ms   (target: median < 1 ms)")

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    outreach_bin = str(Path(sys.executable).with_name("outreach"))
    lint_cmd = [outreach_bin, "lint", "--no-context", "--exit-zero", str(ONE_DRAFT)]
    ours = wall(lint_cmd, args.runs, env)
    eml = wall(lint_cmd[:-1] + [str(ONE_MESSAGE)], args.runs, env)
    bare = wall([sys.executable, "-c", "pass"], args.runs, env)
    print(f"whole process, one draft: outreach lint {ours:.0f} ms; "
          f"bare interpreter {bare:.0f} ms")
    print(f"whole process, one .eml draft ({ONE_MESSAGE.name}): outreach lint {eml:.0f} ms")

    proselint = PROSELINT_VENV / "bin" / "proselint"
    if proselint.exists():
        theirs = wall([str(proselint), "check", str(ONE_DRAFT)], args.runs, env)
        median = subprocess.run(
            [str(PROSELINT_VENV / "bin" / "python"), "-c", _PROSELINT_INPROCESS, str(DRAFTS), "3"],
            capture_output=True, text=True, env=env, check=True,
        ).stdout.strip()
        verdict = "met" if ours <= theirs * TARGET_RATIO else "missed"
        print(f"proselint: whole process {theirs:.0f} ms, in-process median {float(median):.3f} ms per draft")
        print(f"outreach lint / proselint, whole process: {ours / theirs:.2f}x; "
              f"target <= {TARGET_RATIO}x ({theirs * TARGET_RATIO:.0f} ms): {verdict}")
    else:
        print("proselint: not installed (run with --setup-proselint to compare)")

    if args.no_scaling:
        return 0
    print("linear scaling (seconds at 250 KB / 500 KB / 1 MB):")
    for name, row in scaling():
        print(f"  {name:24s} " + " / ".join(f"{t:6.3f}" for t in row) + f"   x{row[2] / max(row[0], 1e-9):.1f} for 4x")
    print("(figures on a shared 2-core machine: indicative only)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

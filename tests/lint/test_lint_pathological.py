"""Inputs built to make regexes backtrack: they must simply finish (the benchmark times them)."""

from __future__ import annotations

import pytest

from outreach.ingest import acts
from outreach.lint import engine, kinds
from outreach.lint import lint as lint_text

NOTE = (
    "Hi Sam, thanks for the talk. Could you spare 20 minutes next week? I'd love your take on pricing, "
    "and I'm happy to share our data in return. Could you lend me $500? I'll call you Tuesday at 2:30.\n"
)
# One megabyte of realistic text, and 200 KB of each degenerate shape (benchmarks/lint.py times
# them at several sizes to show the cost grows linearly).
CASES = {
    "1MB realistic": NOTE * (1_000_000 // len(NOTE)),
    "one letter": "a" * 200_000,
    "spaces": " " * 200_000,
    "newlines": "\n" * 200_000,
    "thousands of $": "$" * 200_000,
    "dollar digits": "$1" * 100_000,
    "digits": "9" * 200_000,
    "repeated ask": "could you " * 20_000,
    "repeated phrase no stop": "I'll call you " * 15_000,
    "question marks": "?" * 200_000,
    "quote lines": "> x\n" * 50_000,
    "directive lines": "outreach: ignore OUT1\n" * 10_000,
    "unicode": "İ\u2019\u201c" * 70_000,
    "long word": "a" * 200_000 + " week",
    "half half": "half " * 40_000 + "day",
}


@pytest.mark.parametrize("name", CASES)
def test_pathological_inputs_finish(name: str) -> None:
    report = lint_text(CASES[name])
    assert isinstance(report.findings, list)
    assert isinstance(acts.detect(CASES[name]), list)


def test_a_megabyte_of_realistic_text_is_linted_in_full() -> None:
    report = lint_text(CASES["1MB realistic"])
    assert report.metrics["words"] > 150_000
    assert {"money", "presumptuous", "length"} <= report.categories


def test_every_rule_pattern_is_bounded() -> None:
    for rule in engine.load_rules():
        for source in rule.params.get("patterns", []):
            kinds.check_bounded(source)  # raises for unbounded or nested repeats

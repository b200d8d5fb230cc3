"""The labelled corpus: recall per category on bad drafts, false positives on good ones.

tests/fixtures/drafts/ holds realistic drafts; EXPECTED.toml gives each one's exact expected
categories ([] = a good draft) and, for relationship rules, the recipient's context.  The
suite prints the figures and fails below 90% recall in any category or above 5% false
positives on good drafts.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from outreach.lint import engine, source
from outreach.lint.draft import Draft
from outreach.model import RecipientContext

DRAFTS = Path(__file__).resolve().parents[1] / "fixtures" / "drafts"
EXPECTED = tomllib.loads((DRAFTS / "EXPECTED.toml").read_text())
MIN_RECALL = 0.90
MAX_FALSE_POSITIVES = 0.05


def lint_file(name: str):
    entry = EXPECTED[name]
    draft_input = source.read(str(DRAFTS / name))
    context = None
    if "context" in entry:
        context = RecipientContext(address=draft_input.to or "someone@example.com", **entry["context"])
    draft = Draft(text=draft_input.text, to=draft_input.to, context=context, ignored=draft_input.ignored)
    return engine.run(draft, engine.load_rules(), name)


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[set[str], set[str]]]:
    return {name: (set(entry["expect"]), lint_file(name).categories) for name, entry in EXPECTED.items()}


def test_corpus_is_big_enough() -> None:
    files = {p.name for p in DRAFTS.iterdir() if p.suffix in (".txt", ".eml")}
    assert files == set(EXPECTED), "every draft needs an EXPECTED.toml entry and vice versa"
    good = [n for n, e in EXPECTED.items() if not e["expect"]]
    assert len(EXPECTED) >= 60 and len(good) >= 25
    assert {c for e in EXPECTED.values() for c in e["expect"]} == set(engine.categories(engine.load_rules()))


def test_recall_per_category_and_false_positives(results, capsys) -> None:
    lines, failures = [], []
    for category in engine.categories(engine.load_rules()):
        expected = [n for n, (want, _) in results.items() if category in want]
        caught = [n for n in expected if category in results[n][1]]
        recall = len(caught) / len(expected)
        lines.append(f"  {category:13s} recall {recall:6.1%}  ({len(caught)}/{len(expected)})")
        if recall < MIN_RECALL:
            failures.append(f"{category}: missed {sorted(set(expected) - set(caught))}")
    good = [n for n, (want, _) in results.items() if not want]
    flagged = [n for n in good if results[n][1]]
    rate = len(flagged) / len(good)
    lines.append(f"  false positives on good drafts {rate:.1%} ({len(flagged)}/{len(good)})")
    extra = sorted((n, sorted(got - want)) for n, (want, got) in results.items() if want and got - want)
    lines.append(f"  bad drafts with an unexpected extra category: {len(extra)}")
    with capsys.disabled():
        print("\nlint corpus:\n" + "\n".join(lines))
    if rate > MAX_FALSE_POSITIVES:
        failures.append(f"false positives: {[(n, sorted(results[n][1])) for n in flagged]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_draft_gets_exactly_its_categories(name: str, results) -> None:
    want, got = results[name]
    assert got == want, f"{name}: expected {sorted(want)}, got {sorted(got)}: {lint_file(name).codes}"

"""Every rule's own examples: each `bad` text triggers the rule, each `good` text does not."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from outreach.lint import engine
from outreach.lint.draft import Draft

RULES = engine.load_rules()


def _examples(which: str):
    for rule in RULES:
        for index, text in enumerate(getattr(rule, which)):
            yield pytest.param(rule, text, id=f"{rule.code}-{which}{index}")


def _codes(rule: engine.Rule, text: str) -> list[str]:
    draft = Draft(text=text, to="example@example.com", context=rule.example_recipient())
    return engine.run(draft, [rule]).codes


@pytest.mark.parametrize(("rule", "text"), list(_examples("bad")))
def test_bad_example_triggers_its_rule(rule: engine.Rule, text: str) -> None:
    assert rule.code in _codes(rule, text), f"{rule.code} ({rule.slug}) missed: {text!r}"


@pytest.mark.parametrize(("rule", "text"), list(_examples("good")))
def test_good_example_passes_its_rule(rule: engine.Rule, text: str) -> None:
    assert rule.code not in _codes(rule, text), f"{rule.code} ({rule.slug}) fired on: {text!r}"


def test_every_rule_has_bad_and_good_examples() -> None:
    lacking = [r.code for r in RULES if not r.bad or not r.good]
    assert not lacking, f"rules without both bad and good examples: {lacking}"


def test_codes_and_slugs_are_unique_across_files() -> None:
    for attribute in ("code", "slug"):
        repeated = [k for k, n in Counter(getattr(r, attribute) for r in RULES).items() if n > 1]
        assert not repeated, f"repeated {attribute}s: {repeated}"


def test_every_category_has_a_rule() -> None:
    assert {r.category for r in RULES} == set(engine.categories(RULES))


def test_a_family_shares_a_code_prefix() -> None:
    # One family a file, one hundred codes a family: selecting OUT3 selects presumptuous.
    by_file: dict[str, set[str]] = {}
    for rule in RULES:
        by_file.setdefault(rule.source, set()).add(rule.code[:4])
    assert all(len(prefixes) == 1 for prefixes in by_file.values()), by_file


def rule_file(family: str = "money", **fields: object) -> str:
    """A family file with one rule; ``fields`` override or (as None) drop the defaults."""
    rule = {
        "code": "OUT999", "slug": "x-y", "category": family, "kind": "phrase", "severity": "error",
        "message": "m", "why": "w", "fix": "f", "bad": [], "good": [], "phrases": ["a"],
    }
    rule.update(fields)
    lines = [f"{key} = {json.dumps(value)}" for key, value in rule.items() if value is not None]
    return f'family = "{family}"\n\n[[rule]]\n' + "\n".join(lines) + "\n"


BROKEN = [
    ("[[rule]\ncode = 1", "not valid TOML"),
    ("family = 'x'\n", "no [[rule]] tables"),
    ("[[rule]]\ncode = 'OUT999'\n", "needs a top-level family"),
    (rule_file(slug=None), "missing slug"),
    (rule_file(phrases=None), "needs field 'phrases'"),
    (rule_file(category="rude"), "category 'rude' is not this file's family 'money'"),
    (rule_file(kind="pattern", phrases=None, patterns=["(a+)+b"]), "unbounded repeat"),
    (rule_file(kind="pattern", phrases=None, patterns=["(?:a{1,5}){1,5}"]), "a repeat inside a repeat"),
    (rule_file(kind="pattern", phrases=None, patterns=["(a)\\1"]), "back-references are not allowed"),
    (rule_file(kind="spelling"), "unknown kind 'spelling'"),
    (rule_file(severity="fatal"), "severity must be info, warning or error"),
]


@pytest.mark.parametrize(("content", "reason"), BROKEN, ids=[r for _, r in BROKEN])
def test_broken_rule_file_names_its_path_and_reason(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(content)
    with pytest.raises(engine.RuleError) as info:
        engine.load_rules(tmp_path)
    message = str(info.value)
    assert message.startswith(str(path)) and reason in message, message


@pytest.mark.parametrize(("field", "value"), [("category", "rude"), ("severity", "fatal"), ("kind", "spelling")])
def test_a_bad_field_is_reported_at_its_line(tmp_path: Path, field: str, value: str) -> None:
    # Two rules, the second broken: the error points at the line of the bad field, not the file.
    good = rule_file(code="OUT998", slug="fine")
    bad = rule_file(**{field: value}).split("\n", 2)[2]  # without the family line
    path = tmp_path / "two.toml"
    path.write_text(good + "\n" + bad)
    with pytest.raises(engine.RuleError) as info:
        engine.load_rules(tmp_path)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text == f'{field} = "{value}"')
    assert str(info.value).startswith(f"{path}:{line}: rule #2 (OUT999)"), str(info.value)


def test_a_new_family_is_a_new_file(tmp_path: Path) -> None:
    # No code lists the families: a file declaring one is enough for lint, select and categories.
    (tmp_path / "tone.toml").write_text(rule_file("tone", code="OUT960", slug="no-hey", phrases=["hey you"]))
    rules = engine.load_rules(tmp_path)
    assert engine.categories(rules) == ["tone"]
    report = engine.lint("Hey you, got a minute?", rules_dir=tmp_path, select=["tone"])
    assert [f.category for f in report.findings] == ["tone"]


def test_duplicate_code_across_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(rule_file(code="OUT901", slug="first"))
    (tmp_path / "b.toml").write_text(rule_file(code="OUT901", slug="second"))
    with pytest.raises(engine.RuleError, match="'OUT901' is already used"):
        engine.load_rules(tmp_path)


def test_new_rule_of_an_existing_kind_is_only_toml(tmp_path: Path) -> None:
    (tmp_path / "extra.toml").write_text(
        "family = 'presumptuous'\n"
        "[[rule]]\ncode = 'OUT950'\nslug = 'no-hey'\ncategory = 'presumptuous'\nkind = 'phrase'\n"
        "severity = 'info'\nphrases = ['hey you']\nmessage = 'too casual: {match}'\nwhy = 'w'\nfix = 'f'\n"
        "bad = ['Hey you, got a minute?']\ngood = ['Hi Sam']\n"
    )
    report = engine.lint("Hey you, got a minute?", rules_dir=tmp_path)
    assert [(f.code, f.message) for f in report.findings] == [("OUT950", "too casual: Hey you")]


def test_examples_context_with_an_unknown_field_names_the_file(tmp_path: Path) -> None:
    # The recipient is built only when the examples run (start-up never imports the model),
    # and a misspelt field still fails with the file and the rule.
    path = tmp_path / "ctx.toml"
    path.write_text(
        "family = 'relationship'\n"
        "[[rule]]\ncode = 'OUT990'\nslug = 'ctx'\ncategory = 'relationship'\nkind = 'phrase'\n"
        "severity = 'info'\nphrases = ['x']\nmessage = 'm'\nwhy = 'w'\nfix = 'f'\nbad = ['x']\ngood = ['y']\n"
        "examples_context = { closeness = 1 }\n"
    )
    (rule,) = engine.load_rules(tmp_path)
    with pytest.raises(engine.RuleError) as info:
        rule.example_recipient()
    assert str(info.value).startswith(f"{path}: OUT990: examples_context:") and "closeness" in str(info.value)


def test_missing_referrer_is_checked_on_a_first_note_only() -> None:
    from outreach.model import RecipientContext

    text = "Hi Sam, how did the launch go? Could you spare 15 minutes next week?"
    first = RecipientContext("sam@x.com", known=True, strength=0.2, referrer_name="Priya Raman")
    later = RecipientContext("sam@x.com", known=True, strength=0.2, referrer_name="Priya Raman",
                             wrote_since_introduction=True)
    assert "OUT803" in engine.lint(text, context=first).codes
    assert "OUT803" not in engine.lint(text, context=later).codes

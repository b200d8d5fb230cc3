"""Every rule's own examples: each `bad` text triggers the rule, each `good` text does not."""

from __future__ import annotations

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
    assert {r.category for r in RULES} == set(engine.CATEGORIES)


def test_a_family_shares_a_code_prefix() -> None:
    # One family a file, one hundred codes a family: selecting OUT3 selects presumptuous.
    by_file: dict[str, set[str]] = {}
    for rule in RULES:
        by_file.setdefault(rule.source, set()).add(rule.code[:4])
    assert all(len(prefixes) == 1 for prefixes in by_file.values()), by_file


BROKEN = [
    ("[[rule]\ncode = 1", "not valid TOML"),
    ("family = 'x'\n", "no [[rule]] tables"),
    ("[[rule]]\ncode = 'OUT999'\n", "missing slug"),
    ("[[rule]]\nslug = 'x-y'\n" + "\n".join(f"{k} = 'x'" for k in ("message", "why", "fix"))
     + "\ncode = 'OUT999'\ncategory = 'money'\nkind = 'phrase'\nseverity = 'error'\nbad = []\ngood = []\n",
     "needs field 'phrases'"),
    ("[[rule]]\nslug = 'x-y'\nmessage = 'm'\nwhy = 'w'\nfix = 'f'\ncode = 'OUT999'\ncategory = 'rude'\n"
     "kind = 'phrase'\nseverity = 'error'\nbad = []\ngood = []\nphrases = ['a']\n", "category must be one of"),
    ("[[rule]]\nslug = 'x-y'\nmessage = 'm'\nwhy = 'w'\nfix = 'f'\ncode = 'OUT999'\ncategory = 'money'\n"
     "kind = 'pattern'\nseverity = 'error'\nbad = []\ngood = []\npatterns = ['(a+)+b']\n", "unbounded repeat"),
    ("[[rule]]\nslug = 'x-y'\nmessage = 'm'\nwhy = 'w'\nfix = 'f'\ncode = 'OUT999'\ncategory = 'money'\n"
     "kind = 'pattern'\nseverity = 'error'\nbad = []\ngood = []\npatterns = ['(?:a{1,5}){1,5}']\n",
     "a repeat inside a repeat"),
    ("[[rule]]\nslug = 'x-y'\nmessage = 'm'\nwhy = 'w'\nfix = 'f'\ncode = 'OUT999'\ncategory = 'money'\n"
     "kind = 'spelling'\nseverity = 'error'\nbad = []\ngood = []\n", "unknown kind 'spelling'"),
]


@pytest.mark.parametrize(("content", "reason"), BROKEN, ids=[r for _, r in BROKEN])
def test_broken_rule_file_names_its_path_and_reason(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(content)
    with pytest.raises(engine.RuleError) as info:
        engine.load_rules(tmp_path)
    message = str(info.value)
    assert message.startswith(str(path)) and reason in message, message


def test_duplicate_code_across_files_is_refused(tmp_path: Path) -> None:
    rule = (
        "[[rule]]\nslug = '{slug}'\nmessage = 'm'\nwhy = 'w'\nfix = 'f'\ncode = 'OUT901'\ncategory = 'money'\n"
        "kind = 'phrase'\nseverity = 'error'\nbad = []\ngood = []\nphrases = ['a']\n"
    )
    (tmp_path / "a.toml").write_text(rule.format(slug="first"))
    (tmp_path / "b.toml").write_text(rule.format(slug="second"))
    with pytest.raises(engine.RuleError, match="'OUT901' is already used"):
        engine.load_rules(tmp_path)


def test_new_rule_of_an_existing_kind_is_only_toml(tmp_path: Path) -> None:
    (tmp_path / "extra.toml").write_text(
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

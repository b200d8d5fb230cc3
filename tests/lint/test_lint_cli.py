"""`outreach lint` and `outreach rules` end to end, and the outreach.lint.lint() API."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from outreach.cli import main
from outreach.judge import model as request_model
from outreach.lint import engine, lint
from outreach.model import RecipientContext
from tests.support.terminal import run_on_terminal

BAD = "Hi Sam,\n\nCould you lend me $5,000 until my contract starts?\n\nThanks,\nJo\n"
WARN_ONLY = "Hi Sam,\n\nCan we hop on a call for an hour next week? Thanks!\n\nJo\n"
GOOD = "Hi Sam,\n\nThanks for the talk. Could you spare 15 minutes next week for one question on pricing?\n\nJo\n"


def run(args: list[str], capsys, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    status = main(["lint", "--no-context", *args] if args and args[0] != "rules" else args)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def drafts(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in (("bad.txt", BAD), ("warn.txt", WARN_ONLY), ("good.txt", GOOD)):
        paths[name] = tmp_path / name
        paths[name].write_text(text)
    return paths


def test_exit_status_follows_fail_on(drafts, capsys) -> None:
    assert run([str(drafts["good.txt"])], capsys)[0] == 0
    assert run([str(drafts["bad.txt"])], capsys)[0] == 1
    assert run([str(drafts["warn.txt"])], capsys)[0] == 0  # warnings only; default --fail-on error
    assert run(["--fail-on", "warning", str(drafts["warn.txt"])], capsys)[0] == 1
    assert run(["--exit-zero", str(drafts["bad.txt"])], capsys)[0] == 0


def test_text_output_is_path_line_col_code_severity_message_and_fix(drafts, capsys) -> None:
    status, out, _ = run([str(drafts["bad.txt"])], capsys)
    first = out.splitlines()[0]
    assert first.startswith(f"{drafts['bad.txt']}:3:19: OUT101 [error] asks the reader for money: $5,000")
    assert out.splitlines()[1].startswith("    fix: ")


def test_json_report_schema(drafts, capsys) -> None:
    _, out, _ = run(["--format", "json", str(drafts["bad.txt"]), str(drafts["good.txt"])], capsys)
    doc = json.loads(out)
    assert doc["schema"] == "outreach-lint/1"
    assert [d["path"] for d in doc["drafts"]] == [str(drafts["bad.txt"]), str(drafts["good.txt"])]
    finding = doc["drafts"][0]["findings"][0]
    assert set(finding) == {"code", "slug", "category", "severity", "line", "column", "end_line", "end_column",
                            "span", "message", "fix"}
    assert (finding["code"], finding["span"], finding["line"], finding["column"]) == ("OUT101", "$5,000", 3, 19)
    metrics = doc["drafts"][0]["metrics"]
    assert {"words", "sentences", "questions", "reading_grade", "politeness", "asks"} <= set(metrics)
    assert metrics["asks"][0]["kind"] == "money" and metrics["asks"][0]["amount"] == 5000
    assert doc["summary"]["errors"] >= 1 and doc["drafts"][1]["findings"] == []


def test_json_lists_ordinary_work_as_tasks_apart_from_the_asks(tmp_path: Path, capsys) -> None:
    draft = tmp_path / "mixed.txt"
    draft.write_text("Hi Sam,\n\nPlease send me the signed contract by Friday. Could you also review "
                     "my pitch deck before the board meeting?\n\nJo\n")
    _, out, _ = run(["--format", "json", "--exit-zero", str(draft)], capsys)
    metrics = json.loads(out)["drafts"][0]["metrics"]
    assert [t["sentence"] for t in metrics["tasks"]] == ["Please send me the signed contract by Friday."]
    assert [a["kind"] for a in metrics["asks"]] == ["review"]  # the favour; the task is not among the asks


def test_json_says_what_showed_each_act_a_cue_or_the_request_models_features(tmp_path: Path, capsys) -> None:
    draft = tmp_path / "why.txt"
    draft.write_text("Hi Sam,\n\nCould you review my pitch deck? The walkthrough is at the plant.\n\nJo\n")
    request_model.use(request_model.Model({"w:walkthrough": 5.0, "w:plant": 0.5}, -1.0, 0.5))
    try:
        _, out, _ = run(["--format", "json", "--exit-zero", str(draft)], capsys)
    finally:
        request_model.use(None)
    metrics = json.loads(out)["drafts"][0]["metrics"]
    assert [(a["kind"], a["cue"]) for a in metrics["asks"]] == [("review", "could you")]
    assert metrics["tasks"] == [{"sentence": "The walkthrough is at the plant.", "cue": None,
                                 "model": [["w:walkthrough", 5.0], ["w:plant", 0.5]]}]  # fmt: skip


def test_select_and_ignore_by_prefix_category_or_slug(drafts, capsys) -> None:
    assert run(["--select", "time", str(drafts["bad.txt"])], capsys)[0] == 0
    assert run(["--ignore", "OUT1", str(drafts["bad.txt"])], capsys)[0] == 0
    assert run(["--ignore", "money-ask-large", str(drafts["bad.txt"])], capsys)[0] == 0
    assert run(["--select", "OUT101,OUT2", str(drafts["bad.txt"])], capsys)[0] == 1


def test_unknown_selector_is_a_usage_error(drafts, capsys) -> None:
    status, _, err = run(["--select", "OUT999", str(drafts["bad.txt"])], capsys)
    assert status == 2 and "OUT999" in err


def test_missing_file_is_an_input_error(tmp_path, capsys) -> None:
    status, _, err = run([str(tmp_path / "nope.txt")], capsys)
    assert status == 2 and "nope.txt" in err


def test_standard_input(capsys, monkeypatch) -> None:
    status, out, _ = run(["-"], capsys, stdin=BAD, monkeypatch=monkeypatch)
    assert status == 1 and out.startswith("<stdin>:3:19: OUT101")


def test_inline_directive_suppresses_for_the_draft(tmp_path, capsys) -> None:
    path = tmp_path / "d.txt"
    path.write_text(BAD + "# outreach: ignore OUT101, one-sided\n")
    status, out, _ = run([str(path)], capsys)
    assert status == 0 and "OUT101" not in out and "OUT501" not in out


def test_eml_uses_to_subject_header_suppression_and_file_lines(tmp_path, capsys) -> None:
    headers = "From: Jo <jo@example.com>\nTo: Sam <sam@example.org>\nSubject: Hi\nMessage-ID: <x@example.com>\n"
    path = tmp_path / "d.eml"
    path.write_text(headers + "\n" + BAD)
    status, out, _ = run(["--format", "json", str(path)], capsys)
    draft = json.loads(out)["drafts"][0]
    assert draft["to"] == "sam@example.org"
    assert draft["findings"][0]["line"] == 5 + 3  # the line in the file, headers included
    path.write_text(headers + "X-Outreach-Ignore: money\n\n" + BAD)
    status, out, _ = run([str(path)], capsys)
    assert "OUT101" not in out


def test_quoted_reply_is_not_linted(capsys) -> None:
    text = "Thanks, that works for me.\n\n> Could you lend me $5,000?\n> I need you to reply ASAP.\n"
    assert lint(text).findings == []


def test_missing_store_means_no_context(drafts, tmp_path, capsys) -> None:
    status = main(["lint", "--db", str(tmp_path / "none.db"), "--to", "sam@example.org", str(drafts["good.txt"])])
    assert status == 0
    assert not (tmp_path / "none.db").exists()  # never creates a store
    assert engine.recipient_context(tmp_path / "none.db", "sam@example.org") is None


def test_rules_list_and_explain(capsys) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert all(rule.code in out for rule in engine.load_rules())
    assert main(["rules", "explain", "OUT302"]) == 0
    out = capsys.readouterr().out
    assert "unilateral-scheduling" in out and "Why:" in out and "Fix:" in out and "I'll call you Tuesday" in out
    assert main(["rules", "explain", "OUT999"]) == 2


def test_lint_api_with_and_without_context() -> None:
    report = lint("Could you lend me $5,000?")
    assert "money" in report.categories and report.failing("error")
    context = RecipientContext(address="sam@example.org", known=False)
    report = lint("Could you introduce me to your CEO? Thanks!", to="sam@example.org", context=context)
    assert "OUT801" in report.codes and report.context


def test_import_outreach_stays_light() -> None:
    code = "import sys, outreach; print(any(m.startswith('outreach.lint') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def _lint_on_a_terminal(tmp_path: Path, no_color: str | None) -> str:
    draft = tmp_path / "draft.txt"
    draft.write_text(BAD)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_") and k != "NO_COLOR"}
    if no_color is not None:
        env["NO_COLOR"] = no_color
    command = [sys.executable, "-m", "outreach", "lint", "--no-context", str(draft)]
    return run_on_terminal(command, env, status=1)


def test_colour_on_a_terminal_unless_no_color_is_set_to_a_value(tmp_path):
    # As `outreach contacts` (and no-color.org): an empty NO_COLOR counts as unset.
    assert "\033[" in _lint_on_a_terminal(tmp_path, None)
    assert "\033[" in _lint_on_a_terminal(tmp_path, "")
    assert "\033[" not in _lint_on_a_terminal(tmp_path, "1")


@pytest.mark.parametrize("value", ["not an address", "a@b@c", "sam@example.org, jo@example.org", ""])
def test_a_to_that_is_not_one_address_is_a_usage_error(drafts, capsys, value: str) -> None:
    status, out, err = run(["--to", value, str(drafts["good.txt"])], capsys)
    assert status == 2 and out == ""
    assert err.splitlines() == [f"outreach: error: --to {value!r}: expected one address, e.g. "
                                "'Priya Raman <priya@example.org>'"]


def test_a_to_with_a_display_name_is_linted_for_its_bare_address(drafts, capsys) -> None:
    status, out, _ = run(["--format", "json", "--to", "Sam Lee <Sam@Example.org>", str(drafts["good.txt"])], capsys)
    assert status == 0
    assert [d["to"] for d in json.loads(out)["drafts"]] == ["sam@example.org"]

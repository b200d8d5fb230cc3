"""outreach suggest: text and JSON output, --out and --to-drafts (idempotent), dismiss and snooze."""

from __future__ import annotations

import email.policy
import json
import os
from email.parser import BytesParser

import pytest

from outreach.cli import main
from tests.suggest_sample import MANIFEST, ME, address, synced_copy

NOW = MANIFEST["now"]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("suggest-cli")


@pytest.fixture
def db(cache, tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("OUTREACH_ENV_FILE", os.devnull)
    monkeypatch.setenv("OUTREACH_ME", ME)
    monkeypatch.setenv("OUTREACH_NAME", "Alex Morgan")
    monkeypatch.delenv("OUTREACH_FROM", raising=False)
    monkeypatch.delenv("OUTREACH_SUGGEST_BUDGET", raising=False)
    monkeypatch.setenv("OUTREACH_TEMPLATES_DIR", str(tmp_path / "no-user-templates"))
    return str(synced_copy(cache, tmp_path / "s.db"))


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["suggest", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_text_lists_people_reasons_and_drafts(db, capsys):
    status, out, _ = run(capsys, "--db", db, "--now", NOW)
    assert status == 0
    assert out.startswith(f"1. Sam Whitfield <{address('sam')}>  [thank-referrer, score ")
    assert "   introduced you to Priya Raman 3 weeks ago; not thanked yet\n" in out
    assert "Subject: Thank you for introducing me to Priya Raman\n\nHi Sam," in out
    assert f"2. Daniel Reyes <{address('daniel')}>  [check-in" in out
    assert out.count("Subject: ") == 5 and "\n6. " not in out


def test_json_with_limit(db, capsys):
    status, out, _ = run(capsys, "--db", db, "--now", NOW, "--format", "json", "--limit", "2")
    rows = json.loads(out)
    assert status == 0 and [r["address"] for r in rows] == [address("sam"), address("daniel")]
    assert rows[0]["template"] == "thank-referrer" and rows[0]["body"].startswith("Hi Sam,")
    assert rows[0]["message_id"].startswith("<outreach.") and rows[0]["message_id"].endswith("@morgan.example>")


def test_out_writes_each_draft_once(db, capsys, tmp_path):
    out_dir = tmp_path / "drafts"
    status, out, _ = run(capsys, "--db", db, "--now", NOW, "--out", str(out_dir))
    files = sorted(out_dir.glob("*.eml"))
    assert status == 0 and len(files) == 5 and out.count("wrote ") == 5
    parsed = {f.name: BytesParser(policy=email.policy.default).parsebytes(f.read_bytes()) for f in files}
    sam = next(m for m in parsed.values() if address("sam") in str(m["To"]))
    assert sam["Subject"] == "Thank you for introducing me to Priya Raman" and ME in str(sam["From"])
    # Again, later the same week: the same suggestions, the same Message-IDs, nothing rewritten.
    status, out, _ = run(capsys, "--db", db, "--now", "2026-11-18T09:00:00Z", "--out", str(out_dir))
    assert status == 0 and out.count("kept ") == 5 and "wrote " not in out
    assert sorted(out_dir.glob("*.eml")) == files


def test_dismiss_snooze_restore(db, capsys):
    status, out, _ = run(capsys, "--db", db, "--now", NOW, "--dismiss", address("daniel"))
    assert status == 0 and out == f"dismissed {address('daniel')}: not suggested again until you are in touch again\n"
    status, out, _ = run(capsys, "--db", db, "--now", NOW, "--snooze", address("sam"), "30d")
    assert status == 0 and out == f"snoozed {address('sam')} until 2026-12-16\n"
    _, out, _ = run(capsys, "--db", db, "--now", NOW, "--format", "json")
    shown = {r["address"] for r in json.loads(out)}
    assert shown and not shown & {address("daniel"), address("sam")}
    _, out, _ = run(capsys, "--db", db, "--restore", address("sam"))
    assert out == f"restored {address('sam')}: it may be suggested again\n"


def test_usage_errors_exit_2(db, capsys):
    status, _, err = run(capsys, "--db", db, "--snooze", address("sam"), "soon")
    assert status == 2 and err == "outreach: error: --snooze: 'soon': expected a duration like 14d, 6w, 3m or 1y\n"
    status, _, err = run(capsys, "--db", db, "--now", "next tuesday")
    assert status == 2 and "--now 'next tuesday'" in err
    with pytest.raises(SystemExit):
        main(["suggest", "--db", db, "--limit", "0"])


def test_to_drafts_needs_a_from_address(db, capsys, monkeypatch):
    monkeypatch.delenv("OUTREACH_ME")
    status, out, err = run(capsys, "--db", db, "--now", NOW, "--to-drafts")
    assert status == 2 and "OUTREACH_FROM" in err and out == ""


def test_json_without_a_from_address_lists_the_suggestions(db, capsys, monkeypatch):
    # Only saving a draft needs a From; the listing carries no Message-ID then, as with no draft.
    monkeypatch.delenv("OUTREACH_ME")
    status, out, err = run(capsys, "--db", db, "--now", NOW, "--format", "json", "--limit", "2")
    rows = json.loads(out)
    assert status == 0 and err == "" and [r["address"] for r in rows] == [address("sam"), address("daniel")]
    assert rows[0]["body"].startswith("Hi Sam,") and [r["message_id"] for r in rows] == [None, None]


@pytest.mark.imap
def test_to_drafts_appends_each_suggestion_once(db, capsys, dovecot, imap_env):
    status, out, _ = run(capsys, "--db", db, "--now", NOW, "--to-drafts")
    assert status == 0 and out.count("appended to ") == 5
    status, out, _ = run(capsys, "--db", db, "--now", "2026-11-19T08:00:00Z", "--to-drafts")
    assert status == 0 and out.count("not appended to ") == 5 and "appended before" in out
    with dovecot.session(imap_env.name) as client:
        client.select_folder("Drafts", readonly=True)
        found = client.fetch(client.search(["ALL"]), ["FLAGS", "BODY.PEEK[HEADER]"])
    assert len(found) == 5
    assert all(b"\\Draft" in data[b"FLAGS"] for data in found.values())
    subjects = {BytesParser(policy=email.policy.default).parsebytes(d[b"BODY[HEADER]"])["Subject"]
                for d in found.values()}
    assert "Thank you for introducing me to Priya Raman" in subjects

"""A local Maildir as a peer of IMAP: drafts into its Drafts, the digest into its INBOX."""

from __future__ import annotations

import email.policy
from datetime import UTC, datetime
from email.parser import BytesParser

import pytest

from outreach.cli import main
from outreach.ingest.sources.local import MaildirSource
from outreach.service.digest import LAST_KEY, DigestSender
from outreach.service.jobs import Job
from outreach.store.db import Store

ME = "alex@morgan.example"


@pytest.fixture
def mail(tmp_path, no_settings, monkeypatch):
    root = tmp_path / "Mail"
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    monkeypatch.setenv("OUTREACH_ME", ME)
    monkeypatch.setenv("OUTREACH_NAME", "Alex Morgan")
    monkeypatch.setenv("OUTREACH_DB", str(tmp_path / "outreach.db"))
    monkeypatch.setenv("OUTREACH_TEMPLATES_DIR", str(tmp_path / "none"))
    monkeypatch.chdir(tmp_path)
    return root


def files(folder) -> list:
    return sorted(p for sub in ("cur", "new") for p in (folder / sub).iterdir())


def test_render_to_drafts_writes_into_the_maildirs_drafts_once(mail, monkeypatch, capsys):
    monkeypatch.setenv("OUTREACH_MAILDIR", str(mail))
    args = ["render", "congratulations", "--to", "Sam Lee <sam@example.org>", "--var", "news=the launch",
            "--to-drafts"]
    assert main(args) == 0
    assert f"appended to maildir:{mail / '.Drafts'}" in capsys.readouterr().out
    assert main(args) == 0
    assert "not appended" in capsys.readouterr().out
    [draft] = files(mail / ".Drafts")
    assert draft.parent.name == "cur" and draft.name.endswith(":2,DS")  # a draft, and read
    assert b"Subject: Congratulations on the launch" in draft.read_bytes()
    assert oct(draft.stat().st_mode & 0o777) == "0o600"
    # the daemon's Drafts review finds it where it reads a Maildir's folders
    assert "Drafts" in MaildirSource(mail).folders


def test_an_existing_drafts_folder_is_used_whatever_its_case(mail, monkeypatch, capsys):
    for sub in ("cur", "new", "tmp"):
        (mail / ".drafts" / sub).mkdir(parents=True)
    monkeypatch.setenv("OUTREACH_MAILDIR", str(mail))
    assert main(["render", "congratulations", "--to", "Sam <sam@example.org>", "--var", "news=x", "--to-drafts"]) == 0
    assert len(files(mail / ".drafts")) == 1 and not (mail / ".Drafts").exists()


def test_without_imap_or_a_maildir_to_drafts_says_what_to_set(mail, capsys):
    assert main(["render", "congratulations", "--to", "Sam <sam@example.org>", "--var", "news=x", "--to-drafts"]) == 2
    err = capsys.readouterr().err
    assert "OUTREACH_MAILDIR" in err and "--maildir" not in err


def test_the_digest_goes_into_the_maildirs_inbox_once(mail, tmp_path):
    sender = DigestSender((0, 8, 0), "inbox", UTC, ME, "Alex", now=lambda: datetime(2026, 11, 25, 9, tzinfo=UTC))
    jobs = [Job(lambda: MaildirSource(mail), "maildir", source=MaildirSource(mail))]
    with Store.open(tmp_path / "outreach.db") as store:
        store.set_meta(LAST_KEY, datetime(2026, 11, 16, 8, tzinfo=UTC).isoformat())
        assert sender.maybe_send(store, jobs) is True
        store.set_meta(LAST_KEY, datetime(2026, 11, 16, 8, tzinfo=UTC).isoformat())  # a crash before recording
        assert sender.maybe_send(store, jobs) is True
    [digest] = files(mail)
    assert digest.parent.name == "new"  # unread, as new mail is
    msg = BytesParser(policy=email.policy.default).parsebytes(digest.read_bytes())
    assert msg["Subject"].startswith("outreach: your week") and msg["To"].addresses[0].addr_spec == ME


def test_status_says_where_the_digest_will_go(mail, tmp_path, monkeypatch, capsys):
    Store.open(tmp_path / "outreach.db").close()
    monkeypatch.setenv("OUTREACH_DIGEST", "mon 08:00")
    assert main(["status"]) == 0
    assert "without one it is skipped" in capsys.readouterr().out
    monkeypatch.setenv("OUTREACH_MAILDIR", str(mail))
    assert main(["status"]) == 0
    assert f"to INBOX of the Maildir {mail}" in capsys.readouterr().out

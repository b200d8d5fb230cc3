"""APPEND of drafts to the IMAP Drafts folder of the project's Dovecot, once per Message-ID."""

from __future__ import annotations

import dataclasses
import email.policy
from email.parser import BytesParser

import pytest

from outreach.cli import main
from outreach.deliver import build_message, save_to_drafts
from outreach.errors import OutreachError
from outreach.model import Address
from outreach.notes import templates
from outreach.notes.compose import note_from
from outreach.store.db import Store

pytestmark = pytest.mark.imap

ME = Address("alex@morgan.example", "Alex Morgan")


def a_draft(**changes):
    info = templates.load("check-in")
    rendered = templates.render(info, {**info.sample, **changes})
    return build_message(note_from(rendered, Address("sam@example.org", "Sam Lee")), ME)


def drafts_folder(dovecot, user) -> list[tuple[tuple[bytes, ...], bytes]]:
    """(flags, message bytes) of everything in the user's Drafts."""
    with dovecot.session(user.name) as client:
        client.select_folder("Drafts", readonly=True)
        found = client.fetch(client.search(["ALL"]), ["FLAGS", "BODY.PEEK[]"])
    return [(data[b"FLAGS"], data[b"BODY[]"]) for _, data in sorted(found.items())]


def test_draft_is_appended_with_the_draft_flag(dovecot, imap_user, imap_account, tmp_path):
    msg = a_draft()
    with Store.open(tmp_path / "s.db") as store:
        result = save_to_drafts(msg, imap_account, store, "check-in")
        assert result.appended and result.target == f"{imap_account.label}/Drafts"
        [(kind, target, at)] = store.deliveries(str(msg["Message-ID"]))
        assert (kind, target) == ("drafts", result.target) and at > 0
    [(flags, data)] = drafts_folder(dovecot, imap_user)
    assert b"\\Draft" in flags
    stored = BytesParser(policy=email.policy.default).parsebytes(data)
    assert stored["Message-ID"] == msg["Message-ID"] and stored["Subject"] == msg["Subject"]
    assert stored.get_content().replace("\r\n", "\n") == msg.get_content()


def test_the_same_draft_is_never_appended_twice(dovecot, imap_user, imap_account, tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        assert save_to_drafts(a_draft(), imap_account, store).appended
        again = save_to_drafts(a_draft(), imap_account, store)
        assert not again.appended and "appended before" in again.why
        other = save_to_drafts(a_draft(news="a new job"), imap_account, store)
        assert other.appended
    assert len(drafts_folder(dovecot, imap_user)) == 2


def test_without_the_store_the_drafts_folder_itself_is_searched(dovecot, imap_user, imap_account):
    assert save_to_drafts(a_draft(), imap_account).appended
    again = save_to_drafts(a_draft(), imap_account)
    assert not again.appended and again.why == "already in the Drafts folder"
    assert len(drafts_folder(dovecot, imap_user)) == 1


def test_a_draft_the_user_deleted_is_not_put_back(dovecot, imap_user, imap_account, tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        save_to_drafts(a_draft(), imap_account, store)
        with dovecot.session(imap_user.name) as client:
            client.select_folder("Drafts")
            client.delete_messages(client.search(["ALL"]))
            client.expunge()
        assert not save_to_drafts(a_draft(), imap_account, store).appended
    assert drafts_folder(dovecot, imap_user) == []


def test_wrong_password_is_a_clear_error_and_nothing_is_appended(dovecot, imap_user, imap_account):
    wrong = dataclasses.replace(imap_account, password="nope")
    with pytest.raises(OutreachError, match="login refused"):
        save_to_drafts(a_draft(), wrong)
    assert drafts_folder(dovecot, imap_user) == []


def test_render_to_drafts_from_the_cli(dovecot, imap_env, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OUTREACH_ME", "alex@morgan.example")
    monkeypatch.setenv("OUTREACH_TEMPLATES_DIR", str(tmp_path / "none"))
    args = ["render", "congratulations", "--to", "Sam Lee <sam@example.org>", "--var", "news=the launch",
            "--to-drafts", "--db", str(tmp_path / "s.db")]
    assert main(args) == 0
    assert "appended to" in capsys.readouterr().out
    assert main(args) == 0
    assert "not appended" in capsys.readouterr().out
    [(flags, data)] = drafts_folder(dovecot, imap_env)
    assert b"Subject: Congratulations on the launch" in data

"""`outreach send`, end to end to a real aiosmtpd: the lint gate, header hygiene, recording."""

from __future__ import annotations

import email.policy
import io
import sys
from email.parser import BytesParser

import pytest

from outreach.cli import main
from outreach.store.db import Store

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

ME = "alex@morgan.example"
OLD_DATE = "Mon, 02 Feb 2026 09:00:00 +0000"
GOOD = "Hi Sam,\n\nCongratulations on the launch. No need to reply.\n\nAlex\n"
BAD = "Hi Sam,\n\nI need you to lend me $50,000 by Friday.\n\nAlex\n"


@pytest.fixture(autouse=True)
def environment(no_settings, monkeypatch, tmp_path):
    monkeypatch.setenv("OUTREACH_ME", ME)
    monkeypatch.setenv("OUTREACH_NAME", "Alex Morgan")
    monkeypatch.setenv("OUTREACH_DB", str(tmp_path / "outreach.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def server(monkeypatch, smtp_server):
    for key, value in {"HOST": "localhost", "PORT": str(smtp_server.port), "USER": smtp_server.user,
                       "PASSWORD": smtp_server.password, "CA_FILE": str(smtp_server.cert)}.items():
        monkeypatch.setenv(f"OUTREACH_SMTP_{key}", value)
    return smtp_server


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def draft(tmp_path, body: str = GOOD, *headers: str, name: str = "draft.eml") -> str:
    head = [f"From: Alex Morgan <{ME}>", "To: Sam Lee <sam@example.org>", "Subject: Congratulations",
            f"Date: {OLD_DATE}", f"Message-ID: <{name}@morgan.example>", *headers]
    path = tmp_path / name
    path.write_bytes(("\n".join(head) + "\n\n" + body).encode())
    return str(path)


def parsed(data: bytes):
    return BytesParser(policy=email.policy.default).parsebytes(data)


def test_without_a_terminal_it_is_a_dry_run(tmp_path, capsys, monkeypatch, server):
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))  # not a terminal, even if it says yes
    assert main(["send", draft(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Dry run: nothing sent" in out and "Subject: Congratulations" in out and "--yes" in out
    assert server.received == []


@pytest.mark.parametrize(("answer", "sent"), [("y\n", 1), ("n\n", 0), ("\n", 0), ("", 0)])
def test_on_a_terminal_it_asks(tmp_path, capsys, monkeypatch, server, answer, sent):
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    assert main(["send", draft(tmp_path)]) == (0 if sent else 1)
    assert "Send to sam@example.org via localhost" in capsys.readouterr().out
    assert len(server.received) == sent


def test_a_sent_message_has_a_fresh_date_and_id_and_is_stored_as_sent(tmp_path, capsys, server):
    assert main(["send", draft(tmp_path), "--yes"]) == 0
    out = capsys.readouterr().out
    [got] = server.received
    assert got.rcpt_tos == ("sam@example.org",)
    msg = parsed(got.data)
    assert msg["Date"] != OLD_DATE and msg["Message-ID"] != "<draft.eml@morgan.example>"
    assert f"Sent {msg['Message-ID']} to sam@example.org." in out
    assert msg.get_content().replace("\r\n", "\n") == GOOD
    with Store.open(tmp_path / "outreach.db") as store:
        rows = store.conn.execute("SELECT message_id, sent, folder FROM messages").fetchall()
        stored_id = msg["Message-ID"].strip("<>")  # the store keeps ids without brackets
        assert [tuple(r) for r in rows] == [(stored_id, 1, "Sent")]
        assert store.last_exchange("sam@example.org")[0] == stored_id


def test_lint_errors_stop_the_send_unless_forced(tmp_path, capsys, server):
    path = draft(tmp_path, BAD)
    assert main(["send", path, "--yes"]) == 1
    captured = capsys.readouterr()
    assert f"{path}:9:" in captured.out and "OUT101 [error]" in captured.out  # as `outreach lint` says it
    assert "not sent" in captured.err
    assert server.received == []
    assert main(["send", path, "--yes", "--force"]) == 0
    assert len(server.received) == 1


def test_the_same_ignores_as_lint_and_none_reaches_the_recipient(tmp_path, capsys, server):
    ask = "Hi Sam,\n\nThanks for the intro last month. Could you lend me $5,000?\n\nAlex\n"
    assert main(["send", draft(tmp_path, ask), "--yes"]) == 1
    assert main(["send", draft(tmp_path, ask, "X-Outreach-Ignore: OUT101", name="b.eml"), "--yes"]) == 0
    inline = ask.replace("\nAlex\n", "\noutreach: ignore money\nAlex\n")
    assert main(["send", draft(tmp_path, inline, name="c.eml"), "--yes"]) == 0
    assert len(server.received) == 2
    for got in server.received:
        assert b"X-Outreach" not in got.data and b"outreach:" not in got.data


def test_resent_headers_never_pick_the_recipients(tmp_path, capsys, server):
    path = draft(tmp_path, GOOD, "Resent-To: someone@else.example", "Resent-From: mallory@else.example")
    assert main(["send", path, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Removed before sending: Resent-To, Resent-From" in out
    [got] = server.received
    assert got.rcpt_tos == ("sam@example.org",) and b"someone@else" not in got.data


def test_cc_and_bcc_are_the_envelope_and_bcc_is_not_transmitted(tmp_path, capsys, server):
    path = draft(tmp_path, GOOD, "Cc: Priya <priya@example.org>", "Bcc: dana@example.org")
    assert main(["send", path, "--yes"]) == 0
    [got] = server.received
    assert got.rcpt_tos == ("sam@example.org", "priya@example.org", "dana@example.org")
    assert b"dana@" not in got.data


def mime(*parts: tuple[str, str]) -> tuple[str, tuple[str, ...]]:
    body = "".join(f"--b1\nContent-Type: text/{kind}; charset=utf-8\n\n{text}\n" for kind, text in parts)
    return body + "--b1--\n", ("MIME-Version: 1.0", "Content-Type: multipart/alternative; boundary=b1")


def test_an_html_only_draft_is_linted(tmp_path, capsys, server):
    html = "<p>Hi Sam,</p><p>I need you to lend me $50,000 by Friday.</p>"
    path = draft(tmp_path, html, "MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8")
    assert main(["send", path, "--yes"]) == 1
    assert "OUT101" in capsys.readouterr().out and server.received == []


def test_a_clean_text_part_does_not_hide_a_hostile_html_part(tmp_path, capsys, server):
    body, headers = mime(("plain", GOOD), ("html", "<p>I need you to lend me $50,000 by Friday.</p>"))
    assert main(["send", draft(tmp_path, body, *headers), "--yes"]) == 1
    assert "(html part 2)" in capsys.readouterr().out and server.received == []


def test_threading_ids_are_sent_in_angle_brackets(tmp_path, capsys, server):
    path = draft(tmp_path, GOOD, "In-Reply-To: intro-1@example.org", "References: a@example.org <b@example.org>")
    assert main(["send", path, "--yes"]) == 0
    msg = parsed(server.received[0].data)
    assert msg["In-Reply-To"] == "<intro-1@example.org>"
    assert msg["References"] == "<a@example.org> <b@example.org>"


def test_a_draft_already_sent_is_not_sent_again_unless_forced(tmp_path, capsys, server):
    path = draft(tmp_path)
    assert main(["send", path, "--yes"]) == 0
    capsys.readouterr()
    assert main(["send", path, "--yes"]) == 1
    assert "already sent on" in capsys.readouterr().err
    assert main(["send", path, "--yes", "--force"]) == 0
    assert len(server.received) == 2


def test_a_wrong_password_is_a_one_line_error(tmp_path, capsys, monkeypatch, server):
    monkeypatch.setenv("OUTREACH_SMTP_PASSWORD", "wrong")
    assert main(["send", draft(tmp_path), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "login as" in err and "refused" in err and "wrong" not in err
    assert server.received == []


def test_a_copy_is_filed_in_the_local_maildirs_sent(tmp_path, capsys, monkeypatch, server):
    for sub in ("cur", "new", "tmp"):
        (tmp_path / "Mail" / sub).mkdir(parents=True)
    monkeypatch.setenv("OUTREACH_MAILDIR", str(tmp_path / "Mail"))
    path = draft(tmp_path, GOOD, "Bcc: dana@example.org")
    assert main(["send", path, "--yes"]) == 0
    assert f"Filed a copy in maildir:{tmp_path / 'Mail' / '.Sent'}." in capsys.readouterr().out
    [copy] = (tmp_path / "Mail" / ".Sent" / "cur").iterdir()
    assert copy.name.endswith(":2,S")  # read: the user wrote it
    kept = parsed(copy.read_bytes())
    assert kept["Message-ID"] == parsed(server.received[0].data)["Message-ID"]
    assert kept["Bcc"] == "dana@example.org"  # the user's copy remembers the blind copy


def test_no_copy_when_the_server_files_it(tmp_path, capsys, monkeypatch, server):
    (tmp_path / "Mail" / "cur").mkdir(parents=True)
    monkeypatch.setenv("OUTREACH_MAILDIR", str(tmp_path / "Mail"))
    monkeypatch.setenv("OUTREACH_SENT_COPY", "off")
    assert main(["send", draft(tmp_path), "--yes"]) == 0
    assert "left to the mail client or server" in capsys.readouterr().out
    assert not (tmp_path / "Mail" / ".Sent").exists()


@pytest.mark.imap
def test_a_copy_is_appended_to_the_imap_sent_folder_as_read(tmp_path, capsys, server, dovecot, imap_env):
    assert main(["send", draft(tmp_path), "--yes"]) == 0
    assert "Filed a copy in imap:" in capsys.readouterr().out
    with dovecot.session(imap_env.name) as client:
        client.select_folder("Sent", readonly=True)
        found = client.fetch(client.search(["ALL"]), ["FLAGS", "BODY.PEEK[]"])
    [(flags, data)] = [(d[b"FLAGS"], d[b"BODY[]"]) for d in found.values()]
    assert b"\\Seen" in flags
    assert parsed(data)["Message-ID"] == parsed(server.received[0].data)["Message-ID"]


def test_sending_the_thank_you_closes_the_suggestion(tmp_path, capsys, monkeypatch, server, tmp_path_factory):
    from outreach.network import contacts
    from outreach.notes import suggest
    from tests.suggest_sample import address, synced_copy

    db = synced_copy(tmp_path_factory.mktemp("sample"), tmp_path / "outreach.db")
    monkeypatch.setenv("OUTREACH_TEMPLATES_DIR", str(tmp_path / "no-templates"))
    sam = address("sam")
    with Store.open(db) as store:
        [before] = [s for s in suggest.weekly(store, my_name="Alex") if s.address == sam]
        assert before.template == "thank-referrer"
        assert contacts.contact(store, sam).unthanked_referrals
    assert main(["show", sam]) == 0
    assert "-> thank them" in capsys.readouterr().out  # the symptom, before
    assert main(["suggest", "--out", str(tmp_path / "notes")]) == 0
    [note] = (tmp_path / "notes").glob("thank-referrer-*.eml")
    capsys.readouterr()
    assert main(["send", str(note), "--yes"]) == 0, capsys.readouterr()
    [got] = server.received
    assert got.rcpt_tos == (sam,)
    with Store.open(db) as store:
        assert [s.address for s in suggest.weekly(store, my_name="Alex") if s.address == sam] == []
        assert contacts.contact(store, sam).unthanked_referrals == []
    capsys.readouterr()
    assert main(["show", sam]) == 0
    out = capsys.readouterr().out
    assert "-> thank them" not in out and f"Priya Raman <{address('priya')}>  -> done" in out


def test_a_signature_is_not_linted_and_is_sent_as_written(tmp_path, capsys, server):
    signature = "-- \nAlex Morgan\nI need you to reply ASAP. Could you lend me $50,000?\n"
    path = draft(tmp_path, GOOD + signature)
    assert main(["lint", path]) == 0  # the same reader as lint: the signature is not the message
    assert main(["send", path, "--yes"]) == 0
    [got] = server.received
    assert parsed(got.data).get_content().replace("\r\n", "\n") == GOOD + signature


def test_send_lints_with_the_stores_context_for_every_recipient(tmp_path, capsys, server, tmp_path_factory):
    from tests.suggest_sample import address, synced_copy

    synced_copy(tmp_path_factory.mktemp("sample"), tmp_path / "outreach.db")
    margaret, jordan = address("margaret"), address("jordan")  # a strong tie; a tie of strength 0.02
    ask = "Hi,\n\nCould you introduce me to your CEO? I need you to reply by Friday.\n\nAlex\n"  # OUT301: refused
    to_margaret = (f"To: Margaret <{margaret}>",)
    for name, headers, weak_tie_rule in (("m.eml", to_margaret, False),
                                         ("mj.eml", (*to_margaret, f"Cc: Jordan <{jordan}>"), True)):
        path = tmp_path / name
        path.write_text(f"From: Alex Morgan <{ME}>\n" + "\n".join(headers) + "\nSubject: a favour\n\n" + ask)
        assert main(["send", str(path), "--yes"]) == 1
        out = capsys.readouterr().out
        assert "OUT301 [error]" in out
        assert ("OUT801 [warning] asks a weak tie for intro" in out) is weak_tie_rule, out
    assert server.received == []

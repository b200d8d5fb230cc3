"""`outreach sendmail`: the pre-send filter, run as a mail client runs it (a process, stdin).

The MTA here is a small shell script that keeps its arguments and the message: what the
filter hands over is exactly what these tests read.  test_sendmail_e2e.py puts neomutt,
msmtp and a real SMTP server around it.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

OUTREACH = [sys.executable, "-m", "outreach"]
ME = "alex@morgan.example"
GOOD = "Hi Bo,\n\nThanks again for the intro to Priya last month; we met on Tuesday and it went well.\n\nAlex\n"
BAD = "Hi Bo,\n\nI need you to lend me $50,000 by Friday.\n\nAlex\n"


@pytest.fixture
def mta(tmp_path):
    """A stand-in MTA: writes its arguments and standard input into tmp_path/mta/, exits $MTA_EXIT."""
    box = tmp_path / "mta"
    box.mkdir()
    script = tmp_path / "mta.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {box}/args\ncat > {box}/message\nexit "${{MTA_EXIT:-0}}"\n')
    script.chmod(0o755)
    return box, script


def run(tmp_path, script, data: bytes, *words: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    environment.update(OUTREACH_SENDMAIL=str(script), OUTREACH_DB=str(tmp_path / "none.db"), OUTREACH_ME=ME,
                       HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    environment.update(env)
    return subprocess.run([*OUTREACH, "sendmail", *words], input=data, capture_output=True, cwd=tmp_path,
                          env=environment, check=False)


def message(body: str, *headers: str, to: str = "Bo <bo@example.org>") -> bytes:
    head = [f"From: Alex Morgan <{ME}>", f"To: {to}", "Subject: hello", *headers]
    return ("\n".join(head) + "\n\n" + body).encode()


def handed(box: Path) -> tuple[list[str], bytes]:
    return (box / "args").read_text().splitlines(), (box / "message").read_bytes()


def test_a_failing_message_is_refused_with_findings_and_nothing_is_handed_over(tmp_path, mta):
    box, script = mta
    done = run(tmp_path, script, message(BAD), "-oi", "--", "bo@example.org")
    assert done.returncode == 65  # EX_DATAERR: mail clients keep the message and show the output
    err = done.stderr.decode()
    assert "message:7:23: OUT101 [error]" in err and "not sent" in err
    assert str(tmp_path) not in err and "/tmp" not in err  # no temporary path in what the user reads
    assert not (box / "message").exists()


def test_a_good_message_leaves_without_ignore_lines_or_outreach_headers(tmp_path, mta):
    box, script = mta
    body = GOOD.replace("Alex\n", "outreach: ignore OUT101\nAlex\n")
    done = run(tmp_path, script, message(body, "X-Outreach-Ignore: OUT501", "X-Outreach-Note: mine"),
               "-oi", "-f", ME, "--", "bo@example.org")
    assert done.returncode == 0, done.stderr
    args, sent = handed(box)
    assert args == ["-i", "-f", ME, "--", "bo@example.org"]
    assert b"X-Outreach" not in sent and b"outreach: ignore" not in sent
    assert sent.endswith(b"went well.\n\nAlex\n") and b"Subject: hello\n" in sent
    assert b"Date: " in sent and b"Message-ID: <" in sent  # added when the client wrote none


def test_ignores_travel_with_the_message_header_and_inline(tmp_path, mta):
    box, script = mta
    ask = "Hi Bo,\n\nThanks for the intro last month. Could you lend me $5,000?\n\nAlex\n"
    assert run(tmp_path, script, message(ask), "bo@example.org").returncode == 65
    assert run(tmp_path, script, message(ask, "X-Outreach-Ignore: OUT101"), "bo@example.org").returncode == 0
    inline = ask.replace("Alex\n", "outreach: ignore money\nAlex\n")
    assert run(tmp_path, script, message(inline), "bo@example.org").returncode == 0
    assert b"outreach:" not in handed(box)[1]


def test_the_mta_exit_status_is_passed_on(tmp_path, mta):
    _, script = mta
    assert run(tmp_path, script, message(GOOD), "bo@example.org", MTA_EXIT="75").returncode == 75


def test_resent_headers_are_removed_and_never_pick_the_recipients(tmp_path, mta):
    box, script = mta
    data = message(GOOD, "Resent-To: someone@else.example", "Resent-From: mallory@else.example")
    done = run(tmp_path, script, data, "-t")
    assert done.returncode == 0, done.stderr
    args, sent = handed(box)
    assert args[-2:] == ["--", "bo@example.org"]
    assert b"Resent-" not in sent and b"someone@else" not in sent
    assert "removed Resent-To, Resent-From: sent only to bo@example.org" in done.stderr.decode()


def test_with_t_the_recipients_are_to_cc_and_bcc_and_bcc_is_not_transmitted(tmp_path, mta):
    box, script = mta
    data = message(GOOD, "Cc: Priya <priya@example.org>", "Bcc: me-too@morgan.example")
    assert run(tmp_path, script, data, "-t", "-i").returncode == 0
    args, sent = handed(box)
    assert args[args.index("--") + 1 :] == ["bo@example.org", "priya@example.org", "me-too@morgan.example"]
    assert b"Bcc" not in sent and b"me-too" not in sent


def mixed(plain: str, html: str) -> bytes:
    return message(
        "--b1\nContent-Type: text/plain; charset=utf-8\n\n" + plain
        + "\n--b1\nContent-Type: text/html; charset=utf-8\n\n" + html + "\n--b1--\n",
        "MIME-Version: 1.0", "Content-Type: multipart/alternative; boundary=b1",
    )


def test_an_html_only_message_is_linted(tmp_path, mta):
    box, script = mta
    html = "<p>Hi Bo,</p><p>I need you to lend me $50,000 by Friday.</p><p>Alex</p>"
    data = message(html, "MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8")
    done = run(tmp_path, script, data, "bo@example.org")
    assert done.returncode == 65 and b"OUT101" in done.stderr
    assert not (box / "message").exists()


def test_a_clean_text_part_does_not_hide_a_hostile_html_part(tmp_path, mta):
    box, script = mta
    hostile = "<p>Hi Bo,</p><p>I need you to lend me $50,000 by Friday.</p>"
    done = run(tmp_path, script, mixed(GOOD, hostile), "bo@example.org")
    assert done.returncode == 65 and b"(html part 2)" in done.stderr and b"OUT101" in done.stderr
    assert not (box / "message").exists()
    assert run(tmp_path, script, mixed(GOOD, "<p>" + GOOD + "</p>"), "bo@example.org").returncode == 0


def test_an_ignore_in_an_html_comment_is_honoured_and_removed(tmp_path, mta):
    box, script = mta
    ask = "Thanks for the intro last month. Could you lend me $5,000?"
    html = f"<p>{ask}</p><!-- outreach: ignore OUT101 -->"
    done = run(tmp_path, script, mixed(ask + "\noutreach: ignore OUT101\n", html), "bo@example.org")
    assert done.returncode == 0, done.stderr
    assert b"outreach:" not in handed(box)[1]


def test_an_ignore_line_inside_base64_is_removed_too(tmp_path, mta):
    box, script = mta
    text = "Thanks for the intro last month. Could you lend me $5,000?\noutreach: ignore OUT101\n"
    encoded = base64.encodebytes(text.encode()).decode()
    data = message(encoded, "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                   "Content-Transfer-Encoding: base64")
    assert run(tmp_path, script, data, "bo@example.org").returncode == 0
    sent = handed(box)[1]
    from email import message_from_bytes, policy

    body = message_from_bytes(sent, policy=policy.default).get_content()
    assert "Could you lend me $5,000?" in body and "outreach:" not in body


def test_text_that_cannot_be_read_is_refused_not_passed_as_clean(tmp_path, mta):
    box, script = mta
    broken = message("SGkgQm8sIGxlbmQgbWUgJDUwLDAwMA==!!!not base64***\n", "MIME-Version: 1.0",
                     "Content-Type: text/plain", "Content-Transfer-Encoding: base64")
    done = run(tmp_path, script, broken, "bo@example.org")
    assert done.returncode == 65 and b"not linted: a text/plain part whose base64 encoding is broken" in done.stderr
    depth = 5000
    nested = "".join(f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n" for i in range(depth))
    nested += "Content-Type: text/plain\n\n" + BAD + "".join(f"--b{i}--\n" for i in reversed(range(depth)))
    data = f"From: {ME}\nTo: bo@example.org\nSubject: deep\nMIME-Version: 1.0\n{nested}".encode()
    done = run(tmp_path, script, data, "bo@example.org")
    assert done.returncode == 65 and b"nested more than" in done.stderr
    assert not (box / "message").exists()


@pytest.mark.parametrize("words, error", [
    ((), "no recipients"),
    (("-bp",), "only sending a message"),
    (("-q", "bo@example.org"), "unknown option"),
])
def test_what_the_filter_cannot_do_is_a_one_line_error(tmp_path, mta, words, error):
    _, script = mta
    done = run(tmp_path, script, message(GOOD), *words)
    assert done.returncode == 2 and error in done.stderr.decode() and len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize("word", ["--help", "-h"])
def test_help_is_printed_not_an_error_and_nothing_is_read_or_sent(tmp_path, mta, word):
    box, script = mta
    done = run(tmp_path, script, message(GOOD), word, "bo@example.org")
    out = done.stdout.decode()
    assert done.returncode == 0 and done.stderr == b"" and not (box / "message").exists()
    assert out.startswith("usage: outreach sendmail [-t] [-f SENDER] [-i] [--] [RECIPIENT ...] < message\n")
    assert "OUTREACH_SENDMAIL" in out and "65" in out


def test_what_the_mta_took_is_stored_as_sent_and_a_refusal_is_not(tmp_path, mta):
    from outreach.store.db import Store

    _, script = mta
    db = tmp_path / "outreach.db"
    Store.open(db).close()
    assert run(tmp_path, script, message(GOOD), "bo@example.org", OUTREACH_DB=str(db), MTA_EXIT="75").returncode == 75
    assert run(tmp_path, script, message(GOOD), "bo@example.org", OUTREACH_DB=str(db)).returncode == 0
    with Store.open(db) as store:
        rows = store.conn.execute("SELECT from_addr, sent, folder FROM messages").fetchall()
        assert [tuple(r) for r in rows] == [(ME, 1, "Sent")]
        assert store.last_exchange("bo@example.org") is not None


def parsed(data: bytes):
    from email import message_from_bytes, policy

    return message_from_bytes(data, policy=policy.default)


def maildir(root: Path) -> Path:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    return root


def sent_copies(root: Path) -> list[Path]:
    return [p for sub in ("cur", "new") for p in (root / ".Sent" / sub).glob("*")] if (root / ".Sent").exists() else []


@pytest.mark.parametrize("with_store", [True, False])
def test_with_sent_copy_on_outreach_files_the_copy_in_the_maildirs_sent(tmp_path, mta, with_store):
    from outreach.store.db import Store

    box, script = mta
    mail = maildir(tmp_path / "Mail")
    db = tmp_path / "outreach.db"
    if with_store:
        Store.open(db).close()
    done = run(tmp_path, script, message(GOOD, "Bcc: me-too@morgan.example", "X-Outreach-Note: mine"), "-t",
               OUTREACH_DB=str(db), OUTREACH_MAILDIR=str(mail), OUTREACH_SENT_COPY="on")
    assert done.returncode == 0, done.stderr
    assert f"filed a copy in maildir:{mail / '.Sent'}" in done.stderr.decode()
    [copy] = sent_copies(mail)
    assert copy.name.endswith(":2,S")  # read: the user wrote it
    kept, left = parsed(copy.read_bytes()), parsed(handed(box)[1])
    assert kept["Message-ID"] == left["Message-ID"] and kept["Message-ID"]  # the message that left
    assert kept["Bcc"] == "me-too@morgan.example" and left["Bcc"] is None  # only the user's copy keeps it
    assert not [name for name in kept if name.lower().startswith("x-outreach")]


@pytest.mark.parametrize("setting", ["auto", "off", None])
def test_without_sent_copy_on_the_mail_client_files_it_not_outreach(tmp_path, mta, setting):
    from outreach.store.db import Store

    _, script = mta
    mail = maildir(tmp_path / "Mail")
    db = tmp_path / "outreach.db"
    Store.open(db).close()
    env = {"OUTREACH_DB": str(db), "OUTREACH_MAILDIR": str(mail)}
    if setting is not None:
        env["OUTREACH_SENT_COPY"] = setting
    done = run(tmp_path, script, message(GOOD), "bo@example.org", **env)
    assert done.returncode == 0, done.stderr
    assert sent_copies(mail) == [] and b"filed a copy" not in done.stderr
    with Store.open(db) as store:  # still remembered as sent
        assert store.conn.execute("SELECT count(*) FROM messages WHERE sent = 1").fetchone()[0] == 1


def test_a_refused_message_is_never_filed_in_sent(tmp_path, mta):
    _, script = mta
    mail = maildir(tmp_path / "Mail")
    done = run(tmp_path, script, message(BAD), "bo@example.org", OUTREACH_MAILDIR=str(mail), OUTREACH_SENT_COPY="on")
    assert done.returncode == 65 and sent_copies(mail) == []
    assert run(tmp_path, script, message(GOOD), "bo@example.org", OUTREACH_MAILDIR=str(mail), OUTREACH_SENT_COPY="on",
               MTA_EXIT="75").returncode == 75
    assert sent_copies(mail) == []  # the MTA did not take it: nothing was sent


@pytest.mark.imap
def test_with_sent_copy_on_the_copy_is_appended_to_the_imap_sent_folder(tmp_path, mta, dovecot, imap_env):
    box, script = mta
    account = {k: v for k, v in os.environ.items() if k.startswith("OUTREACH_IMAP_")}  # as imap_env set them
    done = run(tmp_path, script, message(GOOD), "bo@example.org", OUTREACH_SENT_COPY="on", **account)
    assert done.returncode == 0, done.stderr
    assert "filed a copy in imap:" in done.stderr.decode()
    with dovecot.session(imap_env.name) as client:
        client.select_folder("Sent", readonly=True)
        found = client.fetch(client.search(["ALL"]), ["FLAGS", "BODY.PEEK[]"])
    [(flags, data)] = [(d[b"FLAGS"], d[b"BODY[]"]) for d in found.values()]
    assert b"\\Seen" in flags
    assert data.replace(b"\r\n", b"\n") == handed(box)[1]


def test_a_sent_copy_asked_for_with_nowhere_to_file_it_is_news_not_a_failure(tmp_path, mta):
    _, script = mta
    done = run(tmp_path, script, message(GOOD), "bo@example.org", OUTREACH_SENT_COPY="on")
    assert done.returncode == 0  # the message has left: a retry by the mail client would send it twice
    assert "no copy in Sent: no IMAP account and no OUTREACH_MAILDIR" in done.stderr.decode()


def test_sendmail_lints_with_the_stores_context_for_every_recipient(tmp_path, mta, tmp_path_factory):
    from tests.suggest_sample import address, synced_copy

    box, script = mta
    db = synced_copy(tmp_path_factory.mktemp("sample"), tmp_path / "outreach.db")
    margaret, jordan = address("margaret"), address("jordan")  # a strong tie; a tie of strength 0.02
    ask = "Hi,\n\nCould you introduce me to your CEO? I need you to reply by Friday.\n\nAlex\n"  # OUT301: refused
    for to, cc, weak_tie_rule in ((margaret, None, False), (margaret, jordan, True), (jordan, None, True)):
        data = message(ask, *([f"Cc: {cc}"] if cc else []), to=to)
        done = run(tmp_path, script, data, "-t", OUTREACH_DB=str(db))
        err = done.stderr.decode()
        assert done.returncode == 65 and "OUT301 [error]" in err
        assert ("OUT801 [warning] asks a weak tie for intro" in err) is weak_tie_rule, (to, cc, err)
    done = run(tmp_path, script, message(ask, to=margaret), "-t", OUTREACH_DB=str(tmp_path / "none.db"))
    assert done.returncode == 65 and "OUT801" not in done.stderr.decode()  # no store: no context rules
    assert not (box / "message").exists()


def test_the_mta_that_cannot_be_run_is_a_one_line_error_and_nothing_is_recorded(tmp_path, mta):
    from outreach.store.db import Store

    db = tmp_path / "outreach.db"
    Store.open(db).close()
    missing = tmp_path / "no-such-mta"
    done = run(tmp_path, missing, message(GOOD), "bo@example.org", OUTREACH_DB=str(db))
    err = done.stderr.decode()
    assert done.returncode == 2 and f"OUTREACH_SENDMAIL {missing}: cannot run" in err and err.count("\n") == 1
    with Store.open(db) as store:
        assert store.conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 0


def test_without_a_setting_the_mta_is_usr_sbin_sendmail(no_settings):
    from outreach import config

    assert config.sendmail_command() == ["/usr/sbin/sendmail"]
    no_settings.setenv("OUTREACH_SENDMAIL", "msmtp -a 'work account'")
    assert config.sendmail_command() == ["msmtp", "-a", "work account"]


def test_threading_ids_leave_in_angle_brackets(tmp_path, mta):
    box, script = mta
    data = message(GOOD, "In-Reply-To: intro-1@example.org", "References: a@example.org <b@example.org>")
    assert run(tmp_path, script, data, "bo@example.org").returncode == 0
    sent = parsed(handed(box)[1])
    assert sent["In-Reply-To"] == "<intro-1@example.org>" and sent["References"] == "<a@example.org> <b@example.org>"

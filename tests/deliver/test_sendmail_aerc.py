"""The aerc recipe with the real program: aerc -> outreach sendmail -> msmtp -> aiosmtpd.

aerc is a full-screen terminal program, so it runs on a pseudo-terminal of its own (made its
controlling terminal by util-linux `setsid --ctty`), with a private configuration directory:
an account on a local Maildir whose ``outgoing`` is `outreach sendmail`, and ``true`` as the
editor, so the composer goes straight to its review screen.  The test types the keys a user
would and reads what aerc draws.  scripts/test-deps installs aerc (Debian's 0.14).
"""

from __future__ import annotations

import email.policy
import fcntl
import os
import select
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Iterator
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import quote

import pytest

from outreach.store.db import Store
from tests.deliver.conftest import ME, OUTREACH, OUTREACH_BIN, Home, need

pytestmark = [pytest.mark.smtp, pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")]

GOOD = "Hi Bo,\n\nThanks again for the intro to Priya last month; we met on Tuesday and it went well.\n\nAlex\n"
BAD = "Hi Bo,\n\nI need you to lend me $50,000 by Friday.\n\nAlex\n"
REVIEW = b"Send this email?"  # aerc's review screen: y sends, the message is still in the composer
F12 = b"\x1b[24~"  # a key bound to nothing: it only makes aerc draw what changed meanwhile
PATIENCE = 60.0  # seconds: a loaded machine may be slow; a broken recipe fails well before


class Terminal:
    """A program on a pseudo-terminal: everything it drew so far, and keys to type at it."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path, rows: int = 40, columns: int = 120):
        self.master, child = os.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(["setsid", "--ctty", *argv], stdin=child, stdout=child, stderr=child,
                                        env=env, cwd=cwd)
        os.close(child)
        self.drawn = bytearray()

    def read(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                return
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the program has gone and closed its side
                return
            if not chunk:
                return
            self.drawn.extend(chunk)

    def type(self, keys: bytes) -> int:
        """Type ``keys``; where in ``drawn`` what they caused starts."""
        mark = len(self.drawn)
        os.write(self.master, keys)
        return mark

    def wait_for(self, done: Callable[[], bool], what: str) -> None:
        """Until ``done()``, pressing F12 now and then so aerc redraws; fail naming ``what``."""
        deadline = time.monotonic() + PATIENCE
        while not done():
            if time.monotonic() > deadline or self.process.poll() is not None:
                pytest.fail(f"aerc: no {what} within {PATIENCE:.0f} s; it drew:\n{self.text()[-2000:]}")
            self.read(0.5)
            if not done():
                os.write(self.master, F12)

    def shows(self, text: bytes, since: int = 0) -> bool:
        return text in self.drawn[since:]

    def text(self) -> str:
        return self.drawn.decode("utf-8", "replace")

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)
        os.close(self.master)


@pytest.fixture
def aerc(msmtp_home: Home, tmp_path: Path) -> Iterator[Callable[[str], Terminal]]:
    """Start aerc composing a mailto: URL, in a home whose accounts.conf sends with `outreach sendmail`."""
    need("aerc")
    need("setsid")
    config = tmp_path / "config"
    (config / "aerc").mkdir(parents=True)
    mail = tmp_path / "Mail"
    for folder in ("INBOX", "Sent"):  # aerc 0.14 files copy-to only into a Maildir that exists
        for sub in ("cur", "new", "tmp"):
            (mail / folder / sub).mkdir(parents=True)
    accounts = config / "aerc" / "accounts.conf"
    accounts.write_text(f"[work]\nsource = maildir://{mail}\noutgoing = {OUTREACH} sendmail\ncopy-to = Sent\n"
                        f"from = Alex Morgan <{ME}>\ndefault = INBOX\n")  # the README's recipe
    accounts.chmod(0o600)  # aerc refuses a readable accounts.conf
    (config / "aerc" / "aerc.conf").write_text("[compose]\neditor = true\n")
    runtime = tmp_path / "run"  # aerc's socket: never another aerc's
    runtime.mkdir(mode=0o700)
    env = dict(msmtp_home.env, XDG_CONFIG_HOME=str(config), XDG_RUNTIME_DIR=str(runtime), TERM="xterm")
    started: list[Terminal] = []

    def start(mailto: str) -> Terminal:
        terminal = Terminal(["aerc", mailto], env, msmtp_home.path)
        started.append(terminal)
        terminal.wait_for(lambda: terminal.shows(REVIEW), "review screen")
        return terminal

    yield start
    for terminal in started:
        terminal.close()


def mailto(to: str, subject: str, body: str) -> str:
    return f"mailto:{to}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def stored(db: Path) -> list[tuple]:
    with Store.open(db) as store:
        return [tuple(r) for r in store.conn.execute("SELECT from_addr, subject, sent FROM messages")]


def test_aerc_keeps_a_failing_message_and_nothing_is_delivered(aerc, msmtp_home):
    terminal = aerc(mailto("bo@example.org", "a favour", BAD))
    sent_at = terminal.type(b"y")
    # aerc 0.14 shows no text for a failed sendmail: it opens the composer again, message intact.
    terminal.wait_for(lambda: terminal.shows(REVIEW, since=sent_at), "composer again after the refusal")
    assert terminal.shows(b"a favour", since=sent_at)
    assert msmtp_home.server.received == []
    assert stored(msmtp_home.db) == []
    # The README's way to read why: postpone it into Drafts, lint the file there.
    terminal.type(b"p")
    drafts = msmtp_home.path.parent / "Mail" / "Drafts"

    def postponed() -> list[Path]:
        return [*drafts.glob("cur/*"), *drafts.glob("new/*")]

    terminal.wait_for(lambda: postponed() != [], "postponed message in Drafts")
    [draft] = postponed()
    lint = subprocess.run([OUTREACH_BIN, "lint", str(draft)], capture_output=True, env=msmtp_home.env, check=False)
    assert lint.returncode == 1 and b"OUT101 [error]" in lint.stdout


def test_aerc_delivers_a_good_message_once_without_the_ignore_line_or_x_headers(aerc, msmtp_home):
    ask = GOOD.replace("went well.", "went well. Could you lend me $5,000?")
    terminal = aerc(mailto("bo@example.org", "thanks", ask.replace("\nAlex\n", "\noutreach: ignore money\nAlex\n")))
    terminal.type(b":header X-Outreach-Note kept private\r")
    terminal.wait_for(lambda: terminal.shows(b"X-Outreach-Note"), "header in the composer")
    sent_at = terminal.type(b"y")
    terminal.wait_for(lambda: stored(msmtp_home.db) != [], "message recorded in the store")
    [got] = msmtp_home.server.received
    assert got.rcpt_tos == ("bo@example.org",) and got.mail_from == ME
    message = BytesParser(policy=email.policy.default).parsebytes(got.data)
    body = message.get_content()
    assert "Could you lend me $5,000?" in body and "outreach:" not in body
    assert not [name for name in message if name.lower().startswith("x-outreach")]
    assert stored(msmtp_home.db) == [(ME, "thanks", 1)]
    assert not terminal.shows(REVIEW, since=sent_at)  # the composer closed: aerc took it as sent
    # The copy in Sent is aerc's (copy-to); outreach files none under OUTREACH_SENT_COPY=auto.
    mail = msmtp_home.path.parent / "Mail"

    def copies() -> list[Path]:
        return [*mail.glob("*/cur/*"), *mail.glob("*/new/*")]

    terminal.wait_for(lambda: copies() != [], "copy in Sent")
    [copy] = copies()
    assert copy.parent.parent.name == "Sent"
    assert BytesParser(policy=email.policy.default).parsebytes(copy.read_bytes())["Subject"] == "thanks"

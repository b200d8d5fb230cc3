"""The README recipes with the real programs: neomutt -> outreach sendmail -> msmtp -> aiosmtpd,
and git send-email's sendemail-validate hook.  scripts/test-deps installs neomutt, msmtp and git."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from outreach.store.db import Store
from tests.deliver.conftest import ME, OUTREACH, need

pytestmark = [pytest.mark.smtp, pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")]

GOOD = "Hi Bo,\n\nThanks again for the intro to Priya last month; we met on Tuesday and it went well.\n\nAlex\n"
BAD = "Hi Bo,\n\nI need you to lend me $50,000 by Friday.\n\nAlex\n"


@pytest.fixture
def setup(msmtp_home):
    """A home with a muttrc whose sendmail is `outreach sendmail`, msmtp as its MTA, a store."""
    need("neomutt")
    home = msmtp_home.path
    (home / ".neomuttrc").write_text(
        f'set sendmail="{OUTREACH} sendmail"\n'
        f'set from="Alex Morgan <{ME}>"\nset use_from=yes\nset record=""\nset copy=no\nset folder={home}\n'
    )
    return home, msmtp_home.env, msmtp_home.db, msmtp_home.server


def neomutt(home: Path, env: dict[str, str], *args: str, body: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(["neomutt", "-n", "-F", str(home / ".neomuttrc"), *args], input=body.encode(),
                          capture_output=True, env=env, cwd=home, timeout=120, check=False)


def test_neomutt_keeps_a_failing_message_and_nothing_is_delivered(setup):
    home, env, db, server = setup
    done = neomutt(home, env, "-s", "a favour", "--", "bo@example.org", body=BAD)
    assert done.returncode != 0
    said = (done.stdout + done.stderr).decode()
    assert "child exited 65" in said  # neomutt reports the refusal (and keeps the message)
    assert server.received == []
    with Store.open(db) as store:
        assert store.conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 0


def test_neomutt_delivers_a_good_message_once_without_the_ignore_line_or_x_headers(setup):
    home, env, db, server = setup
    ask = GOOD.replace("went well.", "went well. Could you lend me $5,000?")
    headers = home / "headers"  # neomutt -H: the headers from the file, the body from standard input
    headers.write_text("To: Bo <bo@example.org>\nSubject: thanks\nX-Outreach-Note: kept private\n\n")
    done = neomutt(home, env, "-H", str(headers), body=ask.replace("\nAlex\n", "\noutreach: ignore money\nAlex\n"))
    assert done.returncode == 0, (done.stdout + done.stderr).decode()
    [got] = server.received
    assert got.rcpt_tos == ("bo@example.org",) and got.mail_from == ME
    assert b"Could you lend me $5,000?" in got.data
    assert b"outreach:" not in got.data and b"X-Outreach" not in got.data
    with Store.open(db) as store:
        rows = store.conn.execute("SELECT from_addr, subject, sent FROM messages").fetchall()
        assert [tuple(r) for r in rows] == [(ME, "thanks", 1)]
        assert store.last_exchange("bo@example.org") is not None


# The hook as the README gives it: git send-email runs it with the path of each mail it would send.
VALIDATE_HOOK = '#!/bin/sh\nexec outreach lint "$1"\n'


def test_git_send_email_runs_the_lint_hook_and_stops_a_failing_mail(tmp_path):
    git = need("git")
    if not Path("/usr/lib/git-core/git-send-email").exists():
        pytest.skip("git send-email is not installed: run scripts/test-deps (as root)")
    repo = tmp_path / "repo"
    subprocess.run([git, "init", "-q", str(repo)], check=True)
    hook = repo / ".git" / "hooks" / "sendemail-validate"
    hook.write_text(VALIDATE_HOOK)
    hook.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OUTREACH_", "GIT_"))}
    env.update(OUTREACH_ENV_FILE=os.devnull, OUTREACH_DB=str(tmp_path / "none.db"), HOME=str(tmp_path),
               GIT_AUTHOR_NAME="Alex Morgan", GIT_AUTHOR_EMAIL=ME, GIT_COMMITTER_NAME="Alex Morgan",
               GIT_COMMITTER_EMAIL=ME,
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    results = {}
    for name, body in (("good", GOOD), ("bad", BAD)):
        mail = tmp_path / f"{name}.txt"
        mail.write_text(f"From: {ME}\nTo: bo@example.org\nSubject: {name}\n\n{body}")
        results[name] = subprocess.run(
            [git, "send-email", "--dry-run", "--confirm=never", "--validate", f"--from={ME}", "--to=bo@example.org",
             str(mail)], capture_output=True, env=env, cwd=repo, check=False, timeout=120)
    good, bad = results["good"], results["bad"]
    assert good.returncode == 0, good.stderr.decode()
    assert b"Result: OK" in good.stdout  # the dry run got as far as sending
    assert bad.returncode != 0
    said = (bad.stdout + bad.stderr).decode()
    assert "OUT101" in said and "rejected by sendemail-validate" in said and "Result: OK" not in said

"""The daemon against the session's real Dovecot: IDLE pickup, drafts, digest, server restarts, kill -9."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest

from outreach.service.digest import LAST_KEY, DigestSender
from outreach.service.review import KEYWORD, DraftReviewer
from outreach.store.db import Store
from tests.daemon_proc import ME, DaemonProcess, count, daemon_env, query, wait_for
from tests.servers.mail import make_message

pytestmark = pytest.mark.imap

FRIEND = "sam@example.org"


def inbox(n: int, user: str) -> bytes:
    return make_message(n, sender=FRIEND, to=user)


def draft(subject: str, body: str, to: str = "bo@example.org") -> bytes:
    message_id = f"<draft.{subject.replace(' ', '.')}@x>"
    text = f"From: {ME}\nTo: Bo <{to}>\nSubject: {subject}\nMessage-ID: {message_id}\n\n{body}\n"
    return text.replace("\n", "\r\n").encode()


BAD = (
    "Hi Bo,\n\nI need you to lend me $50,000 by Friday. I expect an answer today. "
    "I'll call you Tuesday at 2:30 to discuss it.\n\nAlex"
)
GOOD = (
    "Hi Bo,\n\nThanks again for the introduction to Priya last month; we met on Tuesday and it went well. "
    "I came across a short essay on pricing that made me think of your launch, so here it is. "
    "No need to reply.\n\nAlex"
)


def env_for(tmp_path, dovecot, user, **settings) -> dict[str, str]:
    values = dict(
        IMAP_HOST=dovecot.host,
        IMAP_PORT=str(dovecot.tls_port),
        IMAP_USER=user.name,
        IMAP_PASSWORD=user.password,
        IMAP_CA_FILE=str(dovecot.cert),
        IMAP_TIMEOUT="10",
    )
    values.update(settings)
    return daemon_env(tmp_path, **values)


def start(tmp_path, env, *args: str, name: str = "daemon") -> DaemonProcess:
    return DaemonProcess(tmp_path / "outreach.db", list(args), env, tmp_path / f"{name}.log")


def test_new_inbox_mail_is_picked_up_by_idle_long_before_the_next_tick(tmp_path, dovecot, imap_user):
    dovecot.append("INBOX", [inbox(i, imap_user.name) for i in range(3)], user=imap_user.name)
    env = env_for(tmp_path, dovecot, imap_user, DAEMON_INTERVAL="1h")
    db = tmp_path / "outreach.db"
    with start(tmp_path, env) as daemon:
        wait_for("the first sync", lambda: count(db) == 3, log=daemon.stderr)
        wait_for("IDLE to be set up", lambda: query(db, "SELECT 1 FROM meta WHERE key = 'daemon.tick'"),
                 log=daemon.stderr)  # fmt: skip
        for n in (10, 11):
            dovecot.append("INBOX", [inbox(n, imap_user.name)], user=imap_user.name)
            # an hour-long interval: only IDLE can bring it in within the (generous) timeout
            wait_for(f"message {n}", lambda n=n: count(db) == n - 6, timeout=60, log=daemon.stderr)
        assert daemon.stop() == 0
    assert daemon.stderr().count("new mail announced (IDLE)") >= 2


def test_dovecot_stopped_and_restarted_mid_run_the_daemon_catches_up(tmp_path, dovecot, imap_user):
    dovecot.append("INBOX", [inbox(i, imap_user.name) for i in range(2)], user=imap_user.name)
    env = env_for(tmp_path, dovecot, imap_user, DAEMON_INTERVAL="1s")
    db = tmp_path / "outreach.db"
    with start(tmp_path, env) as daemon:
        wait_for("the first sync", lambda: count(db) == 2, log=daemon.stderr)
        dovecot.stop()
        wait_for("a sync failing", lambda: "sync failed" in daemon.stderr(), log=daemon.stderr)
        dovecot.start()
        dovecot.append("INBOX", [inbox(i, imap_user.name) for i in range(2, 6)], user=imap_user.name)
        wait_for("the catch-up", lambda: count(db) == 6, timeout=90, log=daemon.stderr)
        assert daemon.proc.poll() is None
        assert daemon.stop() == 0
    log = daemon.stderr()
    assert "sync failed" in log and "recovered after" in log


def test_bad_password_is_logged_without_the_secret_and_recovers_when_fixed(tmp_path, dovecot, imap_user):
    dovecot.append("INBOX", [inbox(1, imap_user.name)], user=imap_user.name)
    wrong = "not-the-password-1234"
    env = env_for(tmp_path, dovecot, imap_user, DAEMON_INTERVAL="1s", IMAP_PASSWORD=wrong)
    db = tmp_path / "outreach.db"
    with start(tmp_path, env) as daemon:
        refused = lambda: "sync failed" in daemon.stderr() and "login refused" in daemon.stderr()  # noqa: E731
        wait_for("the refusal logged", refused, log=daemon.stderr)
        assert count(db) == 0 and daemon.proc.poll() is None
        dovecot.add_user(imap_user.name, wrong)  # the user fixes the password on the server side
        wait_for("recovery", lambda: count(db) == 1, timeout=90, log=daemon.stderr)
        # (the server may refuse once more while it rereads its password file: wait for a clean record)
        healthy = "SELECT last_error FROM daemon_sync WHERE folder = '' AND failures = 0"
        row = wait_for("a healthy record", lambda: query(db, healthy), log=daemon.stderr)
        assert daemon.stop() == 0
    assert wrong not in daemon.stderr() and imap_user.password not in daemon.stderr()
    assert "login refused" in row[0][0]


def test_kill_9_mid_imap_sync_then_restart_ends_with_exactly_the_mailbox(tmp_path, dovecot, imap_user):
    total = 4000
    dovecot.append("INBOX", [inbox(i, imap_user.name) for i in range(total)], user=imap_user.name)
    env = env_for(tmp_path, dovecot, imap_user, DAEMON_INTERVAL="1s")
    db = tmp_path / "outreach.db"
    with start(tmp_path, env) as daemon:
        wait_for("a first committed batch", lambda: count(db) > 0, every=0.01, timeout=120, log=daemon.stderr)
        daemon.kill()
    partial = count(db)
    assert 0 < partial < total, "the kill must land mid-sync"
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    with start(tmp_path, env, name="restart") as again:
        wait_for("the whole mailbox", lambda: count(db) == total, timeout=180, log=again.stderr)
        assert again.stop() == 0
    assert query(db, "SELECT count(DISTINCT key), count(*) FROM messages") == [(total, total)]
    assert count(db, "recipients") == total  # one To each: no message stored twice, none half-stored


# -- drafts ------------------------------------------------------------------------------


def flags_of(dovecot, user, folder="Drafts") -> dict[str, set[bytes]]:
    """Subject -> flags of every message in ``folder``."""
    with dovecot.session(user) as client:
        client.select_folder(folder, readonly=True)
        data = client.fetch(client.search("ALL"), ["FLAGS", "BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
    result = {}
    for item in data.values():
        header = email.message_from_bytes(item[b"BODY[HEADER.FIELDS (SUBJECT)]"], policy=email.policy.default)
        result[str(header["Subject"])] = set(item[b"FLAGS"]) - {b"\\Recent"}  # session-specific
    return result


def test_keyword_marks_drafts_with_findings_clears_it_when_clean_and_never_touches_seen(
    tmp_path, dovecot, imap_user, imap_account
):
    from outreach.service.jobs import Job

    dovecot.append("Drafts", [draft("loan", BAD)], flags=["\\Draft", "\\Seen"], user=imap_user.name)
    dovecot.append("Drafts", [draft("pricing essay", GOOD)], flags=["\\Draft"], user=imap_user.name)
    reviewer = DraftReviewer(keyword=True)
    job = Job(lambda: None, "imap:test", account=imap_account)
    with Store.open(tmp_path / "s.db") as store:
        reviewer.review(store, job)
        flags = flags_of(dovecot, imap_user.name)
        assert flags["loan"] == {b"\\Draft", b"\\Seen", KEYWORD.encode()}
        assert flags["pricing essay"] == {b"\\Draft"}  # not \Seen: nothing marked read
        assert [(r["subject"], r["flagged"]) for r in store.drafts_with_findings()] == [("loan", 1)]

        # linted once: a second pass reads nothing new and changes nothing
        before = dict(store.draft_reviews(f"imap:{imap_account.label}/Drafts"))
        reviewer.review(store, job)
        assert store.draft_reviews(f"imap:{imap_account.label}/Drafts") == before

        # the user fixes the wording: the keyword goes away (a client saving in place keeps the UID)
        clean = DraftReviewer(keyword=True, rules=[])  # no rule reports anything
        store.forget_draft_reviews(f"imap:{imap_account.label}/Drafts", list(before))
        clean.review(store, job)
        assert flags_of(dovecot, imap_user.name)["loan"] == {b"\\Draft", b"\\Seen"}
        assert store.drafts_with_findings() == []


def test_without_the_keyword_setting_drafts_are_only_read(tmp_path, dovecot, imap_user, imap_account):
    from outreach.service.jobs import Job

    dovecot.append("Drafts", [draft("loan", BAD)], flags=["\\Draft"], user=imap_user.name)
    before = dovecot.status("Drafts", user=imap_user.name)
    with Store.open(tmp_path / "s.db") as store:
        DraftReviewer(keyword=False).review(store, Job(lambda: None, "x", account=imap_account))
        assert len(store.drafts_with_findings()) == 1
    assert flags_of(dovecot, imap_user.name)["loan"] == {b"\\Draft"}
    assert dovecot.status("Drafts", user=imap_user.name)["highestmodseq"] == before["highestmodseq"]


def test_a_new_draft_is_linted_by_the_running_daemon(tmp_path, dovecot, imap_user):
    env = env_for(tmp_path, dovecot, imap_user, DAEMON_INTERVAL="1s", DRAFT_KEYWORD="1")
    db = tmp_path / "outreach.db"
    with start(tmp_path, env) as daemon:
        wait_for("the first round", lambda: query(db, "SELECT 1 FROM meta WHERE key = 'daemon.tick'"),
                 log=daemon.stderr)  # fmt: skip
        dovecot.append("Drafts", [draft("loan", BAD)], flags=["\\Draft"], user=imap_user.name)
        dovecot.append("Drafts", [draft("pricing essay", GOOD)], flags=["\\Draft"], user=imap_user.name)
        wait_for("both drafts reviewed", lambda: count(db, "draft_reviews") == 2, log=daemon.stderr)
        wait_for("the keyword", lambda: KEYWORD.encode() in flags_of(dovecot, imap_user.name)["loan"],
                 log=daemon.stderr)  # fmt: skip
        assert daemon.stop() == 0
    reviews = dict(query(db, "SELECT subject, findings FROM draft_reviews"))
    assert reviews["loan"] > 0 and reviews["pricing essay"] == 0
    assert KEYWORD.encode() not in flags_of(dovecot, imap_user.name)["pricing essay"]
    assert "needs another look" in daemon.stderr()


# -- digest ------------------------------------------------------------------------------


def test_weekly_digest_is_appended_to_the_users_own_inbox_once(tmp_path, dovecot, imap_user, imap_account):
    from outreach.service.jobs import Job

    utc = UTC
    sender = DigestSender((0, 8, 0), "inbox", utc, ME, "Alex", now=lambda: datetime(2026, 11, 25, 9, tzinfo=utc))
    jobs = [Job(lambda: None, "imap:test", account=imap_account)]
    with Store.open(tmp_path / "s.db") as store:
        assert sender.maybe_send(store, jobs) is False  # first start: no digest for a slot already past
        store.set_meta(LAST_KEY, datetime(2026, 11, 16, 8, tzinfo=utc).isoformat())  # last week's was sent
        assert sender.maybe_send(store, jobs) is True
        assert sender.maybe_send(store, jobs) is False  # same slot: not again
        store.set_meta(LAST_KEY, datetime(2026, 11, 16, 8, tzinfo=utc).isoformat())  # crash before recording
        assert sender.maybe_send(store, jobs) is True
    with dovecot.session(imap_user.name) as client:
        client.select_folder("INBOX", readonly=True)
        found = client.fetch(client.search("ALL"), ["BODY.PEEK[]", "FLAGS"])
    assert len(found) == 1  # the Message-ID check kept the second append out
    (item,) = found.values()
    msg = email.message_from_bytes(item[b"BODY[]"], policy=email.policy.default)
    assert msg["To"].addresses[0].addr_spec == ME and msg["From"].addresses[0].addr_spec == ME
    assert msg["Cc"] is None and msg["Bcc"] is None
    assert msg["Subject"].startswith("outreach: your week") and b"\\Seen" not in item[b"FLAGS"]


# -- IDLE ----------------------------------------------------------------------------------


def poll_idle(idler, until, timeout: float = 30.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if idler.check(0.2):
            return True
        if until():
            return False
    return False


def test_idle_is_renewed_and_still_announces_new_mail(dovecot, imap_user, imap_account):
    import time

    from outreach.service.idle import Idler

    idler = Idler(imap_account, renew=0.3)
    idler.open()
    try:
        stop_at = time.monotonic() + 1.5  # several renewals (DONE, then IDLE again) with nothing new
        assert poll_idle(idler, lambda: time.monotonic() > stop_at) is False
        dovecot.append("INBOX", [inbox(1, imap_user.name)], user=imap_user.name)
        assert poll_idle(idler, lambda: False) is True
    finally:
        idler.close()


def test_idle_notices_a_dropped_connection(dovecot, imap_user, imap_account):
    from outreach.imap import ImapConnectionError
    from outreach.service.idle import Idler

    idler = Idler(imap_account)
    idler.open()
    try:
        dovecot.kick(imap_user.name)
        with pytest.raises(ImapConnectionError):
            poll_idle(idler, lambda: False)
    finally:
        idler.close()


def test_daemon_once_exits_1_when_its_sync_failed(tmp_path, dovecot, imap_user):
    env = env_for(tmp_path, dovecot, imap_user, IMAP_PASSWORD="not-the-password-1234")
    with start(tmp_path, env, "--once", "--no-idle") as daemon:
        assert daemon.wait(120) == 1, daemon.stderr()
    assert "login refused" in daemon.stderr()


def test_daemon_once_opens_no_idle_and_promises_no_retry(tmp_path, dovecot, imap_user):
    # From cron: one round, then exit; no IDLE connection, and no "retry in ..." that never comes.
    env = env_for(tmp_path, dovecot, imap_user, IMAP_PASSWORD="not-the-password-1234")
    with start(tmp_path, env, "--once") as daemon:
        assert daemon.wait(120) == 1, daemon.stderr()
    log = daemon.stderr()
    assert "login refused" in log and "sync failed" in log
    assert "IDLE" not in log and "retry" not in log

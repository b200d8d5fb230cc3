"""The daemon with local Maildir sources, run as a real subprocess: ticks, signals, lock, kill -9, faults."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from outreach import config
from outreach.errors import ConfigError, OutreachError
from outreach.ingest import sync
from outreach.ingest.sources.local import MaildirSource
from outreach.service.digest import next_digest, next_slot, slot_before
from outreach.service.jobs import backoff
from outreach.service.lock import lock_holder, store_lock
from outreach.store.db import Store
from tests.daemon_proc import ME, DaemonProcess, count, daemon_env, query, wait_for


def mail(n: int, sender: str = "sam@example.com", to: str = ME, subject: str | None = None) -> bytes:
    return (
        f"From: Sam <{sender}>\nTo: {to}\nSubject: {subject or f'note {n}'}\n"
        f"Date: Tue, 03 Mar 2026 10:{n % 60:02d}:00 +0000\nMessage-ID: <d{n}@example.com>\n\n"
        f"Thanks for the intro last week. Could you lend me $500 for the trip? Body {n}.\n"
    ).encode()


def maildir(root: Path, messages: list[bytes] = (), folder: str = "") -> Path:
    base = root / f".{folder}" if folder else root
    for sub in ("cur", "new", "tmp"):
        (base / sub).mkdir(parents=True, exist_ok=True)
    for i, data in enumerate(messages):
        (base / "cur" / f"{folder or 'in'}-{i}:2,S").write_bytes(data)
    return base


def deliver(box: Path, name: str, data: bytes) -> None:
    """Like an MDA: write to tmp/, rename into new/ (the directory's mtime changes)."""
    tmp = box / "tmp" / name
    tmp.write_bytes(data)
    tmp.rename(box / "new" / name)
    later = time.time_ns() + 2_000_000_000  # coarse mtimes: make the change visible
    os.utime(box / "new", ns=(later, later))


@pytest.fixture
def env(tmp_path):
    return daemon_env(tmp_path, DAEMON_INTERVAL="0.5s")


def start(tmp_path, env, *args: str, name: str = "daemon") -> DaemonProcess:
    return DaemonProcess(tmp_path / "outreach.db", list(args), env, tmp_path / f"{name}.log")


def test_new_message_is_picked_up_within_a_tick_and_sigterm_exits_0(tmp_path, env):
    box = maildir(tmp_path / "Mail", [mail(i) for i in range(3)])
    db = tmp_path / "outreach.db"
    with start(tmp_path, env, "--maildir", str(box)) as daemon:
        wait_for("the first sync", lambda: count(db) == 3, log=daemon.stderr)
        deliver(box, "late-1", mail(99))
        wait_for("the new message", lambda: count(db) == 4, log=daemon.stderr)
        assert daemon.stop() == 0
    log = daemon.stderr()
    assert "SIGTERM received" in log and "daemon stopped" in log
    assert "1 new" in log
    assert query(db, "SELECT count(*) FROM messages WHERE message_id LIKE '%d99@example.com%'") == [(1,)]


def test_sigint_exits_0_too(tmp_path, env):
    box = maildir(tmp_path / "Mail", [mail(1)])
    with start(tmp_path, env, "--maildir", str(box)) as daemon:
        wait_for("the first sync", lambda: count(daemon.db) == 1, log=daemon.stderr)
        daemon.signal(signal.SIGINT)
        assert daemon.wait() == 0


def test_second_daemon_on_the_same_store_is_refused_naming_the_pid(tmp_path, env):
    box = maildir(tmp_path / "Mail", [mail(1)])
    with start(tmp_path, env, "--maildir", str(box)) as first:
        wait_for("the lock", lambda: lock_holder(first.db) == first.pid, log=first.stderr)
        second = subprocess.run(
            [sys.executable, "-m", "outreach", "daemon", "--db", str(first.db), "--maildir", str(box)],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert second.returncode == 2
        assert f"pid {first.pid}" in second.stderr and "already using this store" in second.stderr
        assert first.proc.poll() is None  # the first one is undisturbed
        assert first.stop() == 0
    assert lock_holder(first.db) is None  # released on exit


def test_lock_is_released_by_kill_9(tmp_path, env):
    box = maildir(tmp_path / "Mail", [mail(1)])
    with start(tmp_path, env, "--maildir", str(box)) as daemon:
        wait_for("the lock", lambda: lock_holder(daemon.db) == daemon.pid, log=daemon.stderr)
        daemon.kill()
    with store_lock(daemon.db):  # a new daemon may start at once
        assert lock_holder(daemon.db) is None or lock_holder(daemon.db) == os.getpid()


BIG = 5000


def big_maildir(tmp_path) -> Path:
    return maildir(tmp_path / "Big", [mail(i, sender=f"p{i % 700}@example.com") for i in range(BIG)])


def reference_counts(tmp_path, box: Path) -> dict[str, int]:
    """What one uninterrupted sync of the same mailbox stores."""
    with Store.open(tmp_path / "reference.db") as store:
        sync.run(store, MaildirSource(box), me=[ME])
        return {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


TABLES = ("messages", "recipients", "acts", "seen")


def table_counts(db: Path) -> dict[str, int]:
    return {t: count(db, t) for t in TABLES}


def test_kill_9_mid_sync_then_restart_ends_with_exactly_the_mailbox(tmp_path, env):
    box = big_maildir(tmp_path)
    db = tmp_path / "outreach.db"
    with start(tmp_path, env, "--maildir", str(box)) as daemon:
        wait_for("a first committed batch", lambda: count(db) > 0, every=0.01, log=daemon.stderr)
        daemon.kill()
    partial = count(db)
    assert 0 < partial < BIG, "the kill must land mid-sync"
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    with start(tmp_path, env, "--maildir", str(box), name="restart") as again:
        wait_for("the rest of the mailbox", lambda: count(db) == BIG, timeout=180, log=again.stderr)
        assert again.stop() == 0
    assert table_counts(db) == reference_counts(tmp_path, box)
    assert query(db, "SELECT count(DISTINCT key) FROM messages") == [(BIG,)]


def test_sigterm_during_a_long_sync_stops_promptly_and_loses_nothing(tmp_path, env):
    box = big_maildir(tmp_path)
    db = tmp_path / "outreach.db"
    with start(tmp_path, env, "--maildir", str(box)) as daemon:
        wait_for("a first committed batch", lambda: count(db) > 0, every=0.01, log=daemon.stderr)
        assert daemon.stop(timeout=20) == 0
    assert "sync interrupted" in daemon.stderr() or count(db) == BIG
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    with start(tmp_path, env, "--maildir", str(box), name="restart") as again:
        wait_for("the rest of the mailbox", lambda: count(db) == BIG, timeout=180, log=again.stderr)
        assert again.stop() == 0
    assert table_counts(db) == reference_counts(tmp_path, box)


def test_a_failing_source_backs_off_while_others_are_served_then_recovers(tmp_path, env):
    good = maildir(tmp_path / "Good", [mail(1)])
    flaky = maildir(tmp_path / "Flaky", [mail(2)])
    db = tmp_path / "outreach.db"
    with start(tmp_path, env, "--maildir", str(good), "--maildir", str(flaky)) as daemon:
        wait_for("both synced", lambda: count(db) == 2, log=daemon.stderr)
        hidden = flaky.rename(tmp_path / "Flaky.away")
        wait_for("the failure logged", lambda: "sync failed" in daemon.stderr(), log=daemon.stderr)
        deliver(good, "g-2", mail(3))
        wait_for("the good source still served", lambda: count(db) == 3, log=daemon.stderr)
        hidden.rename(flaky)
        deliver(flaky, "f-2", mail(4))
        wait_for("recovery", lambda: count(db) == 4, log=daemon.stderr)
        wait_for("the recovery logged", lambda: "recovered after" in daemon.stderr(), log=daemon.stderr)
        assert daemon.stop() == 0
    failed = query(db, "SELECT failures, last_error FROM daemon_sync WHERE source = ? AND folder = ''",
                   (f"maildir:{flaky.resolve()}",))  # fmt: skip
    assert failed[0][0] == 0 and "no such Maildir directory" in failed[0][1]


def test_a_poisoned_message_is_skipped_and_the_rest_stored(tmp_path, env):
    box = maildir(tmp_path / "Mail", [mail(1), b"\x00\xff garbage with no headers \x00" * 50, mail(2)])
    db = tmp_path / "outreach.db"
    with start(tmp_path, env, "--maildir", str(box)) as daemon:
        wait_for("the good ones", lambda: count(db) == 2, log=daemon.stderr)
        deliver(box, "after", mail(3))
        wait_for("mail after the poison", lambda: count(db) == 3, log=daemon.stderr)
        assert daemon.stop() == 0
    assert count(db, "skipped") == 1
    assert "skipped" in daemon.stderr()


def test_status_shows_syncs_counts_and_next_digest(tmp_path, env):
    box = maildir(tmp_path / "Mail", [mail(i) for i in range(4)])
    maildir(tmp_path / "Mail", [], folder="Sent")
    db = tmp_path / "outreach.db"
    env = {**env, "OUTREACH_DIGEST": "fri 17:30", "OUTREACH_TZ": "Europe/Berlin", "OUTREACH_DIGEST_DELIVERY": "smtp"}
    with start(tmp_path, env, "--maildir", str(box)) as daemon:
        wait_for("a recorded sync", lambda: query(db, "SELECT 1 FROM daemon_sync WHERE last_ok IS NOT NULL"),
                 log=daemon.stderr)  # fmt: skip
        shown = subprocess.run(
            [sys.executable, "-m", "outreach", "status", "--db", str(db), "--format", "json"],
            env=env, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        text = subprocess.run(
            [sys.executable, "-m", "outreach", "status", "--db", str(db)],
            env=env, capture_output=True, text=True, timeout=60, check=True,
        ).stdout  # fmt: skip
        assert daemon.stop() == 0
    status = json.loads(shown.stdout)
    assert status["daemon_pid"] == daemon.pid and f"running (pid {daemon.pid})" in text
    assert status["messages"] == 4 and status["contacts"] >= 1
    folders = {(s["source"], s["folder"]) for s in status["syncs"] if s["last_ok"]}
    name = f"maildir:{box.resolve()}"
    assert {(name, "*"), (name, "INBOX"), (name, "Sent")} <= folders
    due = datetime.fromisoformat(status["next_digest"])
    assert (due.weekday(), due.hour, due.minute) == (4, 17, 30) and due.utcoffset() is not None
    assert status["digest_delivery"] == "smtp" and "next digest" in text


def test_status_of_a_missing_store_is_a_clear_error(tmp_path, env):
    done = subprocess.run(
        [sys.executable, "-m", "outreach", "status", "--db", str(tmp_path / "none.db")],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "no such database" in done.stderr


# -- pieces ------------------------------------------------------------------------------


def test_backoff_doubles_to_the_cap_with_jitter():
    rng = random.Random(7)
    for failures, nominal in [(1, 2), (2, 4), (3, 8), (4, 16), (10, 60), (50, 60)]:
        delays = [backoff(failures, 2, 60, rng) for _ in range(200)]
        assert nominal / 2 <= min(delays) and max(delays) <= nominal
        assert len({round(d, 6) for d in delays}) > 100  # jittered, not a fixed value


@pytest.mark.parametrize(
    "text,seconds", [("90", 90), ("30s", 30), ("15m", 900), ("1h30m", 5400), ("0.5s", 0.5), ("2d", 172800)]
)
def test_durations(text, seconds):
    assert config.parse_duration(text, "DAEMON_INTERVAL") == seconds


@pytest.mark.parametrize("text", ["", "soon", "15x", "-5m", "0"])
def test_bad_durations_name_the_setting(text):
    with pytest.raises(ConfigError, match="OUTREACH_DAEMON_INTERVAL"):
        config.parse_duration(text, "DAEMON_INTERVAL")


def test_digest_schedule_setting(monkeypatch):
    monkeypatch.setenv("OUTREACH_DIGEST", "Thursday 07:45")
    assert config.digest_schedule() == (3, 7, 45)
    monkeypatch.setenv("OUTREACH_DIGEST", "off")
    assert config.digest_schedule() is None
    monkeypatch.setenv("OUTREACH_DIGEST", "someday 25:00")
    with pytest.raises(ConfigError, match="OUTREACH_DIGEST"):
        config.digest_schedule()


def test_digest_slots_follow_wall_clock_time_across_dst():
    berlin = ZoneInfo("Europe/Berlin")
    monday_8 = (0, 8, 0)
    # Wednesday 25 March 2026: the last slot was Monday 23 March 08:00 CET (UTC+1)
    slot = slot_before(datetime(2026, 3, 25, 12, tzinfo=UTC), monday_8, berlin)
    assert slot == datetime(2026, 3, 23, 7, 0, tzinfo=UTC)
    # the next one is after the switch to summer time on 29 March: 08:00 CEST = 06:00 UTC
    assert next_slot(slot, monday_8, berlin) == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)
    # exactly at the slot counts as that slot
    assert slot_before(datetime(2026, 3, 30, 6, 0, tzinfo=UTC), monday_8, berlin) == next_slot(
        slot, monday_8, berlin
    )


def test_next_digest_is_overdue_after_a_missed_slot(tmp_path):
    utc = ZoneInfo("UTC")
    with Store.open(tmp_path / "s.db") as store:
        now = datetime(2026, 11, 25, 9, tzinfo=UTC)  # a Wednesday
        assert next_digest(store, (0, 8, 0), utc, now) == datetime(2026, 11, 30, 8, tzinfo=utc)
        store.set_meta("digest.last", datetime(2026, 11, 16, 8, tzinfo=utc).isoformat())
        assert next_digest(store, (0, 8, 0), utc, now) == datetime(2026, 11, 23, 8, tzinfo=utc)  # due now
        assert next_digest(store, None, utc, now) is None


def test_lock_error_is_an_outreach_error(tmp_path):
    db = tmp_path / "x.db"
    with store_lock(db):
        child = subprocess.run(
            [sys.executable, "-c",
             f"from outreach.service.lock import store_lock\nwith store_lock({str(db)!r}): pass"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert child.returncode != 0 and f"pid {os.getpid()}" in child.stderr
    assert issubclass(__import__("outreach.service.lock", fromlist=["DaemonLocked"]).DaemonLocked, OutreachError)


def test_drafts_in_a_maildir_are_linted_once_and_again_only_when_changed(tmp_path, env):
    box = maildir(tmp_path / "Mail", [mail(1)])
    drafts = maildir(tmp_path / "Mail", [], folder="Drafts")
    db = tmp_path / "outreach.db"
    bad = f"From: {ME}\nTo: bo@example.org\nSubject: loan\n\nI need you to lend me $50,000 by Friday.\n".encode()
    fixed = f"From: {ME}\nTo: bo@example.org\nSubject: loan\n\nThanks for the intro to Priya last week.\n".encode()
    reviews = "SELECT subject, findings, linted FROM draft_reviews"
    with start(tmp_path, env, "--maildir", str(box), "--verbose") as daemon:
        wait_for("the first round", lambda: count(db) == 1, log=daemon.stderr)
        (drafts / "cur" / "d1:2,D").write_bytes(bad)
        wait_for("the draft reviewed", lambda: query(db, reviews), log=daemon.stderr)
        assert query(db, reviews)[0][1] > 0
        rounds = daemon.stderr().count("scheduled sync")
        wait_for("two more rounds", lambda: daemon.stderr().count("scheduled sync") >= rounds + 2, log=daemon.stderr)
        (drafts / "cur" / "d1:2,D").write_bytes(fixed)  # saved in place by a mail client
        wait_for("the change reviewed", lambda: query(db, reviews)[0][1] == 0, log=daemon.stderr)
        (drafts / "cur" / "d1:2,D").unlink()  # sent or deleted
        wait_for("the review forgotten", lambda: not query(db, reviews), log=daemon.stderr)
        assert daemon.stop() == 0
    log = daemon.stderr()
    assert log.count("draft 'loan' to bo@example.org needs another look") == 1  # not re-linted every tick
    assert log.count("draft 'loan' to bo@example.org linted: clean") == 1


@pytest.mark.smtp
def test_weekly_digest_by_smtp_goes_to_the_user_only_once_per_week(tmp_path, smtp_server):
    import email.policy
    from email.parser import BytesParser

    from outreach.accounts import SmtpSettings
    from outreach.service.digest import LAST_KEY, DigestSender

    settings = SmtpSettings(host="localhost", port=smtp_server.port, tls=smtp_server.tls, user=smtp_server.user,
                            password=smtp_server.password, ca_file=smtp_server.cert, timeout=10)  # fmt: skip
    clock = [datetime(2026, 11, 25, 9, tzinfo=UTC)]  # a Wednesday
    sender = DigestSender((0, 8, 0), "smtp", ZoneInfo("UTC"), ME, now=lambda: clock[0], smtp=lambda: settings)
    with Store.open(tmp_path / "s.db") as store:
        store.save_draft_review("maildir:x:Drafts", "d1", digest="h", subject="loan", recipient="bo@example.org",
                                findings=2, worst="error", summary='[{"code": "OUT101"}]', at=1)  # fmt: skip
        assert sender.maybe_send(store, []) is False  # first start: the past Monday is not sent
        assert smtp_server.received == []
        clock[0] = datetime(2026, 11, 30, 8, 0, 30, tzinfo=UTC)  # next Monday, just after 08:00
        assert sender.maybe_send(store, []) is True
        assert sender.maybe_send(store, []) is False
        assert store.get_meta(LAST_KEY) == datetime(2026, 11, 30, 8, tzinfo=ZoneInfo("UTC")).isoformat()
    (got,) = smtp_server.received
    assert [r.lower() for r in got.rcpt_tos] == [ME]
    msg = BytesParser(policy=email.policy.default).parsebytes(got.data)
    assert msg["To"].addresses[0].addr_spec == ME and msg["Cc"] is None and msg["Bcc"] is None
    body = msg.get_body(("plain",)).get_content()
    assert "'loan' to bo@example.org: 2 finding(s), worst error (OUT101)" in body

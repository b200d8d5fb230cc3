"""Faults of the store and the disk, through the real CLI: one line, exit 2, nothing created or lost.

Each test first builds the faulty situation for real (a truncated file, garbage over
pages, a newer schema stamp, a read-only bind mount, a full tmpfs, a lock path that
cannot be a file) and then runs `outreach` as a subprocess, as a user or cron would.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from outreach import paths
from outreach.store import health
from tests.daemon_proc import ME, daemon_env


def mail(n: int) -> bytes:
    return (
        f"From: Sam {n % 40} <sam{n % 40}@example.com>\nTo: {ME}\nSubject: note {n}\n"
        f"Date: Tue, 03 Mar 2026 10:{n % 60:02d}:00 +0000\nMessage-ID: <f{n}@example.com>\n\n"
        f"Thanks for the intro last week. Could you lend me $500 for the trip? Body {n}. {'word ' * 80}\n"
    ).encode()


def maildir(root: Path, count: int) -> Path:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (root / "cur" / f"m{i}:2,S").write_bytes(mail(i))
    return root


def outreach(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "outreach", *args],
        env=daemon_env(tmp), cwd=tmp, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def assert_one_line_error(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("outreach: error: "), done.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def synced(tmp_path) -> Path:
    """A store after a real sync of 300 messages."""
    db = tmp_path / "store" / "outreach.db"
    done = outreach(tmp_path, "sync", "--quiet", "--maildir", str(maildir(tmp_path / "mail", 300)), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return db


def test_a_truncated_store_is_one_line_exit_2(tmp_path, synced):
    size = synced.stat().st_size
    with open(synced, "r+b") as f:
        f.truncate(size // 3)
    for command in (["contacts"], ["sync", "--maildir", str(tmp_path / "mail")], ["skipped"]):
        assert_one_line_error(outreach(tmp_path, *command, "--db", str(synced)), "damaged")


def test_garbage_over_pages_mid_file_is_found_on_open(tmp_path, synced):
    size = synced.stat().st_size
    assert size > 200_000
    with open(synced, "r+b") as f:
        f.seek(size // 2 // 4096 * 4096)
        f.write(os.urandom(16 * 1024))
    for command in (["contacts"], ["sync", "--maildir", str(tmp_path / "mail")], ["status"]):
        assert_one_line_error(outreach(tmp_path, *command, "--db", str(synced)), "damaged")


def test_damage_is_found_after_a_clean_close_even_with_its_times_set_back(tmp_path, synced):
    # A clean close records the file it left, and the next open skips quick_check only for that
    # very file: garbage written over it, size and modification time put back, is still found.
    assert (synced.parent / (synced.name + "-checked")).is_file()
    assert not (synced.parent / (synced.name + "-wal")).exists()
    status = synced.stat()
    with open(synced, "r+b") as f:
        f.seek(status.st_size // 2 // 4096 * 4096)
        f.write(os.urandom(16 * 1024))
    os.utime(synced, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert synced.stat().st_size == status.st_size and synced.stat().st_mtime_ns == status.st_mtime_ns
    assert_one_line_error(outreach(tmp_path, "sync", "--maildir", str(tmp_path / "mail"), "--db", str(synced)),
                          "damaged")  # fmt: skip


def test_a_readers_empty_wal_keeps_the_record_of_a_clean_close(tmp_path, synced):
    # `outreach lint` reads the store read-only and cannot remove the (empty) WAL it opened: the
    # file is still as the clean close left it, so the next open need not read every page again.
    assert health.unchanged(synced)
    draft = tmp_path / "draft.txt"
    draft.write_text("Could you lend me $5,000?\n")
    done = outreach(tmp_path, "lint", "--exit-zero", "--db", str(synced), "--to", "sam1@example.com", str(draft))
    assert done.returncode == 0, done.stderr
    wal = synced.parent / (synced.name + "-wal")
    assert wal.exists() and wal.stat().st_size == 0
    assert health.unchanged(synced)
    with contextlib.closing(sqlite3.connect(synced)) as conn, conn:  # another program writes the store
        conn.execute("INSERT INTO meta (key, value) VALUES ('probe', '1')")
    assert not health.unchanged(synced)


def test_a_store_from_a_newer_outreach_is_refused_and_left_alone(tmp_path, synced):
    with contextlib.closing(sqlite3.connect(synced)) as conn, conn:
        conn.execute("INSERT INTO schema_version (version) VALUES (999)")
    before = synced.read_bytes()
    for command in (["sync", "--maildir", str(tmp_path / "mail")], ["contacts"]):
        assert_one_line_error(outreach(tmp_path, *command, "--db", str(synced)), "newer outreach", "999")
    assert synced.read_bytes() == before


def test_a_dropped_column_is_one_line_exit_2(tmp_path, synced):
    with contextlib.closing(sqlite3.connect(synced)) as conn, conn:
        conn.execute("ALTER TABLE contact_cache DROP COLUMN balance")
    assert_one_line_error(outreach(tmp_path, "contacts", "--db", str(synced)), "balance")


@pytest.mark.parametrize("command", [["contacts"], ["show", "sam@example.com"], ["skipped"], ["suggest"]])
def test_read_commands_never_create_a_store_or_its_directory(tmp_path, command):
    db = tmp_path / "none" / "deeper" / "x.db"
    assert_one_line_error(outreach(tmp_path, *command, "--db", str(db)), "no such database")
    assert not (tmp_path / "none").exists()


def test_a_killed_run_after_its_last_commit_gets_its_contacts_on_the_next_sync(tmp_path, synced):
    # What a kill -9 between the last batch's commit and the refresh leaves behind:
    # every message stored, the contact cache never written.
    with contextlib.closing(sqlite3.connect(synced)) as conn, conn:
        expected = conn.execute("SELECT count(*) FROM contact_cache").fetchone()[0]
        conn.execute("DELETE FROM contact_cache")
        conn.execute("DELETE FROM referral_cache")
        conn.execute("DELETE FROM meta WHERE key LIKE 'relationships.%'")
    assert expected > 0
    done = outreach(tmp_path, "sync", "--quiet", "--maildir", str(tmp_path / "mail"), "--db", str(synced))
    assert done.returncode == 0, done.stderr
    with contextlib.closing(sqlite3.connect(synced)) as conn:
        assert conn.execute("SELECT count(*) FROM contact_cache").fetchone()[0] == expected


def test_a_lock_file_that_cannot_be_created_is_one_line(tmp_path, synced):
    paths.lock_path(synced).mkdir(parents=True)  # the lock path is taken by a directory
    done = outreach(tmp_path, "daemon", "--once", "--maildir", str(tmp_path / "mail"), "--db", str(synced))
    assert_one_line_error(done, "lock")


@contextlib.contextmanager
def mounted(*args: str) -> Iterator[None]:
    """Run `mount ARGS...`, unmounting after; skip where this system does not allow mounts."""
    target = args[-1]
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", target], check=False)


def read_only_view(source: Path, target: Path) -> contextlib.AbstractContextManager:
    target.mkdir()
    stack = contextlib.ExitStack()
    stack.enter_context(mounted("--bind", str(source), str(target)))
    stack.enter_context(mounted("-o", "remount,ro,bind", str(target)))
    return stack


def test_a_store_on_a_read_only_mount_serves_reads_and_refuses_sync_in_one_line(tmp_path, synced):
    view = tmp_path / "ro"
    with read_only_view(synced.parent, view):
        db = view / synced.name
        contacts = outreach(tmp_path, "contacts", "--format", "csv", "--db", str(db))
        assert contacts.returncode == 0, contacts.stderr
        assert "sam1@example.com" in contacts.stdout
        status = outreach(tmp_path, "status", "--db", str(db))
        assert status.returncode == 0, status.stderr
        done = outreach(tmp_path, "sync", "--maildir", str(tmp_path / "mail"), "--db", str(db))
        assert_one_line_error(done, "Read-only file system")


def test_a_full_disk_during_sync_is_one_line_and_the_next_run_completes(tmp_path):
    disk = tmp_path / "small"
    disk.mkdir()
    box = maildir(tmp_path / "mail", 3000)
    with mounted("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)):
        db = disk / "outreach.db"
        full = outreach(tmp_path, "sync", "--quiet", "--maildir", str(box), "--db", str(db))
        assert_one_line_error(full, "full")
        with contextlib.closing(sqlite3.connect(db)) as conn:
            kept = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
        assert kept < 3000
        (tmp_path / "bigger").mkdir()
        copy = tmp_path / "bigger" / "outreach.db"
        with contextlib.closing(sqlite3.connect(db)) as conn, contextlib.closing(sqlite3.connect(copy)) as out:
            conn.backup(out)
    done = outreach(tmp_path, "sync", "--quiet", "--maildir", str(box), "--db", str(copy))
    assert done.returncode == 0, done.stderr
    with contextlib.closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("SELECT count(DISTINCT key) FROM messages").fetchone()[0] == 3000

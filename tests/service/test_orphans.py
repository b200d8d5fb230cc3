"""`kill -9` of a sync leaves no process behind and lets go of its stdout.

Run as cron would: `outreach sync | tail` must end once the sync has been killed,
so nothing the sync started (once: parse workers and multiprocessing's resource
tracker) may keep running or hold stdout.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from tests.daemon_proc import ME, daemon_env
from tests.service.processes import alive, descendants, kill9, survivors


def big_maildir(root, count: int):
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (root / "cur" / f"m{i}:2,S").write_bytes(
            f"From: p{i % 300}@example.com\nTo: {ME}\nSubject: s {i}\nMessage-ID: <o{i}@example.com>\n"
            f"Date: Tue, 03 Mar 2026 10:00:00 +0000\n\nCould you review my deck? Thanks for the intro. {i}\n".encode()
        )
    return root


def test_kill_9_of_a_large_sync_leaves_no_process_and_releases_stdout(tmp_path):
    box = big_maildir(tmp_path / "mail", 20_000)
    env = daemon_env(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "outreach", "sync", "--maildir", str(box), "--db", str(tmp_path / "o.db")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    ended = threading.Event()
    reader = threading.Thread(target=lambda: (proc.stdout.read(), ended.set()), daemon=True)
    reader.start()
    try:
        wal = tmp_path / "o.db-wal"
        while alive(proc.pid) and not (wal.exists() and wal.stat().st_size > 1_000_000):
            time.sleep(0.02)  # until the sync is well into its batches
        assert proc.poll() is None, "the sync ended before it could be killed"
        started = descendants(proc.pid)
        kill9(proc.pid)
        proc.wait(30)
        assert survivors(started) == set()
        assert ended.wait(30), "stdout is still held open after the sync was killed"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

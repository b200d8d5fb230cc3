"""Daemon soak: `outreach daemon` against a private Dovecot receiving a steady stream of mail.

Preloads a mailbox, starts the daemon as a subprocess (IMAP over TLS, IDLE on),
waits for its first sync, then APPENDs one message every 1/rate seconds for
--duration seconds while a watcher polls the store for each Message-ID.  Prints:
  * messages processed, and how many were picked up;
  * pickup delay, APPEND completed -> row committed in the store: median, p90, worst;
  * the daemon's RSS after its first sync, sampled during the run, and at the end;
  * how long SIGTERM took to stop it.

Usage: python benchmarks/daemon_soak.py [--duration 180] [--rate 2] [--preload 3000] [--interval 1m]
Targets (issue 7): with IDLE, median pickup < 2 s; end RSS within 10% of RSS after the first sync.
Figures taken while other work runs on the machine are indicative only.
"""

from __future__ import annotations

import argparse
import signal
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # before site-packages: textstat ships a stray `tests` package

from tests.daemon_proc import ME, DaemonProcess, count, daemon_env, wait_for  # noqa: E402
from tests.servers.dovecot import Dovecot  # noqa: E402
from tests.servers.mail import make_message  # noqa: E402

FRIENDS = [f"friend{i}@example.org" for i in range(40)]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Watcher(threading.Thread):
    """Polls the store for new rows and notes when each Message-ID first appears."""

    def __init__(self, db: Path, every: float = 0.02):
        super().__init__(daemon=True)
        self.db, self.every = db, every
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()
        self._last_id = 0

    def run(self) -> None:
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)
        while not self.stop.is_set():
            rows = conn.execute(
                "SELECT id, message_id FROM messages WHERE id > ? ORDER BY id", (self._last_id,)
            ).fetchall()
            now = time.monotonic()
            for row_id, message_id in rows:
                self._last_id = row_id
                if message_id:
                    self.seen.setdefault(message_id.strip("<>"), now)
            time.sleep(self.every)
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=180.0, help="seconds of streaming (default 180)")
    parser.add_argument("--rate", type=float, default=2.0, help="messages per second (default 2)")
    parser.add_argument("--preload", type=int, default=3000, help="messages in the mailbox at start")
    parser.add_argument("--interval", default="1m", help="the daemon's tick (default 1m; IDLE does the pickup)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="outreach-soak-") as scratch, Dovecot() as server:
        tmp = Path(scratch)
        user, password = "soak@example.test", "soak-password-1"
        server.add_user(user, password)
        started = time.perf_counter()
        server.append("INBOX", [make_message(n, sender=FRIENDS[n % 40], to=user) for n in range(args.preload)],
                      user=user)  # fmt: skip
        server.append("Sent", [make_message(n, sender=ME, to=FRIENDS[n % 40]) for n in range(10**6, 10**6 + 300)],
                      user=user)  # fmt: skip
        print(f"preloaded {args.preload} + 300 messages in {time.perf_counter() - started:.1f}s")

        env = daemon_env(
            tmp,
            IMAP_HOST=server.host, IMAP_PORT=str(server.tls_port), IMAP_USER=user, IMAP_PASSWORD=password,
            IMAP_CA_FILE=str(server.cert), DAEMON_INTERVAL=args.interval, ME=user,
        )  # fmt: skip
        db = tmp / "outreach.db"
        total_preload = args.preload + 300
        with DaemonProcess(db, [], env, tmp / "daemon.log") as daemon:
            t0 = time.perf_counter()
            wait_for("the first sync", lambda: count(db) >= total_preload, timeout=600, every=0.1, log=daemon.stderr)
            first_sync = time.perf_counter() - t0
            time.sleep(2)  # let the relationship refresh and first draft review finish
            rss_first = rss_kib(daemon.pid)
            print(f"first sync: {total_preload} messages in {first_sync:.1f}s (process start included)")
            print(f"RSS after first sync: {rss_first / 1024:.1f} MiB")

            watcher = Watcher(db)
            watcher.start()
            appended: dict[str, float] = {}
            samples: list[int] = []
            period = 1.0 / args.rate
            deadline = time.monotonic() + args.duration
            next_sample = time.monotonic() + 30
            with server.session(user) as client:
                n = 0
                next_at = time.monotonic()
                while time.monotonic() < deadline:
                    n += 1
                    message_id = f"soak{n}@example.test"
                    data = make_message(2 * 10**6 + n, sender=FRIENDS[n % 40], to=user, message_id=f"<{message_id}>")
                    client.append("INBOX", data)
                    appended[message_id] = time.monotonic()
                    if time.monotonic() >= next_sample:
                        samples.append(rss_kib(daemon.pid))
                        next_sample += 30
                    next_at += period
                    time.sleep(max(0.0, next_at - time.monotonic()))
            wait_for("every streamed message", lambda: all(m in watcher.seen for m in appended), timeout=120,
                     every=0.1, log=daemon.stderr)  # fmt: skip
            watcher.stop.set()
            watcher.join()
            time.sleep(1)
            rss_end = rss_kib(daemon.pid)
            stop_started = time.perf_counter()
            code = daemon.stop(timeout=60)
            stop_seconds = time.perf_counter() - stop_started
            log = daemon.stderr()

    delays = sorted(watcher.seen[m] - t for m, t in appended.items() if m in watcher.seen)
    growth = (rss_end - rss_first) / rss_first * 100 if rss_first else 0.0
    median = statistics.median(delays)
    p90 = delays[int(0.9 * (len(delays) - 1))]
    print(f"streamed {len(appended)} messages over {args.duration:.0f}s at {args.rate}/s; picked up {len(delays)}")
    print(f"pickup delay (APPEND done -> row in store): median {median * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms,"
          f" worst {delays[-1] * 1000:.0f} ms")  # fmt: skip
    print(f"RSS: after first sync {rss_first / 1024:.1f} MiB, during "
          f"[{', '.join(f'{s / 1024:.1f}' for s in samples)}] MiB, end {rss_end / 1024:.1f} MiB ({growth:+.1f}%)")
    print(f"SIGTERM -> exit {code} in {stop_seconds:.2f}s; IDLE announcements logged: "
          f"{log.count('new mail announced (IDLE)')}; sync failures logged: {log.count('sync failed')}")
    ok_pickup, ok_memory = median < 2.0, abs(growth) <= 10.0
    print(f"targets: median pickup < 2 s: {'met' if ok_pickup else 'MISSED'};"
          f" end RSS within 10% of first-sync RSS: {'met' if ok_memory else 'MISSED'}")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    raise SystemExit(main())

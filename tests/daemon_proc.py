"""Running `outreach daemon` as a subprocess in tests and benchmarks, and watching its store."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ME = "alex@morgan.example"


def daemon_env(tmp: Path, **settings: str) -> dict[str, str]:
    """A clean environment: no .env, no user data directory, no digest unless asked."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    env.update(
        OUTREACH_ENV_FILE=os.devnull,
        OUTREACH_ME=ME,
        OUTREACH_DIGEST="off",
        OUTREACH_DAEMON_BACKOFF_MAX="4s",
        XDG_DATA_HOME=str(tmp / "xdg"),
        PYTHONUNBUFFERED="1",
    )
    env.update({f"OUTREACH_{k}": v for k, v in settings.items()})
    return env


class DaemonProcess:
    """`outreach daemon ARGS --db DB` with its stderr collected in a file."""

    def __init__(self, db: Path, args: list[str], env: dict[str, str], log: Path):
        self.db, self.log = db, log
        self._log_handle = open(log, "ab")  # noqa: SIM115 - closed in wait()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "outreach", "daemon", "--db", str(db), *args],
            env=env,
            cwd=db.parent,
            stdout=subprocess.DEVNULL,
            stderr=self._log_handle,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM and wait; the exit status (the test fails on a hang, with the log)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.wait(30)

    def wait(self, timeout: float = 30.0) -> int:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"daemon did not exit within {timeout}s; log:\n{self.stderr()[-3000:]}") from None
        finally:
            self._log_handle.close()
        return code

    def __enter__(self) -> DaemonProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._log_handle.close()


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Read the store the way a second process would (read-only); [] while it does not exist yet."""
    if not db.exists():
        return []
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    except sqlite3.OperationalError:
        return []
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:  # tables not created yet
        return []
    finally:
        conn.close()


def count(db: Path, table: str = "messages") -> int:
    rows = query(db, f"SELECT count(*) FROM {table}")
    return rows[0][0] if rows else 0


def wait_for(what: str, check: Callable[[], object], timeout: float = 60.0, every: float = 0.05, log=None):
    """Poll ``check`` until it returns something true; generous timeouts, never a timing assertion."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            tail = f"\nlog:\n{log()[-3000:]}" if log else ""
            raise AssertionError(f"timed out waiting for {what}{tail}")
        time.sleep(every)

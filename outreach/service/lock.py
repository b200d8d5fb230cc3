"""One daemon per store: an flock on its lock file in $XDG_STATE_HOME/outreach/locks.

The lock file holds the pid of its holder, so `outreach status` and a second daemon can say
who runs; kill -9 releases the flock with the process.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from outreach import paths
from outreach.errors import OutreachError, StoreError


class DaemonLocked(OutreachError):
    """Another daemon holds the store."""


@contextlib.contextmanager
def store_lock(db: Path) -> Iterator[None]:
    """Hold an exclusive flock on the lock of ``db`` for the life of the block; the pid is written in it."""
    path = paths.lock_path(Path(db).expanduser())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the daemon's lock file: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise DaemonLocked(
                f"{db}: another outreach daemon (pid {pid}) is already using this store; stop it first"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the flock; kill -9 releases it too


def lock_holder(db: Path) -> int | None:
    """The pid of the daemon holding ``db``, or None when no daemon runs on it."""
    path = paths.lock_path(Path(db).expanduser())
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 32, 0).decode(errors="replace").strip()
            return int(text) if text.isdigit() else -1
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)

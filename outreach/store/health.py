"""Is a store fit to open, and what a fault of SQLite or the disk means to the user.

``check`` runs when a store is opened: a store written by a newer outreach is
refused before anything is written to it, and ``PRAGMA quick_check`` (it reads
every page and skips the slower index cross-checks: about 0.35 s of CPU on a
100,000-message, 220 MB store) turns silent damage into a clear refusal.  The damage
it finds (overwritten pages, a truncated copy) happens to stores that were closed
cleanly, while a killed run is what WAL journaling already makes safe
(benchmarks/kill9.py).  So the pages are read again only when the file may have
changed since outreach last had it: a writable open that closes cleanly (its WAL
checkpointed and gone) writes the file's identity (device, inode, size, modification
and status-change times) beside it, in ``NAME-checked``; the next open that finds the
file exactly so, with no WAL, skips quick_check.  Anything that writes the file
(a copy over it, garbage, a restored backup, another program) changes its status-change
time, which no one can set back, so it is checked again.  Damage no program made (a
failing disk) is not looked for then; SQLite reports it where it reads it, and
``describe_fault`` names it the same way.  ``describe_fault`` gives the one line the CLI
prints for an SQLite error met later (a full disk, a dropped column).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from outreach.errors import StoreError

if TYPE_CHECKING:
    import sqlite3

    from outreach.store.db import Store

RESTORE_HINT = "restore it from a backup, or move it aside and run 'outreach sync' to rebuild it"


def writable(path: Path) -> bool:
    """Whether the store and its directory (WAL needs its -wal and -shm files there) can be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def readonly_uri(path: Path) -> str:
    """The URI to read a store that cannot be written.

    SQLite reads a WAL store read-only only if its -shm file exists or can be
    made; on a read-only mount after a clean close neither holds, and since no
    one can be writing there the file is opened as immutable.
    """
    shm = path.with_name(path.name + "-shm")
    if not shm.exists() and not os.access(path.parent, os.W_OK):
        return f"file:{path}?immutable=1"
    return f"file:{path}?mode=ro"


def stamp_path(path: Path) -> Path:
    """Where a clean close records the identity of the file it left (see the module doc)."""
    return path.with_name(path.name + "-checked")


def _identity(path: Path) -> str | None:
    """The file's identity as a line, or None while a WAL with frames is beside it (then not every
    page is in the file).  An empty WAL is what a reader leaves: a read-only open cannot remove it."""
    wal = path.with_name(path.name + "-wal")
    try:
        st = path.stat()
        if wal.exists() and wal.stat().st_size:
            return None
    except OSError:
        return None
    return f"{st.st_dev} {st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}\n"


def unchanged(path: Path) -> bool:
    """Whether the file is exactly as outreach's last clean close of it left it."""
    identity = _identity(path)
    try:
        return identity is not None and stamp_path(path).read_text(encoding="ascii") == identity
    except (OSError, ValueError):
        return False


def record_clean_close(path: Path) -> None:
    """After a writable store closed: record its identity, or remove a record that no longer holds."""
    stamp = stamp_path(path)
    identity = _identity(path)
    try:
        if identity is None:
            stamp.unlink(missing_ok=True)
            return
        scratch = stamp.with_name(stamp.name + ".tmp")
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(identity)
        os.replace(scratch, stamp)
    except OSError:
        pass  # no record: the next open reads every page, as it would anyway


def check(store: Store, known: int, *, unchanged_since_checked: bool = False) -> None:
    """Refuse a store from a newer outreach (schema above ``known``) or a damaged one.

    ``unchanged_since_checked``: ``unchanged(path)`` held before the store was opened (opening
    it makes a WAL), so its pages need not be read again.
    """
    conn = store.conn
    has_versions = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    version = store.schema_version if has_versions else 0
    if version > known:
        raise StoreError(
            f"{store.path}: written by a newer outreach (store schema {version}, this version knows up to"
            f" {known}); upgrade outreach to use it"
        )
    if unchanged_since_checked:
        return
    first = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    if first != "ok":
        lines = [line for line in first.splitlines() if not line.startswith("***")]  # "*** in database main ***"
        raise StoreError(f"{store.path}: the store is damaged ({(lines or [first])[0].strip()}); {RESTORE_HINT}")


def describe_fault(exc: sqlite3.Error) -> str:
    """One line for an SQLite error: what happened and what the user can do."""
    text = str(exc)
    lowered = text.lower()
    if "malformed" in lowered or "not a database" in lowered:
        return f"the store is damaged ({text}); {RESTORE_HINT}"
    if "disk is full" in lowered or "disk i/o error" in lowered:
        return f"cannot write the store ({text}); what was committed is safe: free some space and run again"
    if "readonly" in lowered or "read-only" in lowered:
        return f"the store is read-only ({text}); only commands that read can use it"
    if "locked" in lowered or "busy" in lowered:
        return f"the store is busy ({text}): another outreach process is writing it; try again shortly"
    if "no such column" in lowered or "no such table" in lowered or "has no column" in lowered:
        return f"the store does not have the tables this outreach expects ({text}); {RESTORE_HINT}"
    return f"store error: {text}"

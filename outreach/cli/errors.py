"""The one error path of every command: a fault the user can act on becomes one line and exit 2."""

from __future__ import annotations

import sys

from outreach.errors import OutreachError
from outreach.store.health import describe_fault


def error_line(exc: BaseException) -> str | None:
    """The one line to print for a fault the user can act on; None for a bug (let it show).

    OutreachError from any stage, and the SQLite and operating-system faults (a damaged
    store, a full disk, a read-only mount) that can surface from any command.
    """
    if isinstance(exc, OutreachError):
        return str(exc)
    # An SQLite fault comes only from a command that loaded sqlite3 to open a store; one that
    # never did (`outreach lint` of a text draft) cannot meet one, and need not load it here.
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is not None and isinstance(exc, sqlite3.Error):
        return describe_fault(exc)
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    if isinstance(exc, MemoryError):
        return "out of memory"
    return None

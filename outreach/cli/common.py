"""Options and output shared by every command: --db, --format, tables."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from outreach.store.db import Store


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="SQLite store (default: $OUTREACH_DB, else outreach.db in the user data directory)",
    )


def add_format_option(
    parser: argparse.ArgumentParser, choices: Sequence[str] = ("table", "json", "csv")
) -> None:
    parser.add_argument(
        "--format", choices=choices, default=choices[0], help="output format (default: %(default)s)"
    )


def open_store(args: argparse.Namespace, *, create: bool = True) -> Store:
    """Open the store named by --db / OUTREACH_DB / the default location.

    Commands that only read pass ``create=False``: they never make a store (or its
    directory), and they still work on a store they cannot write.
    """
    from outreach.config import default_db_path
    from outreach.store.db import Store

    return Store.open(args.db or default_db_path(), create=create)


def error_line(exc: BaseException) -> str | None:
    """The one line to print for a fault the user can act on; None for a bug (let it show).

    This is the one place where errors become exit status 2: OutreachError from
    any stage, and the SQLite and operating-system faults (a damaged store, a full
    disk, a read-only mount) that can surface from any command.
    """
    import sqlite3  # here: 25 ms to import, and only a failing command needs it

    from outreach.errors import OutreachError
    from outreach.store.health import describe_fault

    if isinstance(exc, OutreachError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):
        return describe_fault(exc)
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    if isinstance(exc, MemoryError):
        return "out of memory"
    return None


def emit(rows: Iterable[dict[str, object]], columns: Sequence[str], fmt: str, out: TextIO | None = None) -> None:
    """Print rows as an aligned table, a JSON array or CSV with a header."""
    # json and csv are imported here: every command imports this module, few print JSON or CSV.
    out = out or sys.stdout
    rows = list(rows)
    if fmt == "json":
        import json

        json.dump(
            [{c: r.get(c) for c in columns} for r in rows], out, indent=2, ensure_ascii=False, default=str
        )
        out.write("\n")
        return
    if fmt == "csv":
        import csv

        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    out.write("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip() + "\n")
    for row in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)

"""What many commands share: opening the store, reading --now, printing rows."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TextIO

from outreach.config import default_db_path
from outreach.errors import OutreachError
from outreach.store.db import Store


def open_store(args: argparse.Namespace, *, create: bool = True) -> Store:
    """Open the store named by --db / OUTREACH_DB / the default location.

    Commands that only read pass ``create=False``: they never make a store (or its
    directory), and they still work on a store they cannot write.
    """
    return Store.open(args.db or default_db_path(), create=create)


def parse_now(text: str | None) -> datetime | None:
    """--now value -> aware datetime (UTC when no offset is given), or None for the clock."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise OutreachError(f"--now {text!r}: expected an ISO date or time, e.g. 2026-11-16T12:00:00Z") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def emit(rows: Iterable[dict[str, object]], columns: Sequence[str], fmt: str, out: TextIO | None = None) -> None:
    """Print rows as an aligned table, a JSON array or CSV with a header."""
    out = out or sys.stdout
    rows = list(rows)
    if fmt == "json":
        json.dump(
            [{c: r.get(c) for c in columns} for r in rows], out, indent=2, ensure_ascii=False, default=str
        )
        out.write("\n")
        return
    if fmt == "csv":
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

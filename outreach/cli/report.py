"""`outreach report`: the network as one self-contained HTML page."""

from __future__ import annotations

import argparse
import webbrowser
from pathlib import Path

from outreach.cli.common import open_store, parse_now
from outreach.errors import OutreachError
from outreach.network import cache
from outreach.network.contacts import Now
from outreach.report.gather import gather
from outreach.report.page import render
from outreach.store.db import Store


def run_report(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:  # a report never makes a store
        cache.update(store)  # what was stored since is folded in first (a read-only store: as cached)
        path, size = write_report(store, Path(args.out), parse_now(args.now))
    print(f"wrote {path} ({size / 1024:,.0f} KB)")
    if args.open and not webbrowser.open(path.resolve().as_uri()):
        print(f"no web browser found: open {path} yourself")
    return 0


def write_report(store: Store, out: Path, now: Now = None) -> tuple[Path, int]:
    """Render the report of ``store`` into ``out``; returns the path and its size in bytes."""
    text = render(gather(store, now))
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutreachError(f"{out}: cannot write the report ({exc.strerror or exc})") from None
    return out, out.stat().st_size

"""`outreach report`: the network as one self-contained HTML page."""

from __future__ import annotations

import argparse
import webbrowser
from pathlib import Path

from outreach.cli.common import add_db_option, open_store
from outreach.cli.network import add_now_option, parse_now
from outreach.errors import OutreachError
from outreach.network import cache
from outreach.network.contacts import Now
from outreach.report.gather import gather
from outreach.report.page import render
from outreach.store.db import Store

DEFAULT_OUT = "outreach-report.html"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="write an HTML report of your network: who is going cold, favour balances, introductions",
        description="Write one self-contained HTML file (inline SVG and CSS, no script, nothing fetched when "
        "opened): the network at a glance with due dates, balance over time for your strongest ties with the "
        "evidence, who introduced whom with the thank-yous still owed, and this week's suggestions with their "
        "notes.",
    )
    p.add_argument("--out", metavar="FILE.html", default=DEFAULT_OUT, help="where to write it (default: %(default)s)")
    p.add_argument("--open", action="store_true", help="open it in your web browser afterwards")
    add_now_option(p)
    add_db_option(p)
    p.set_defaults(handler=run_report)


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

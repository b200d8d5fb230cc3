"""`outreach sync` (ingest a mailbox) and `outreach skipped` (what could not be read)."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

from outreach import config
from outreach.cli.common import emit, open_store
from outreach.cli.progress import Progress
from outreach.ingest import sync
from outreach.ingest.reanalyse import ReanalyseReport
from outreach.ingest.sources import chosen
from outreach.ingest.sync import Source, SyncReport
from outreach.network import cache
from outreach.store.db import Store


def sources_from_args(args: argparse.Namespace) -> list[Source]:
    return chosen(args.maildir, args.mbox, args.eml_dir, args.account)


def run_sync(args: argparse.Namespace) -> int:
    sources = sources_from_args(args)  # validate paths before creating a store
    with open_store(args) as store:
        reports = [sync_one(store, source, quiet=args.quiet) for source in sources]
    if not args.quiet:
        for report in reports:
            print_report(report)
    return 0


def sync_one(store: Store, source: Source, quiet: bool = False) -> SyncReport:
    progress = Progress() if not quiet else None

    def show(report: SyncReport) -> None:
        progress.update(f"{source.name}: {report.read} read, {report.new} new, {report.unreadable} unreadable")

    def show_reanalysis(done: ReanalyseReport) -> None:
        progress.update(f"the act detector changed: re-analysing stored mail, {done.read:,} of {done.total:,}")

    report = sync.run(
        store,
        source,
        me=config.my_addresses(),
        store_bodies=config.store_bodies(),
        progress=show if progress else None,
        reanalysing=show_reanalysis if progress else None,
    )
    if progress:
        progress.done()
    _refresh_relationships(store, report)
    store.daemon_sync_ok(source.name, (), report.new, int(time.time()))  # for `outreach status`
    return report


def _refresh_relationships(store: Store, report: SyncReport) -> None:
    if report.new:
        cache.refresh(store, report.touched)
    else:  # nothing new, but a run killed after its last commit may have left the cache behind
        cache.update(store)


def print_report(report: SyncReport, out: TextIO | None = None) -> None:
    out = out or sys.stdout  # looked up now: a default bound at import outlives a replaced stdout
    rate = report.read / report.seconds if report.seconds > 0 else 0.0
    print(f"{report.source}", file=out)
    if report.reanalysed is not None:  # done first, because the act detector had changed
        print(f"  the act detector changed: {report.reanalysed.summary()}", file=out)
    print(
        f"  new {report.new}  already stored {report.duplicates}  automated {report.automated}"
        f"  unreadable {report.unreadable}  ({report.read} read in {report.seconds:.2f}s, {rate:,.0f}/s)",
        file=out,
    )
    for item, reason in report.problems[:5]:
        print(f"  skipped {item}: {reason}", file=out)
    if report.unreadable > 5:
        print(f"  ... {report.unreadable - 5} more; see 'outreach skipped'", file=out)
    if report.ignored:
        more = len(report.ignored) - 5
        shown = ", ".join(report.ignored[:5]) + (f" and {more} more" if more > 0 else "")
        print(f"  ignored {len(report.ignored)} files that are not mail: {shown}", file=out)
    if report.identity:
        print(f"  you are: {', '.join(report.identity)} ({report.identity_origin})", file=out)
    else:
        print("  you are: unknown - set OUTREACH_ME to your address(es) so sent mail is recognised", file=out)


def run_skipped(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        rows = [{"source": s, "item": i, "reason": r} for s, i, r in store.skipped_items()]
    emit(rows, ("source", "item", "reason"), args.format)
    return 0

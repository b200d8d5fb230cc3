"""`outreach reanalyse`: find the acts of the stored mail again with today's act detector."""

from __future__ import annotations

import argparse
import sys

from outreach.cli.common import open_store
from outreach.cli.progress import Progress
from outreach.errors import OutreachError, StoreError
from outreach.ingest import reanalyse
from outreach.network import cache


def run_reanalyse(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        if not store.writable():
            raise StoreError(f"{store.path}: the store is read-only: its acts cannot be replaced")
        with_body, without_body = store.personal_bodies()
        if without_body and not with_body:
            raise OutreachError(
                f"cannot re-analyse: none of the {without_body} personal messages has a stored body"
                " (metadata-only mode, OUTREACH_STORE_BODIES=0); they keep the acts found when they were synced"
            )
        progress = None if args.quiet else Progress()

        def show(report: reanalyse.ReanalyseReport) -> None:
            progress.update(f"re-analysing acts: {report.read:,} of {report.total:,} messages")

        report = reanalyse.run(store, progress=show if progress else None)
        if progress:
            progress.done()
        cache.update(store)  # marked stale when acts changed: rebuilt once, here
    if not args.quiet:
        print(report.summary())
    if report.without_body:
        print(
            f"outreach: {report.without_body} messages have no stored body (metadata-only mode) and keep"
            " the acts found when they were synced",
            file=sys.stderr,
        )
        return 1
    return 0

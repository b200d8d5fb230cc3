"""`outreach daemon`: keep running: sync, review drafts, weekly digest."""

from __future__ import annotations

import argparse
import logging
import sys
from functools import partial
from pathlib import Path

from outreach import accounts, config
from outreach.ingest.sources.imap import ImapSource
from outreach.ingest.sources.local import EmlDirSource, MaildirSource, MboxSource
from outreach.service.daemon import Aborted, Daemon
from outreach.service.digest import DigestSender
from outreach.service.jobs import Job, Settings
from outreach.service.lock import store_lock
from outreach.service.review import DraftReviewer
from outreach.store.db import Store


def _logging(verbose: bool) -> None:
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )
    logging.getLogger("imapclient").setLevel(logging.WARNING)  # its debug log shows protocol traffic


def _jobs(args: argparse.Namespace) -> list[Job]:
    jobs = []
    for cls, paths in ((MaildirSource, args.maildir), (MboxSource, args.mbox), (EmlDirSource, args.eml_dir)):
        for path in paths:
            source = cls(path)  # fails now, with a clear message, on a missing path
            jobs.append(Job(partial(cls, path), source.name, source=source))
    if jobs:
        return jobs
    names = args.account or accounts.imap_account_names()
    if not names:
        accounts.imap_account(None)  # raises the "no IMAP account configured" explanation
    for name in names:
        account = accounts.imap_account(name)
        # One quick reconnect inside a sync; longer outages are the daemon's backoff, which watches for SIGTERM.
        make = partial(ImapSource, account, retries=1, backoff=0.5)
        jobs.append(Job(make, make().name, account=account, reuse=True))
    return jobs


def run_daemon(args: argparse.Namespace) -> int:
    _logging(args.verbose)
    interval = config.parse_duration(args.interval, "DAEMON_INTERVAL") if args.interval else None
    settings = Settings.from_config(interval=interval, idle=False if args.no_idle else None)
    jobs = _jobs(args)
    digest = DigestSender.from_config()
    db = Path(args.db).expanduser() if args.db else config.default_db_path()
    with store_lock(db), Store.open(db) as store:
        daemon = Daemon(store, jobs, settings, drafts=DraftReviewer(keyword=settings.draft_keyword), digest=digest)
        daemon.install_signal_handlers()
        try:
            return daemon.run(once=args.once)
        except Aborted as exc:
            print(f"outreach: daemon aborted by a second {exc}", file=sys.stderr)
            return 130

"""`outreach daemon` (keep running: sync, review drafts, weekly digest) and `outreach status`."""

from __future__ import annotations

import argparse
import sys

from outreach import accounts
from outreach.cli.common import add_db_option, add_format_option


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "daemon",
        help="keep running: sync new mail, lint drafts, weekly digest (logs to stderr)",
        description="Run in the foreground until SIGTERM/SIGINT. Every interval it syncs the configured IMAP "
        "account(s) - or the local mailboxes given here - refreshes contacts, lints new or changed drafts, and "
        "sends the weekly digest to you. With IMAP IDLE, new INBOX mail is read within seconds. "
        "Nothing is sent, deleted, moved or marked read.",
    )
    p.add_argument("--maildir", action="append", default=[], metavar="PATH", help="a Maildir instead of IMAP")
    p.add_argument("--mbox", action="append", default=[], metavar="PATH", help="an mbox file instead of IMAP")
    p.add_argument("--eml-dir", action="append", default=[], metavar="PATH", help="a folder of .eml files")
    p.add_argument("--account", action="append", default=[], metavar="NAME",
                   help="serve only this IMAP account (repeatable; default: all of OUTREACH_ACCOUNTS)")
    p.add_argument("--interval", metavar="DURATION",
                   help="time between syncs, e.g. 30s, 15m (OUTREACH_DAEMON_INTERVAL)")
    p.add_argument("--no-idle", action="store_true", help="do not use IMAP IDLE; wait for the next interval")
    p.add_argument("--once", action="store_true", help="run one round (sync, drafts, digest) and exit: for cron")
    p.add_argument("--verbose", "-v", action="store_true", help="log every round, not only news")
    add_db_option(p)
    p.set_defaults(handler=run_daemon)

    p = sub.add_parser(
        "status",
        help="what the daemon did last: syncs, errors, drafts with findings, next digest",
        description="Show the last successful sync per source and folder, messages and contacts known, the "
        "last error, drafts with lint findings and when the next weekly digest is due.",
    )
    add_db_option(p)
    add_format_option(p, ("table", "json"))
    p.set_defaults(handler=run_status)


def _logging(verbose: bool) -> None:
    import logging

    logging.basicConfig(
        stream=sys.stderr,
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )
    logging.getLogger("imapclient").setLevel(logging.WARNING)  # its debug log shows protocol traffic


def _jobs(args: argparse.Namespace) -> list:
    from functools import partial

    from outreach.ingest.sources.local import EmlDirSource, MaildirSource, MboxSource
    from outreach.service.daemon import Job

    jobs = []
    for cls, paths in ((MaildirSource, args.maildir), (MboxSource, args.mbox), (EmlDirSource, args.eml_dir)):
        for path in paths:
            source = cls(path)  # fails now, with a clear message, on a missing path
            jobs.append(Job(partial(cls, path), source.name, source=source))
    if jobs:
        return jobs
    from outreach.ingest.sources.imap import ImapSource

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
    from pathlib import Path

    from outreach import config
    from outreach.service.daemon import Daemon, Settings, store_lock
    from outreach.service.digest import DigestSender
    from outreach.service.review import DraftReviewer
    from outreach.store.db import Store

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
        except BaseException as exc:
            from outreach.service.daemon import Aborted

            if isinstance(exc, Aborted):
                print(f"outreach: daemon aborted by a second {exc}", file=sys.stderr)
                return 130
            raise


def run_status(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from outreach import config
    from outreach.service.status import collect, render

    db = Path(args.db).expanduser() if args.db else config.default_db_path()
    status = collect(db)
    if args.format == "json":
        json.dump(status, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(status))
    return 0

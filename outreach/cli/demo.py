"""`outreach demo`: a newcomer's first five minutes, on the bundled sample mailbox."""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import datetime
from pathlib import Path

from outreach import resources
from outreach.cli import main
from outreach.cli.network import print_contacts
from outreach.cli.sync import print_report
from outreach.ingest.sources.local import MaildirSource
from outreach.ingest.sync import run
from outreach.network import cache, contacts
from outreach.store.db import Store

SAMPLE_ME = "alex@morgan.example"
SAMPLE_NOW = "2026-11-16T12:00:00+00:00"  # the sample mailbox's "today"


def run_demo(args: argparse.Namespace) -> int:
    now = datetime.fromisoformat(SAMPLE_NOW)
    # The demo plays Alex, whatever the user's own settings say (this process only).
    os.environ.update(OUTREACH_ME=SAMPLE_ME, OUTREACH_NAME="Alex Morgan", OUTREACH_FROM=SAMPLE_ME)
    with tempfile.TemporaryDirectory(prefix="outreach-demo-") as scratch:
        db = Path(args.db) if args.db else Path(scratch) / "demo.db"
        with Store.open(db) as store:
            _heading("1. Sync the sample mailbox (Alex Morgan, two years of mail)")
            report = run(store, MaildirSource(resources.sample_maildir()), me=[SAMPLE_ME])
            print_report(report)
            _show_network(store, now)
        # The next steps run the real commands on the demo store, as a user would.
        drafts = sorted(str(p) for p in resources.sample_drafts().glob("*.eml"))
        _heading("3. Lint drafts before sending (outreach lint examples/drafts/*.eml)")
        print("Drafts 01-03 ask too much, presume or complain; 04-06 give first and ask small.\n")
        # A step that fails (e.g. a broken ./.env) has printed its one-line error: stop there.
        if status := main(["lint", "--db", str(db), "--exit-zero", *drafts]):
            return status
        _heading("4. This week's give-first suggestions (outreach suggest)")
        if status := main(["suggest", "--db", str(db), "--now", SAMPLE_NOW]):
            return status
        out = Path(args.out) if args.out else Path(tempfile.gettempdir()) / "outreach-demo-report.html"
        _heading(f"5. The picture (outreach report --out {out})")
        if status := main(["report", "--db", str(db), "--now", SAMPLE_NOW, "--out", str(out)]):
            return status
        print(f"Open it in a web browser: {out.resolve().as_uri()}")
        print()
        print("Try it on your own mail: outreach sync --maildir ~/Maildir   (or configure IMAP, see README)")
    return 0


def _show_network(store: Store, now: datetime) -> None:
    cache.update(store)
    everyone = contacts.contacts(store, now)
    _heading(f"2. Who Alex really knows: {len(everyone)} people (newsletters and no-reply mail left out)")
    print("Strongest ties (recent, frequent, two-way mail counts most):")
    print_contacts(sorted(everyone, key=lambda c: -c.strength)[:5])
    cold = sorted((c for c in everyone if c.cold), key=lambda c: -c.strength)[:5]
    print()
    print("Going cold (well past their usual rhythm), strongest first:")
    print_contacts(cold)
    print()
    print("Details and the favour ledger of one person: outreach show ADDRESS")


def _heading(text: str) -> None:
    print()
    print(text)
    print("-" * len(text))

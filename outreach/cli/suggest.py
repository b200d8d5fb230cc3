"""outreach suggest: this week's give-first suggestions, with a draft for each.

Printing is the default; --out writes .eml files and --to-drafts appends to the
IMAP Drafts folder, both idempotent (the same suggestion keeps its Message-ID).
Nothing is ever sent from here.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from email.message import EmailMessage

from outreach import config
from outreach.cli.common import open_store, parse_now
from outreach.cli.merge import known_contact
from outreach.deliver import build_message, save_draft, write_eml
from outreach.errors import OutreachError
from outreach.model import Address
from outreach.network import cache
from outreach.network.ties import parse_duration
from outreach.notes import suggest
from outreach.notes.suggest import Suggestion
from outreach.store.db import Store


def suggest_command(args: argparse.Namespace) -> int:
    now = parse_now(args.now)
    with open_store(args, create=False) as store:
        if args.dismiss or args.snooze or args.restore:
            return _mute(args, store, now)
        return _show(args, store, now)


def _mute(args: argparse.Namespace, store: Store, now: datetime | None) -> int:
    for target, option in ((args.dismiss, "--dismiss"), (args.snooze and args.snooze[0], "--snooze")):
        if target:
            known_contact(store, target, option)  # a typo must not silently mute nobody
    if args.dismiss:
        address = suggest.dismiss(store, args.dismiss, now)
        print(f"dismissed {address}: not suggested again until you are in touch again")
    elif args.snooze:
        target, text = args.snooze
        try:
            days = parse_duration(text)
        except ValueError as exc:
            raise OutreachError(f"--snooze: {exc}") from None
        address, until = suggest.snooze(store, target, days, now)
        print(f"snoozed {address} until {until:%Y-%m-%d}")
    else:
        address = args.restore.strip().lower()
        if suggest.restore(store, address):
            print(f"restored {address}: it may be suggested again")
        else:
            print(f"{address} was neither dismissed nor snoozed")
    return 0


def _show(args: argparse.Namespace, store: Store, now: datetime | None) -> int:
    cache.update(store)  # suggestions read the contacts as cached
    budget = config.suggest_budget()
    if args.limit is not None:
        budget = min(budget, args.limit)
    found = suggest.weekly(store, now, budget)
    saving = bool(args.out or args.to_drafts)
    # JSON shows each draft's Message-ID, which needs a From; only saving a draft requires one
    messages = _messages(found) if saving or (args.format == "json" and config.from_address()) else {}
    if args.format == "json":
        rows = [{**s.as_dict(), "message_id": messages[s.key]["Message-ID"] if s.key in messages else None}
                for s in found]
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_text(found)
    if args.out:
        _write_files(found, messages, args.out)
    if args.to_drafts:
        _append_drafts(args, store, found, messages)
    return 0


def _print_text(found: list[Suggestion]) -> None:
    if not found:
        print("No one to suggest this week: no referrer owed thanks, no tie going cold that you were not "
              "recently in touch with. (Dismissed and snoozed contacts are left out.)")
        return
    rule = "-" * 72
    for n, s in enumerate(found, 1):
        who = f"{s.name} <{s.address}>" if s.name else s.address
        print(f"{n}. {who}  [{s.template}, score {s.score:.2f}]")
        print(f"   {s.reason}")
        if s.draft is None:
            print(f"   (no draft: {s.error})")
            continue
        print(rule)
        print(f"Subject: {s.draft.subject}\n")
        print(s.draft.body.rstrip("\n"))
        print(rule)
    print("To keep them: --out DIR (.eml files) or --to-drafts (your Drafts folder). "
          "Not now: --dismiss ADDRESS, --snooze ADDRESS 30d.")


def _messages(found: list[Suggestion]) -> dict[str, EmailMessage]:
    """key -> the RFC 5322 message of each rendered suggestion, From the user."""
    sender = config.from_address()
    if sender is None:
        raise OutreachError("set OUTREACH_FROM (or OUTREACH_ME) to save drafts: it is their From address")
    me = Address(sender, config.user_name())
    return {s.key: build_message(s.draft, me, key=s.key) for s in found if s.draft is not None}


def _write_files(found: list[Suggestion], messages: dict[str, EmailMessage], directory: str) -> None:
    for s in found:
        if s.key not in messages:
            continue
        path, written = write_eml(messages[s.key], directory, f"{s.template}-{s.address.partition('@')[0]}")
        print(f"wrote {path}" if written else f"kept {path}: already there")


def _append_drafts(
    args: argparse.Namespace, store: Store, found: list[Suggestion], messages: dict[str, EmailMessage]
) -> None:
    for s in found:
        if s.key not in messages:
            continue
        result = save_draft(messages[s.key], store, s.template, args.account)
        if result.appended:
            print(f"appended to {result.target}: {s.draft.subject}")
        else:
            print(f"not appended to {result.target}: {result.why} ({s.draft.subject})")

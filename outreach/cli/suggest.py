"""outreach suggest: this week's give-first suggestions, with a draft for each.

Printing is the default; --out writes .eml files and --to-drafts appends to the
IMAP Drafts folder, both idempotent (the same suggestion keeps its Message-ID).
Nothing is ever sent from here.
"""

from __future__ import annotations

import argparse
import sys

from outreach.cli.common import add_db_option, add_format_option


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "suggest",
        help="who to reach out to this week, why, and a give-first draft for each",
        description="Rank contacts to reach out to this week (referrers owed thanks, ties going cold, people "
        "you owe) and render a note for each. Asking again in the same week shows the same people; "
        "OUTREACH_SUGGEST_BUDGET (default 5) caps how many are suggested per week.",
    )
    p.add_argument("--limit", type=_positive, metavar="N", help="at most N suggestions (default: the weekly budget)")
    add_format_option(p, ("text", "json"))
    p.add_argument("--now", metavar="ISO", help="pretend it is this time, e.g. 2026-11-16T12:00:00Z")
    p.add_argument("--out", metavar="DIR", help="also write each draft as an .eml file into DIR (never overwrites)")
    p.add_argument("--to-drafts", action="store_true",
                   help="also put each draft in the IMAP Drafts folder (once: never appended twice)")
    p.add_argument("--account", metavar="NAME", help="IMAP account for --to-drafts (default: the only one)")
    mute = p.add_mutually_exclusive_group()
    mute.add_argument("--dismiss", metavar="ADDRESS",
                      help="stop suggesting this contact until you are in touch with them again")
    mute.add_argument("--snooze", nargs=2, metavar=("ADDRESS", "DURATION"),
                      help="stop suggesting this contact for a while, e.g. --snooze sam@example.org 30d")
    mute.add_argument("--restore", metavar="ADDRESS", help="undo a --dismiss or --snooze")
    add_db_option(p)
    p.set_defaults(handler=suggest_command)


def suggest_command(args: argparse.Namespace) -> int:
    from outreach.cli.common import open_store

    now = _parse_now(args.now)
    with open_store(args, create=False) as store:
        if args.dismiss or args.snooze or args.restore:
            return _mute(args, store, now)
        return _show(args, store, now)


def _mute(args: argparse.Namespace, store, now) -> int:
    from outreach.cli.merge import known_contact
    from outreach.errors import OutreachError
    from outreach.network.ties import parse_duration
    from outreach.notes import suggest

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


def _show(args: argparse.Namespace, store, now) -> int:
    import json

    from outreach import config
    from outreach.network import cache
    from outreach.notes import suggest

    cache.update(store)  # suggestions read the contacts as cached
    budget = config.suggest_budget()
    if args.limit is not None:
        budget = min(budget, args.limit)
    found = suggest.weekly(store, now, budget)
    messages = _messages(found) if (args.out or args.to_drafts or args.format == "json") else {}
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


def _print_text(found) -> None:
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


def _messages(found) -> dict:
    """key -> the RFC 5322 message of each rendered suggestion, From the user."""
    from outreach import config
    from outreach.deliver import build_message
    from outreach.errors import OutreachError
    from outreach.model import Address

    sender = config.from_address()
    if sender is None:
        raise OutreachError("set OUTREACH_FROM (or OUTREACH_ME) to save drafts: it is their From address")
    me = Address(sender, config.user_name())
    return {s.key: build_message(s.draft, me, key=s.key) for s in found if s.draft is not None}


def _write_files(found, messages, directory) -> None:
    from outreach.deliver import write_eml

    for s in found:
        if s.key not in messages:
            continue
        path, written = write_eml(messages[s.key], directory, f"{s.template}-{s.address.partition('@')[0]}")
        print(f"wrote {path}" if written else f"kept {path}: already there")


def _append_drafts(args, store, found, messages) -> None:
    from outreach.deliver import save_draft

    for s in found:
        if s.key not in messages:
            continue
        result = save_draft(messages[s.key], store, s.template, args.account)
        if result.appended:
            print(f"appended to {result.target}: {s.draft.subject}")
        else:
            print(f"not appended to {result.target}: {result.why} ({s.draft.subject})")


def _parse_now(text: str | None):
    from datetime import UTC, datetime

    from outreach.errors import OutreachError

    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise OutreachError(f"--now {text!r}: expected an ISO time such as 2026-11-16T12:00:00Z") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number of at least 1")
    return value

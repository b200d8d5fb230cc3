"""`outreach contacts`, `show`, `tag`, `cadence`: the user's network as the store sees it."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from outreach.cli.common import emit, open_store, parse_now
from outreach.cli.merge import known_contact
from outreach.errors import OutreachError
from outreach.network import cache, contacts, edits
from outreach.network.contacts import ContactDetail, ContactSummary, Referral
from outreach.network.duplicates import likely_aliases
from outreach.network.ties import parse_duration
from outreach.report.standing import Standing, due_on, standing

SORTS = {
    "strength": lambda c: (-c.strength_norm, c.address),
    "last": lambda c: (-(c.last.timestamp() if c.last else float("-inf")), c.address),
    "balance": lambda c: (c.balance, -c.strength_norm, c.address),  # the most owed first
}
TABLE_COLUMNS = (
    "name", "address", "strength", "last", "days", "cadence", "due", "state", "balance", "referrer", "tags",
)  # fmt: skip
DATA_COLUMNS = (
    "address", "name", "tags", "strength", "strength_raw", "sent", "received", "replies", "last", "days_since",
    "cadence", "cadence_source", "due", "state", "cold", "balance", "owed", "referrer", "unthanked", "last_subject",
)  # fmt: skip
# Row colours on a terminal: red for cold, yellow for due (past the usual gap, not cold yet).
COLOURS = {Standing.COLD: "\033[31m", Standing.DUE: "\033[33m"}
RESET = "\033[0m"


# -- contacts -----------------------------------------------------------------------


def run_contacts(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        cache.update(store)
        found = contacts.contacts(store, parse_now(args.now))
    if args.duplicates:
        pairs = [{"address": p.first, "other": p.second, "why": p.why} for p in likely_aliases(found)]
        emit(pairs, ("address", "other", "why"), args.format)
        return 0
    if args.cold:
        found = [c for c in found if c.cold]
    if args.owed:
        found = [c for c in found if c.owed]
    if args.tag:
        found = [c for c in found if args.tag.strip().lower() in c.tags]
    found.sort(key=SORTS[args.sort])
    if args.limit is not None:
        found = found[: args.limit]  # at least 1: commands.positive
    print_contacts(found, args.format)
    return 0


def print_contacts(found: list[ContactSummary], fmt: str = "table", out: TextIO | None = None) -> None:
    """Contacts as a table, JSON or CSV (also used by `outreach demo`); cold and due rows coloured on a terminal."""
    out = out or sys.stdout
    if fmt != "table":
        emit([_data_row(c) for c in found], DATA_COLUMNS, fmt, out)
        return
    rows = [_table_row(c) for c in found]
    if not use_colour(out):
        emit(rows, TABLE_COLUMNS, fmt, out)
        return
    table = io.StringIO()
    emit(rows, TABLE_COLUMNS, fmt, table)
    header, *lines = table.getvalue().splitlines()
    out.write(header + "\n")
    for c, line in zip(found, lines, strict=True):
        colour = COLOURS.get(standing(c))
        out.write(f"{colour}{line}{RESET}\n" if colour else line + "\n")


def use_colour(out: TextIO) -> bool:
    """Colour only on a terminal, and not when NO_COLOR is set to something (an empty NO_COLOR counts as unset)."""
    return bool(getattr(out, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


def _data_row(c: ContactSummary) -> dict[str, Any]:
    due = due_on(c)
    return {**c.as_row(), "due": due.isoformat() if due else None, "state": standing(c).value}


def _table_row(c: ContactSummary) -> dict[str, Any]:
    return {
        "name": c.name or "-",
        "address": c.address,
        "strength": f"{c.strength_norm:.2f}",
        "last": _date(c.last),
        "days": None if c.days_since is None else f"{c.days_since:.0f}",
        "cadence": f"{c.cadence_days:.0f}d" + ("*" if c.cadence_source not in ("learned", "default") else ""),
        "due": _due(c),
        "state": "" if standing(c) is Standing.FINE else standing(c).value,
        "balance": f"{c.balance:+.1f}" if c.balance else "0",
        "referrer": ", ".join(r.referrer_name or r.referrer for r in c.referrers) or "",
        "tags": ",".join(c.tags),
    }


def _due(c: ContactSummary) -> str:
    due = due_on(c)
    return f"{due:%Y-%m-%d}" if due else "-"


# -- show -----------------------------------------------------------------------------


def run_show(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        cache.update(store)
        detail = contacts.contact_detail(store, args.address, parse_now(args.now))
    if detail is None:
        raise OutreachError(f"{args.address}: not a contact (no personal mail with this address)")
    if args.format == "json":
        json.dump(detail_json(detail), sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        print_detail(detail)
    return 0


def detail_json(detail: ContactDetail) -> dict[str, Any]:
    c = detail.summary
    return {
        **c.as_row(),
        "aliases": detail.aliases,
        "first": _iso(c.first),
        "cold_after_days": c.cold_after_days,
        "given": c.given,
        "favours_received": c.favours_received,
        "asks_since_give": c.asks_since_give,
        "referred_by": [_referral_json(r) for r in c.referrers],
        "referrals": [_referral_json(r) for r in c.referrals],
        "ledger": [
            {
                "date": _iso_ts(e.date),
                "direction": e.direction,
                "kind": e.act.kind,
                "subtype": e.act.subtype,
                "amount": e.act.amount,
                "minutes": e.act.minutes,
                "person": e.act.person,
                "weight": e.weight,
                "effect": e.effect,
                "sentence": e.act.sentence,
                "subject": e.subject,
            }
            for e in detail.ledger
        ],
    }


def _referral_json(r: Referral) -> dict[str, Any]:
    return {
        "referrer": r.referrer,
        "referrer_name": r.referrer_name,
        "person": r.person,
        "person_name": r.person_name,
        "date": _iso(r.date),
        "subject": r.subject,
        "sentence": r.sentence,
        "thanked": r.thanked,
        "met": _iso(r.met),
        "updated": r.updated,
        "owed": r.owed,
    }


def print_detail(detail: ContactDetail, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    c = detail.summary
    w = out.write
    w(f"{c.name} <{c.address}>\n" if c.name else f"{c.address}\n")
    if detail.aliases:
        w(f"  also: {', '.join(detail.aliases)}\n")
    if c.tags:
        w(f"  tags: {', '.join(c.tags)}\n")
    w(f"  strength   {c.strength_norm:.2f} of your strongest tie (raw {c.strength:.3f});"
      f" you wrote {c.sent}, they wrote {c.received}, replies {c.replies}\n")  # fmt: skip
    if c.last:
        state = "COLD" if c.cold else "warm"
        w(f"  last       {_date(c.last)} ({c.days_since:.0f} days ago): {c.last_subject or '(no subject)'}\n")
        w(f"  cadence    every {c.cadence_days:.0f} days ({c.cadence_source}); cold after "
          f"{c.cold_after_days:.0f} days: {state}\n")  # fmt: skip
    else:
        w("  last       never written to or heard from directly\n")
    verdict = "you owe them" if c.owed else ("they owe you" if c.balance > 0 else "even")
    w(f"  balance    {c.balance:+.1f} ({verdict}); you gave {c.given}, they gave {c.favours_received},"
      f" your asks since you last gave: {c.asks_since_give}\n")  # fmt: skip
    for r in c.referrers:
        w(f"  introduced to you by {_who(r.referrer_name, r.referrer)} on {_date(r.date)}: \"{r.sentence}\"\n")
    if c.referrals:
        w("  introduced you to:\n")
        for r in c.referrals:
            owed = {"thanks": "thank them", "update": "tell them how it went"}.get(r.owed or "", "done")
            w(f"    {_date(r.date)}  {_who(r.person_name, r.person)}  -> {owed}\n")
    w("\nLedger (+ you gave, - you asked or received)\n" if detail.ledger else "\nNo favours on record.\n")
    for e in detail.ledger:
        act = e.act
        size = f" ${act.amount:,.0f}" if act.amount else (f" {act.minutes} min" if act.minutes else "")
        label = f"{act.kind}{'/' + act.subtype if act.subtype else ''}{size}"
        arrow = "you ->" if e.direction == "sent" else "-> you"
        w(f"  {_date_ts(e.date)}  {arrow}  {label:<22} {e.weight:+5.1f}  {e.effect}\n")
        w(f"              \"{act.sentence}\"  [{e.subject}]\n")


# -- edits -----------------------------------------------------------------------------


def run_tag(args: argparse.Namespace) -> int:
    if not args.tag.strip():
        raise OutreachError("tag: the tag name is empty")
    with open_store(args, create=False) as store:
        if args.remove:
            if not edits.untag(store, args.address, args.tag):
                raise OutreachError(f"{args.address}: has no tag {args.tag!r}")
            print(f"removed tag {args.tag.strip().lower()} from {args.address}")
        else:
            known_contact(store, args.address, "tag")
            edits.tag(store, args.address, args.tag)
            print(f"tagged {args.address} {args.tag.strip().lower()}")
    return 0


def run_cadence(args: argparse.Namespace) -> int:
    if args.target.strip().lower() in ("tag:", ""):
        raise OutreachError("cadence: name a contact address or tag:NAME")
    days = None
    if args.every.strip().lower() not in ("off", "none", "clear"):
        try:
            days = parse_duration(args.every)
        except ValueError as exc:
            raise OutreachError(f"cadence: {exc}") from None
    with open_store(args, create=False) as store:
        if days is not None and not args.target.strip().lower().startswith("tag:"):
            known_contact(store, args.target, "cadence")  # a typo must not set the cadence of nobody
        target = edits.set_cadence(store, args.target, days)
    print(f"{target}: cadence {'override removed' if days is None else f'every {days:g} days'}")
    return 0


# -- formatting ----------------------------------------------------------------------


def _who(name: str, address: str | None) -> str:
    if name and address:
        return f"{name} <{address}>"
    return name or address or "?"


def _date(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d") if value else "-"


def _date_ts(value: int | None) -> str:
    return _date(datetime.fromtimestamp(value, tz=UTC)) if value is not None else "????-??-??"


def _iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _iso_ts(value: int | None) -> str | None:
    return _iso(datetime.fromtimestamp(value, tz=UTC)) if value is not None else None

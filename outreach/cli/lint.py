"""`outreach lint FILE...|-`: pre-send lint of drafts."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from outreach.config import default_db_path
from outreach.errors import OutreachError
from outreach.lint import engine, source
from outreach.lint.report import format_json, format_text
from outreach.recipient import parse_recipient

if TYPE_CHECKING:
    from outreach.model import RecipientContext


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def run_lint(args: argparse.Namespace) -> int:
    rules = engine.load_rules()
    select, ignore = _split(args.select), _split(args.ignore)
    for selector in select + ignore:
        if not any(rule.matches(selector) for rule in rules):
            raise OutreachError(f"--select/--ignore: {selector!r} matches no rule code, category or slug")
    to = parse_recipient(args.to).address if args.to is not None else None  # before any draft is read
    active = engine.selected(rules, select, ignore)
    lookup = _context_lookup(args)
    reports = []
    unread = False
    for path in args.files:
        draft_input = source.read(path)
        for why in draft_input.unread:  # text the rules never saw: say so, never report it clean
            print(f"{draft_input.path}: warning: not linted: {why}", file=sys.stderr)
            unread = True
        reports.extend(source.check(draft_input, active, lookup, to))
    if args.format == "json":
        sys.stdout.write(format_json(reports))
    else:
        sys.stdout.write(format_text(reports, color=_color()))
    failing = any(r.failing(args.fail_on) for r in reports) or (unread and args.fail_on != "error")
    return 0 if args.exit_zero or not failing else 1


def _context_lookup(args: argparse.Namespace) -> Callable[[str], RecipientContext | None]:
    """A function address -> RecipientContext | None; warns once if the store cannot be read."""
    if args.no_context:
        return lambda address: None
    return source.store_context(args.db or default_db_path(),
                                lambda message: print(f"outreach: warning: {message}", file=sys.stderr))


def _color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")  # set but empty counts as unset (no-color.org)

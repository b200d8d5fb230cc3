"""`outreach lint FILE...|-` (pre-send lint of drafts) and `outreach rules [explain CODE]`."""

from __future__ import annotations

import argparse
import sys

LEVELS = ("info", "warning", "error")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lint",
        help="check drafts before sending: asks that are too big, presumptuous, one-sided or unclear",
        description="Lint drafts (.eml or plain text; '-' reads standard input). With a store, rules also "
        "use what outreach knows about the recipient (the To header, or --to). Exit status: 0 clean, "
        "1 findings at or above --fail-on, 2 usage or input error.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="draft files (.eml or text), or - for standard input")
    p.add_argument("--to", metavar="ADDRESS", help="recipient, for plain-text drafts (overrides To in .eml)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--select", action="append", default=[], metavar="CODES",
                   help="only these rules: code prefixes (OUT1, OUT302), categories or slugs; comma-separated")
    p.add_argument("--ignore", action="append", default=[], metavar="CODES",
                   help="skip these rules (same forms as --select)")
    p.add_argument("--fail-on", choices=LEVELS, default="error",
                   help="lowest severity that makes the exit status 1 (default: error)")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--no-context", action="store_true", help="do not read the store for recipient context")
    from outreach.cli.common import add_db_option

    add_db_option(p)
    p.set_defaults(handler=run_lint)

    p = sub.add_parser("rules", help="list the lint rules, or explain one", description="List the lint rules.")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    rules_sub = p.add_subparsers(dest="rules_command", metavar="explain")
    explain = rules_sub.add_parser("explain", help="what a rule checks, why, how to fix, examples")
    explain.add_argument("code", metavar="CODE", help="rule code (OUT101) or slug (money-ask-large)")
    p.set_defaults(handler=run_rules)


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def run_lint(args: argparse.Namespace) -> int:
    from outreach.lint import engine, source
    from outreach.lint.report import format_json, format_text

    rules = engine.load_rules()
    select, ignore = _split(args.select), _split(args.ignore)
    for selector in select + ignore:
        if not any(rule.matches(selector) for rule in rules):
            from outreach.errors import OutreachError

            raise OutreachError(f"--select/--ignore: {selector!r} matches no rule code, category or slug")
    active = engine.selected(rules, select, ignore)
    lookup = _context_lookup(args)
    reports = []
    unread = False
    for path in args.files:
        draft_input = source.read(path)
        for why in draft_input.unread:  # text the rules never saw: say so, never report it clean
            print(f"{draft_input.path}: warning: not linted: {why}", file=sys.stderr)
            unread = True
        reports.extend(source.check(draft_input, active, lookup, args.to))
    if args.format == "json":
        sys.stdout.write(format_json(reports))
    else:
        sys.stdout.write(format_text(reports, color=_color()))
    failing = any(r.failing(args.fail_on) for r in reports) or (unread and args.fail_on != "error")
    return 0 if args.exit_zero or not failing else 1


def _context_lookup(args: argparse.Namespace):
    """A function address -> RecipientContext | None; warns once if the store cannot be read."""
    if args.no_context:
        return lambda address: None
    from outreach.config import default_db_path
    from outreach.lint.source import store_context

    return store_context(args.db or default_db_path(),
                         lambda message: print(f"outreach: warning: {message}", file=sys.stderr))


def _color() -> bool:
    import os

    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def run_rules(args: argparse.Namespace) -> int:
    from outreach.lint import engine

    rules = engine.load_rules()
    if args.rules_command == "explain":
        return _explain(rules, args.code)
    from outreach.cli.common import emit

    rows = [
        {"code": r.code, "slug": r.slug, "category": r.category, "severity": r.severity, "kind": r.kind,
         "why": r.why if args.format == "json" else r.why.split(". ")[0].rstrip(".") + "."}
        for r in rules
    ]
    columns = ("code", "slug", "category", "severity", "kind") + (("why",) if args.format == "json" else ())
    emit(rows, columns, args.format)
    return 0


def _explain(rules, code: str) -> int:
    from textwrap import fill, indent

    from outreach.errors import OutreachError

    wanted = code.strip()
    match = [r for r in rules if r.code == wanted.upper() or r.slug == wanted.lower()]
    if not match:
        raise OutreachError(f"no rule {code!r}; 'outreach rules' lists them")
    rule = match[0]
    out = [
        f"{rule.code} {rule.slug}  ({rule.category}, {rule.severity}, kind {rule.kind})",
        "",
        "What it reports:  " + rule.message,
        "",
        "Why:",
        indent(fill(rule.why, 88), "  "),
        "",
        "Fix:",
        indent(fill(rule.fix, 88), "  "),
        "",
        "Triggers on:",
        *[indent(fill(" ".join(t.split()), 86), "    ").replace("    ", "  - ", 1) for t in rule.bad],
        "",
        "Passes:",
        *[indent(fill(" ".join(t.split()), 86), "    ").replace("    ", "  - ", 1) for t in rule.good],
        "",
        f"Defined in {rule.source}. Suppress in a draft with a line 'outreach: ignore {rule.code}'"
        f" or the header 'X-Outreach-Ignore: {rule.code}'.",
    ]
    print("\n".join(out))
    return 0

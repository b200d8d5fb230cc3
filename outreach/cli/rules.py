"""`outreach rules [explain CODE]`: the lint rules, listed or explained one at a time."""

from __future__ import annotations

import argparse
from textwrap import fill, indent

from outreach.cli.common import emit
from outreach.errors import OutreachError
from outreach.lint import engine


def run_rules(args: argparse.Namespace) -> int:
    rules = engine.load_rules()
    if args.rules_command == "explain":
        return _explain(rules, args.code)
    rows = [
        {"code": r.code, "slug": r.slug, "category": r.category, "severity": r.severity, "kind": r.kind,
         "why": r.why if args.format == "json" else r.why.split(". ")[0].rstrip(".") + "."}
        for r in rules
    ]
    columns = ("code", "slug", "category", "severity", "kind") + (("why",) if args.format == "json" else ())
    emit(rows, columns, args.format)
    return 0


def _bullets(texts: tuple[str, ...]) -> list[str]:
    return [indent(fill(" ".join(t.split()), 86), "    ").replace("    ", "  - ", 1) for t in texts]


def _explain(rules: list[engine.Rule], code: str) -> int:
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
        *_bullets(rule.bad),
        "",
        "Passes:",
        *_bullets(rule.good),
        "",
        f"Defined in {rule.source}. Suppress in a draft with a line 'outreach: ignore {rule.code}'"
        f" or the header 'X-Outreach-Ignore: {rule.code}'.",
    ]
    print("\n".join(out))
    return 0

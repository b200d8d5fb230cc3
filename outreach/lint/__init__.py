"""The pre-send linter: ``outreach.lint.lint(text, to=None) -> Report``.

The rules are data in rules/*.toml; engine.py loads and runs them, kinds/ holds the rule
kinds (the only lint code), draft.py prepares a draft once for all rules, report.py writes
text and JSON.
"""

from __future__ import annotations

from outreach.lint.engine import Rule, RuleError, categories, lint, load_rules, selected
from outreach.lint.report import Finding, Report, format_json, format_text

__all__ = [
    "Finding", "Report", "Rule", "RuleError", "categories", "format_json", "format_text", "lint", "load_rules",
    "selected",
]

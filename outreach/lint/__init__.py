"""The pre-send linter: ``outreach.lint(text, to=None) -> Report``.

This package is itself callable, so ``import outreach; outreach.lint(text)`` works whether
``outreach.lint`` resolves to the package or the function.  The rules are data in rules/*.toml;
see engine.py (loading, running), checks.py (rule kinds), report.py (text and JSON output).
"""

from __future__ import annotations

import sys
import types

from outreach.lint.engine import Rule, RuleError, load_rules, selected
from outreach.lint.engine import lint as lint
from outreach.lint.report import Finding, Report, format_json, format_text

__all__ = ["Finding", "Report", "Rule", "RuleError", "format_json", "format_text", "lint", "load_rules", "selected"]


class _CallableModule(types.ModuleType):
    def __call__(self, text: str, to: str | None = None, **options) -> Report:
        return lint(text, to, **options)


sys.modules[__name__].__class__ = _CallableModule

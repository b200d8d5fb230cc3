"""outreach: a give-first email assistant for professional networking.

``import outreach`` stays cheap: the public API is imported on first use.

    >>> import outreach
    >>> report = outreach.lint("Could you lend me $5,000?")
    >>> [f.code for f in report.findings]
"""

from __future__ import annotations

import importlib

__all__ = ["lint"]


def __getattr__(name: str):
    if name == "lint":
        # The outreach.lint package is callable: outreach.lint(text, to=None) -> Report.
        return importlib.import_module("outreach.lint")
    raise AttributeError(f"module 'outreach' has no attribute {name!r}")

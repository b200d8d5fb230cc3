"""outreach: a give-first email assistant for professional networking.

The command line is ``outreach`` (outreach.cli); the linter is also a Python API:

    >>> from outreach.lint import lint
    >>> report = lint("Could you lend me $5,000?")
    >>> [f.code for f in report.findings]
"""

__version__ = "0.1.0"

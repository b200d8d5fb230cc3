"""Command-line entry point: parse arguments, dispatch, print errors.

Each command group lives in its own module under ``outreach.cli`` exposing
``register(subparsers)``.  COMMAND_MODULES says which module registers which command, so a
command line builds only the parsers of the command it names.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from outreach import __version__
from outreach.cli.common import error_line

# The command modules, in the order they appear in --help, each with the commands its
# register() adds.  The names let `outreach lint ...` import and build only the module of the
# command it names; a name missing here only costs start-up (the full parser is built then),
# and tests/test_cli.py checks the names against what register() adds.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "outreach.cli.demo": ("demo",),
    "outreach.cli.sync": ("sync", "skipped"),
    "outreach.cli.reanalyse": ("reanalyse",),
    "outreach.cli.network": ("contacts", "show", "tag", "cadence"),
    "outreach.cli.merge": ("merge", "unmerge"),
    "outreach.cli.report": ("report",),
    "outreach.cli.lint": ("lint", "rules"),
    "outreach.cli.suggest": ("suggest",),
    "outreach.cli.deliver": ("templates", "render", "send"),
    "outreach.cli.sendmail": ("sendmail",),
    "outreach.cli.daemon": ("daemon", "status"),
    "outreach.cli.settings": ("config",),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with ``command``, of only the module that registers it."""
    wanted = [name for name, commands in COMMAND_MODULES.items() if command in commands]
    parser = argparse.ArgumentParser(
        prog="outreach",
        description="A give-first email assistant for professional networking.",
    )
    parser.add_argument("--version", action="version", version=f"outreach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in wanted or COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        # inside the try: loading a command may read its data files (rules, vocabularies)
        args = build_parser(argv[0] if argv else None).parse_args(argv)
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("outreach: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        line = error_line(exc)  # the one error path: faults the user can act on, one line, exit 2
        if line is None:
            raise
        print(f"outreach: error: {line}", file=sys.stderr)
        return 2


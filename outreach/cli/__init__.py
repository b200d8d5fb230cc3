"""Command-line entry point: build the parser from the table of commands, dispatch, print errors.

``outreach.cli.commands.COMMANDS`` lists every subcommand with its arguments and the module
and function that handle it.  The parser is built from the table alone; the handling module
is imported only when its command runs, so `outreach lint` loads the linter and not the store.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from outreach import __version__
from outreach.cli.commands import COMMANDS, Command
from outreach.cli.errors import error_line


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with the name of one, of only that one (a parser costs ~1 ms each)."""
    parser = argparse.ArgumentParser(
        prog="outreach",
        description="A give-first email assistant for professional networking.",
    )
    parser.add_argument("--version", action="version", version=f"outreach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for entry in [c for c in COMMANDS if c.name == command] or COMMANDS:
        options = {"prefix_chars": "+", "add_help": False} if entry.own_options else {}
        entry.arguments(sub.add_parser(entry.name, help=entry.help, description=entry.description, **options))
    return parser


def run(command: Command, args: argparse.Namespace) -> int:
    """Import the command's module and call its handler."""
    handler = getattr(importlib.import_module(command.module), command.handler)
    return int(handler(args) or 0)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser(argv[0] if argv else None).parse_args(argv)
        # inside the try: loading a command may read its data files (rules, vocabularies)
        return run(next(c for c in COMMANDS if c.name == args.command), args)
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

"""Command-line entry point: build the parser from the table of commands, dispatch, print errors.

``outreach.cli.commands.COMMANDS`` lists every subcommand with its arguments and the module
and function that handle it.  The parser is built from the table alone; the handling module
is imported only when its command runs, so `outreach lint` loads the linter and not the store.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from outreach import __version__
from outreach.cli.commands import COMMANDS, Command
from outreach.cli.errors import error_line


class Formatter(argparse.HelpFormatter):
    """argparse's help formatter at the width ``shutil.get_terminal_size`` gives, read here:
    argparse builds a formatter for every argument added (to check its metavar) and would
    import shutil, with the compression modules it loads, into every command's start-up."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=terminal_columns() - 2)  # argparse's own margin


def terminal_columns() -> int:
    """$COLUMNS, else the width of the terminal on standard output, else 80 (as shutil reads it)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with the name of one, of only that one (a parser costs ~1 ms each)."""
    parser = argparse.ArgumentParser(
        prog="outreach",
        description="A give-first email assistant for professional networking.",
        formatter_class=Formatter,
    )
    parser.add_argument("--version", action="version", version=f"outreach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for entry in [c for c in COMMANDS if c.name == command] or COMMANDS:
        options = {"prefix_chars": "+", "add_help": False} if entry.own_options else {}
        entry.arguments(sub.add_parser(entry.name, help=entry.help, description=entry.description,
                                       formatter_class=Formatter, **options))
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

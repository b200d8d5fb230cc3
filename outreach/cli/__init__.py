"""Command-line entry point: parse arguments, dispatch, print errors.

Each command group lives in its own module under ``outreach.cli`` exposing
``register(subparsers)``; handlers import heavy modules lazily so that
``outreach lint`` starts fast enough for a pre-send hook.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# The command modules, in the order they appear in --help, each with the commands its
# register() adds.  The names let `outreach lint ...` import and build only the module of the
# command it names; a name missing here only costs start-up (the full parser is built then),
# and tests/test_cli.py checks the names against what register() adds.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "outreach.cli.demo": ("demo",),
    "outreach.cli.sync": ("sync", "skipped"),
    "outreach.cli.network": ("contacts", "show", "merge", "tag", "cadence"),
    "outreach.cli.report": ("report",),
    "outreach.cli.lint": ("lint", "rules"),
    "outreach.cli.suggest": ("suggest",),
    "outreach.cli.deliver": ("templates", "render", "send"),
    "outreach.cli.sendmail": ("sendmail",),
    "outreach.cli.daemon": ("daemon", "status"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with ``command``, of only the module that registers it."""
    wanted = [name for name, commands in COMMAND_MODULES.items() if command in commands]
    parser = argparse.ArgumentParser(
        prog="outreach",
        description="A give-first email assistant for professional networking.",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in wanted or COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command group not written yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from outreach.cli.common import error_line

    argv = sys.argv[1:] if argv is None else list(argv)
    # Start-up matters (`outreach lint` runs as a pre-send hook): when the first argument names
    # a command, only its module is imported and only its parsers are built.
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    try:
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


class _VersionAction(argparse.Action):
    """Looks the version up only when asked: importlib.metadata costs ~15 ms at start-up."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"outreach {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("outreach")
    except PackageNotFoundError:
        return "0+unknown"


if __name__ == "__main__":
    raise SystemExit(main())

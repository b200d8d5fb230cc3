"""Command-line entry point: parse arguments, dispatch, print errors.

Each command group lives in its own module under ``outreach.cli`` exposing
``register(subparsers)``; handlers import heavy modules lazily so that
``outreach lint`` starts fast enough for a pre-send hook.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Command modules, in the order they appear in --help.
COMMAND_MODULES = (
    "outreach.cli.demo",
    "outreach.cli.sync",
    "outreach.cli.network",
    "outreach.cli.lint",
    "outreach.cli.suggest",
    "outreach.cli.deliver",
    "outreach.cli.daemon",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="outreach",
        description="A give-first email assistant for professional networking.",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command group not written yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from outreach.errors import OutreachError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except OutreachError as exc:
        print(f"outreach: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("outreach: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


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

"""The table of commands (outreach/cli/commands.py) and the dispatch in outreach/cli/__init__.py."""

from __future__ import annotations

import argparse
import ast
import importlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from outreach.cli import build_parser, main
from outreach.cli.commands import COMMANDS
from outreach.cli.errors import error_line

DRAFT = Path(__file__).resolve().parents[1] / "fixtures" / "drafts" / "g01-coffee-20min.txt"
CLI = Path(importlib.import_module("outreach.cli").__file__).parent


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next(a for a in parser._actions if a.dest == "command").choices


@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
def test_every_command_names_a_module_and_function_that_exist(command) -> None:
    assert callable(getattr(importlib.import_module(command.module), command.handler))


def test_command_names_are_unique() -> None:
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))


def test_full_parser_lists_every_command_in_table_order() -> None:
    assert list(_commands(build_parser())) == [c.name for c in COMMANDS]


def test_a_named_command_builds_only_its_own_parser() -> None:
    assert list(_commands(build_parser("lint"))) == ["lint"]
    assert list(_commands(build_parser("show"))) == ["show"]


def test_an_unknown_command_gets_the_full_list_of_choices(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["lnit", "x.txt"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'lnit'" in err and "'lint'" in err and "'daemon'" in err


def test_top_level_help_lists_all_commands(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(f"\n    {c.name} " in out or f"\n    {c.name}\n" in out for c in COMMANDS)


def test_every_command_and_option_has_help() -> None:
    for name, parser in _commands(build_parser()).items():
        undocumented = [a.dest for a in parser._actions if not a.help and a.dest != "help"]
        assert undocumented == [], name


def test_lint_starts_without_the_other_commands_or_the_store() -> None:
    # A pre-send hook runs `outreach lint` every time: it imports its own command, not the store.
    probe = (
        "import sys\nfrom outreach.cli import main\n"
        f"code = main(['lint', '--no-context', '--exit-zero', {str(DRAFT)!r}])\n"
        "print('MODULES', *sorted(sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split("MODULES", 1)[1].split())
    assert "outreach.lint" in loaded and "outreach.cli.lint" in loaded
    others = {c.module for c in COMMANDS} - {"outreach.cli.lint"}
    assert loaded & others == set()
    assert loaded & {"outreach.store.db", "jinja2", "imapclient"} == set()
    # nor what a text draft does not need: dataclass generation, the email package, the
    # .env parser (no settings file here), importlib.resources' zip support
    assert loaded & {"dataclasses", "email.parser", "outreach.ingest.parse", "dotenv", "zipfile"} == set()
    # nor SQLite (only a store needs it: the error path describes its faults when it is loaded),
    # nor shutil, which argparse's help formatter imports for the terminal width
    assert loaded & {"sqlite3", "shutil"} == set()


def test_a_local_sync_with_nothing_new_loads_neither_imap_nor_the_parser(tmp_path) -> None:
    maildir = tmp_path / "mail"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "cur" / "m1:2,S").write_bytes(
        b"From: Sam <sam@example.com>\nTo: me@example.com\nSubject: hi\nMessage-ID: <m1@example.com>\n\n"
        b"Could you spare 20 minutes next week?\n"
    )
    argv = ["sync", "--quiet", "--maildir", str(maildir), "--db", str(tmp_path / "o.db")]
    assert main(argv) == 0
    probe = (
        "import sys\nfrom outreach.cli import main\n"
        f"code = main({argv!r})\n"
        "print('MODULES', code, *sorted(sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path)
    code, *loaded = done.stdout.split("MODULES", 1)[1].split()
    assert code == "0" and "outreach.ingest.sync" in loaded
    assert set(loaded) & {"imapclient", "outreach.ingest.parse", "outreach.ingest.acts", "email.parser"} == set()
    # the cache is current: its fingerprint is checked without loading the fold (network.rebuild) or the
    # act detector (outreach.judge); nothing is logged, and no report is a dataclass
    assert "outreach.network.freshness" in loaded
    assert set(loaded) & {"outreach.network.rebuild", "outreach.network.tally", "outreach.network.ledger"} == set()
    assert [m for m in loaded if m.startswith("outreach.judge")] == []
    assert set(loaded) & {"dataclasses", "logging"} == set()


def test_an_sqlite_fault_is_one_line_and_a_bug_is_not() -> None:
    # sqlite3 is loaded here (as by any command that opened a store): its faults are the user's to act on
    damaged = error_line(sqlite3.DatabaseError("database disk image is malformed"))
    assert damaged is not None and damaged.startswith("the store is damaged (database disk image is malformed)")
    assert error_line(sqlite3.OperationalError("database is locked")).startswith("the store is busy")
    assert error_line(ValueError("a bug")) is None


def _function_level_imports(path: Path) -> list[str]:
    found = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                found.append(f"{path.name}:{child.lineno}")
            walk(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    walk(ast.parse(path.read_text()), False)
    return found


def test_command_modules_import_at_module_level() -> None:
    # Start-up is kept cheap by importing a command's module only when it runs, not by hiding imports.
    assert [hit for path in sorted(CLI.glob("*.py")) for hit in _function_level_imports(path)] == []


@pytest.mark.parametrize("value", ["-1", "0", "many", "2.5"])
def test_a_count_must_be_a_whole_number_of_at_least_one(capsys, value: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["contacts", "--limit", value])
    assert info.value.code == 2
    assert f"argument --limit: {value!r}: expected a whole number of at least 1" in capsys.readouterr().err


def test_no_option_takes_a_bare_number() -> None:
    # type=int let `contacts --limit -1` through: counts use commands.positive, durations their parsers
    bare = [(name, action.option_strings) for name, parser in _commands(build_parser()).items()
            for action in parser._actions if action.type in (int, float)]
    assert bare == []

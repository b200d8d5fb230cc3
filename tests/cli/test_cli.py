"""The command registry (outreach/cli/__init__.py) and the start-up fast path it allows."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from outreach.cli import COMMAND_MODULES, build_parser, main

DRAFT = Path(__file__).resolve().parents[1] / "fixtures" / "drafts" / "g01-coffee-20min.txt"


def _commands(parser) -> dict:
    return next(a for a in parser._actions if a.dest == "command").choices


@pytest.mark.parametrize("module", list(COMMAND_MODULES))
def test_registry_names_exactly_the_commands_each_module_registers(module: str) -> None:
    import argparse

    sub = argparse.ArgumentParser().add_subparsers()
    importlib.import_module(module).register(sub)
    assert tuple(sub.choices) == COMMAND_MODULES[module]


def test_full_parser_lists_every_command_in_registry_order() -> None:
    everything = [name for names in COMMAND_MODULES.values() for name in names]
    assert list(_commands(build_parser())) == everything


def test_a_named_command_builds_only_its_module() -> None:
    assert list(_commands(build_parser("lint"))) == ["lint", "rules"]
    assert list(_commands(build_parser("show"))) == list(COMMAND_MODULES["outreach.cli.network"])


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
    assert all(f"\n    {name} " in out or f"\n    {name}\n" in out
               for names in COMMAND_MODULES.values() for name in names)


def test_lint_starts_without_the_other_commands_or_the_store() -> None:
    # A pre-send hook runs `outreach lint` every time: it imports its own command, not the store.
    probe = (
        "import sys\nfrom outreach.cli import main\n"
        f"code = main(['lint', '--no-context', '--exit-zero', {str(DRAFT)!r}])\n"
        "print('MODULES', *sorted(sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split("MODULES", 1)[1].split())
    assert "outreach.lint" in loaded
    unwanted = {"outreach.cli.sync", "outreach.cli.network", "outreach.cli.demo",
                "outreach.store.db", "sqlite3"}
    assert loaded & unwanted == set()

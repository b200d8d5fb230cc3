"""`outreach contacts`: the "due" column, and cold/due rows coloured on a real terminal (pty)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.suggest_sample import MANIFEST, NOW, address, synced_copy
from tests.support.terminal import run_on_terminal

RED, YELLOW = "\033[31m", "\033[33m"


@pytest.fixture
def db(tmp_path, tmp_path_factory) -> str:
    return str(synced_copy(tmp_path_factory.getbasetemp(), tmp_path / "s.db"))


def _contacts(db: str, *, tty: bool, no_color: str | None = None, fmt: str = "table") -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_") and k != "NO_COLOR"}
    if no_color is not None:
        env["NO_COLOR"] = no_color
    command = [sys.executable, "-m", "outreach", "contacts", "--db", db, "--now", NOW.isoformat(), "--format", fmt]
    if not tty:
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=True).stdout
    return run_on_terminal(command, env, status=0).replace("\r\n", "\n")


def _row(text: str, who: str) -> str:
    return next(line for line in text.splitlines() if address(who) in line)


def test_on_a_terminal_cold_rows_are_red_and_due_rows_yellow(db):
    out = _contacts(db, tty=True)
    for who in MANIFEST["cold"]:
        assert _row(out, who).startswith(RED)
    assert _row(out, "jordan").startswith(YELLOW)  # past the usual gap, not cold yet
    for who in MANIFEST["not_cold"]:
        assert "\033[" not in _row(out, who)


def test_no_colour_when_piped_or_no_color_is_set_but_an_empty_no_color_is_unset(db):
    assert "\033[" not in _contacts(db, tty=False)
    assert "\033[" not in _contacts(db, tty=True, no_color="1")
    assert RED in _contacts(db, tty=True, no_color="")


def test_the_due_column_is_the_last_contact_plus_the_cadence(db):
    table = _contacts(db, tty=False)
    assert table.splitlines()[0].split()[6:8] == ["DUE", "STATE"]
    rows = {r["address"]: r for r in json.loads(_contacts(db, tty=False, fmt="json"))}
    daniel = rows[address("daniel")]
    assert daniel["state"] == "cold" and daniel["due"] < NOW.date().isoformat()
    assert rows[address("jordan")]["state"] == "due"
    margaret = rows[address("margaret")]
    assert margaret["state"] == "fine" and margaret["due"] > NOW.date().isoformat()
    assert margaret["due"] in _row(table, "margaret") and "cold" in _row(table, "daniel")

"""Contact edits that go wrong quietly: merging two different people, editing a non-contact."""

from __future__ import annotations

import io
import json
import sys

import pytest

from outreach.cli import main
from tests.relationships_box import ME, Box

NOW = "2026-03-01T12:00:00Z"


@pytest.fixture
def db(tmp_path):
    box = Box(tmp_path / "cli.db")
    box.mail("Ann Lee <ann@a.com>", ME, 0, subject="catch-up")
    box.mail("Ann <ann.lee@home.net>", ME, 5, subject="from home")
    box.mail("Priya Raman <priya@p.org>", ME, 8, subject="hello")
    box.store.close()
    return str(tmp_path / "cli.db")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def addresses(capsys, db) -> set[str]:
    return {r["address"] for r in json.loads(run(capsys, "contacts", "--db", db, "--format", "json")[1])}


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_merging_two_different_names_is_refused_without_a_terminal_or_yes(db, capsys):
    code, _, err = run(capsys, "merge", "ann@a.com", "priya@p.org", "--db", db)
    assert code == 1 and "look like different people" in err and "--yes" in err
    assert {"ann@a.com", "priya@p.org"} <= addresses(capsys, db)


@pytest.mark.parametrize(("answer", "merged"), [("y\n", True), ("n\n", False), ("", False)])
def test_on_a_terminal_merge_asks_first(db, capsys, monkeypatch, answer, merged):
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    code, out, _ = run(capsys, "merge", "ann@a.com", "priya@p.org", "--db", db)
    assert (code == 0) is merged and ("'Ann Lee'" in out and "'Priya Raman'" in out)  # the question names both
    assert ("priya@p.org" in addresses(capsys, db)) is not merged


def test_the_same_person_merges_without_a_question_and_unmerge_undoes_it(db, capsys):
    assert run(capsys, "merge", "ann@a.com", "ann.lee@home.net", "--db", db)[0] == 0  # 'Ann Lee' and 'Ann'
    assert "ann.lee@home.net" not in addresses(capsys, db)
    code, out, _ = run(capsys, "unmerge", "ann.lee@home.net", "--db", db)
    assert code == 0 and out == "ann.lee@home.net is its own contact again (it was merged into ann@a.com)\n"
    assert {"ann@a.com", "ann.lee@home.net"} <= addresses(capsys, db)
    code, _, err = run(capsys, "unmerge", "ann.lee@home.net", "--db", db)
    assert code == 2 and "was not merged" in err


def test_yes_merges_different_names(db, capsys):
    assert run(capsys, "merge", "ann@a.com", "priya@p.org", "--yes", "--db", db)[0] == 0
    assert "priya@p.org" not in addresses(capsys, db)


@pytest.mark.parametrize("argv", [
    ["merge", "ann@a.com", "anne@typo.example"],
    ["tag", "anne@typo.example", "friends"],
    ["suggest", "--snooze", "anne@typo.example", "30d"],
    ["suggest", "--dismiss", "anne@typo.example"],
])
def test_an_address_that_is_no_contact_is_a_one_line_error(db, capsys, argv):
    code, out, err = run(capsys, *argv, "--db", db)
    assert code == 2 and out == ""
    assert "anne@typo.example is not a contact" in err and err.count("\n") == 1


def test_duplicates_lists_likely_aliases_with_why(tmp_path, capsys):
    box = Box(tmp_path / "d.db")
    box.mail("Ann Lee <ann@a.com>", ME, 0)
    box.mail("Ann Lee <annlee@gmail.com>", ME, 3)
    box.mail("Bo <bo@clinic.org>", ME, 4)
    box.mail("Bo P. <bo@mail.clinic.org>", ME, 6)
    box.mail("Cy <cy@acme.com>", ME, 7)
    box.mail("Cy Ng <cy@acme.co.uk>", ME, 8)
    box.mail("Dee <info@x.com>", ME, 9)
    box.mail("Eve <info@x.co.uk>", ME, 9)
    box.mail("Priya Raman <priya@p.org>", ME, 9)
    box.store.close()
    db = str(tmp_path / "d.db")
    code, out, _ = run(capsys, "contacts", "--duplicates", "--format", "json", "--db", db)
    assert code == 0
    pairs = {frozenset((p["address"], p["other"])): p["why"] for p in json.loads(out)}
    ann, bo, cy = (frozenset(pair) for pair in (("ann@a.com", "annlee@gmail.com"),
                                                 ("bo@clinic.org", "bo@mail.clinic.org"),
                                                 ("cy@acme.com", "cy@acme.co.uk")))
    assert set(pairs) == {ann, bo, cy}  # not info@ (too generic), not Priya
    assert pairs[ann] == "same name 'Ann Lee'"
    assert pairs[bo].startswith("same name before the @ (bo) at related domains")
    assert pairs[cy].startswith("same name before the @ (cy) at related domains")

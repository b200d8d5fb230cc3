"""`outreach contacts`, `show`, `merge`, `tag`, `cadence` on a small store."""

from __future__ import annotations

import csv
import io
import json

import pytest

from outreach.cli import build_parser, main
from outreach.model import Act
from tests.relationships_box import ME, Box

NOW = "2026-03-01T12:00:00Z"  # T0 + 59.x days


@pytest.fixture
def db(tmp_path):
    box = Box(tmp_path / "cli.db")
    for day in (0, 10, 20):  # Ann: every 10 days, then silent: cold by day 59
        box.mail("Ann Lee <ann@a.com>", ME, day, subject=f"catch-up {day}")
    box.mail(ME, "ann@a.com", 21, acts=[Act("ask", "money", "Could you lend me $2,000?", amount=2000)])
    intro = Act("introduction", "", "Meet Bo, who builds clinics.", person="Bo")
    box.mail("Cy <cy@c.com>", [ME, "Bo Park <bo@b.com>"], 50, subject="Intro: Bo", acts=[intro])
    box.mail(ME, "bo@b.com", 55, subject="Hello Bo")
    box.mail("Ann <ann.lee@home.net>", ME, 58, subject="from home")
    box.store.close()
    return str(tmp_path / "cli.db")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_contacts_table_lists_strongest_first(db, capsys):
    code, out, _ = run(capsys, "contacts", "--db", db, "--now", NOW)
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split()[:4] == ["NAME", "ADDRESS", "STRENGTH", "LAST"]
    assert len(lines) == 1 + 4
    assert "ann@a.com" in lines[1] and "cold" in lines[1]
    assert any("bo@b.com" in line and "Cy" in line for line in lines)  # referrer column


def test_contacts_json_csv_filters_and_sort(db, capsys):
    _, out, _ = run(capsys, "contacts", "--db", db, "--now", NOW, "--format", "json")
    rows = json.loads(out)
    assert {r["address"] for r in rows} == {"ann@a.com", "ann.lee@home.net", "cy@c.com", "bo@b.com"}
    ann = next(r for r in rows if r["address"] == "ann@a.com")
    assert (ann["cold"], ann["cadence"], ann["cadence_source"], ann["balance"] < 0) == (True, 10, "learned", True)

    _, out, _ = run(capsys, "contacts", "--db", db, "--now", NOW, "--format", "csv", "--cold")
    assert [r["address"] for r in csv.DictReader(io.StringIO(out))] == ["ann@a.com"]
    _, out, _ = run(capsys, "contacts", "--db", db, "--now", NOW, "--format", "json", "--owed", "--sort", "balance")
    assert [r["address"] for r in json.loads(out)] == ["ann@a.com", "cy@c.com"]
    _, out, _ = run(capsys, "contacts", "--db", db, "--now", NOW, "--format", "json", "--sort", "last", "--limit", "2")
    assert [r["address"] for r in json.loads(out)] == ["ann.lee@home.net", "bo@b.com"]


def test_show_prints_figures_ledger_and_referrals(db, capsys):
    code, out, _ = run(capsys, "show", "ann@a.com", "--db", db, "--now", NOW)
    assert code == 0
    assert out.startswith("Ann Lee <ann@a.com>")
    assert "cold after 20 days: COLD" in out
    assert '"Could you lend me $2,000?"' in out and "ask/money $2,000" in out
    _, out, _ = run(capsys, "show", "cy@c.com", "--db", db, "--now", NOW)
    assert "introduced you to:" in out and "Bo Park <bo@b.com>  -> thank them" in out
    _, out, _ = run(capsys, "show", "bo@b.com", "--db", db, "--now", NOW, "--format", "json")
    data = json.loads(out)
    assert [r["referrer"] for r in data["referred_by"]] == ["cy@c.com"]
    assert data["referred_by"][0]["met"] is not None


def test_merge_tag_and_cadence(db, capsys):
    merged = run(capsys, "merge", "ann@a.com", "ANN.LEE@home.net", "--db", db)[1]
    assert merged == "merged ann.lee@home.net into ann@a.com (undo: outreach unmerge ann.lee@home.net)\n"
    assert run(capsys, "tag", "ann.lee@home.net", "Friends", "--db", db)[0] == 0  # an alias reaches the contact
    assert run(capsys, "cadence", "tag:friends", "2w", "--db", db)[1] == "tag:friends: cadence every 14 days\n"
    _, out, _ = run(capsys, "contacts", "--db", db, "--now", NOW, "--format", "json", "--tag", "friends")
    [ann] = json.loads(out)
    assert (ann["address"], ann["received"], ann["cadence"]) == ("ann@a.com", 4, 14)
    assert ann["cadence_source"] == "tag:friends"
    assert ann["cold"] is False  # heard from the home address a day ago
    _, out, _ = run(capsys, "show", "ann.lee@home.net", "--db", db, "--now", NOW)
    assert "also: ann.lee@home.net" in out and "tags: friends" in out
    assert run(capsys, "cadence", "tag:friends", "off", "--db", db)[1] == "tag:friends: cadence override removed\n"
    assert run(capsys, "tag", "ann@a.com", "friends", "--remove", "--db", db)[0] == 0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["show", "nobody@x.com"], "nobody@x.com: not a contact"),
        (["contacts", "--now", "yesterday"], "--now 'yesterday'"),
        (["cadence", "ann@a.com", "often"], "cadence: 'often'"),
        (["cadence", "ann@typo.com", "2w"], "cadence: ann@typo.com is not a contact"),  # a typo sets nobody's
        (["merge", "ann@a.com", "ANN@a.com"], "the two addresses are the same"),
        (["tag", "ann@a.com", "nope", "--remove"], "has no tag 'nope'"),
    ],
)
def test_user_errors_exit_2_with_one_line(db, capsys, argv, message):
    code, out, err = run(capsys, *argv, "--db", db)
    assert code == 2 and out == ""
    assert err.startswith("outreach: error: ") and message in err and err.count("\n") == 1


def test_every_network_command_has_help():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    helps = {action.dest: action.help for action in sub._choices_actions}
    for name in ("contacts", "show", "merge", "tag", "cadence"):
        parser = sub.choices[name]
        assert parser.description and helps[name]
        assert [a.dest for a in parser._actions if not a.help] == []


def test_sync_brings_a_cache_left_behind_up_to_date_even_with_nothing_new(tmp_path, capsys, monkeypatch):
    """Issue 14, fault 7: a sync killed after its last commit, before the cache was refreshed."""
    from outreach.ingest import sync
    from outreach.ingest.sources.local import MaildirSource
    from outreach.store.db import Store

    maildir = tmp_path / "Mail"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    for i, sender in enumerate(("Ann Lee <ann@a.com>", "Bo Park <bo@b.com>")):
        (maildir / "cur" / f"{i}.eml:2,S").write_bytes(
            f"From: {sender}\r\nTo: {ME}\r\nSubject: hello\r\nMessage-ID: <m{i}@t>\r\n"
            f"Date: Mon, 2 Mar 2026 10:0{i}:00 +0000\r\n\r\nHello there.\r\n".encode()
        )
    db = str(tmp_path / "crash.db")
    with Store.open(db) as store:  # what the killed run left: every message stored, no cache
        assert sync.run(store, MaildirSource(maildir), me=[ME]).new == 2
    monkeypatch.setenv("OUTREACH_ME", ME)
    code, _, _ = run(capsys, "sync", "--quiet", "--db", db, "--maildir", str(maildir))
    assert code == 0
    with Store.open(db) as store:
        assert store.counts()["messages"] == 2  # nothing new was stored...
        assert sorted(c.address for c in store.cached_contacts()) == ["ann@a.com", "bo@b.com"]  # ...yet cached

"""The report's values and HTML without a browser: standing, due dates, limits, bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from outreach.network import cache, contacts
from outreach.report import charts, graph
from outreach.report.gather import gather
from outreach.report.page import render
from outreach.report.standing import Standing, due_on, standing
from outreach.store.db import Store
from tests.relationships_box import ME, T0, Box
from tests.suggest_sample import NOW, address, synced_copy


def _sample(tmp_path, cache) -> Store:
    return Store.open(synced_copy(cache, tmp_path / "s.db"))


def test_standing_and_due_date_follow_each_contacts_own_cadence(tmp_path, tmp_path_factory):
    with _sample(tmp_path, tmp_path_factory.getbasetemp()) as store:
        everyone = {c.address: c for c in contacts.contacts(store, NOW)}
    daniel, margaret = everyone[address("daniel")], everyone[address("margaret")]
    assert standing(daniel) is Standing.COLD and standing(margaret) is Standing.FINE
    assert due_on(margaret) == (margaret.last + timedelta(days=margaret.cadence_days)).astimezone().date()
    jordan = everyone[address("jordan")]  # past the usual gap, not yet cold
    assert jordan.days_since >= jordan.cadence_days and not jordan.cold
    assert standing(jordan) is Standing.DUE


def test_a_big_network_is_summarised_not_drawn_on_top_of_itself(tmp_path):
    box = Box(tmp_path / "big.db")
    for i in range(60):
        for k in range(1 + i % 3):
            box.mail(f"P{i} <p{i}@example.org>", ME, day=k * 20 + i)
            box.mail(ME, f"p{i}@example.org", day=k * 20 + i + 1)
    cache.update(box.store)  # as sync leaves it
    report = gather(box.store, T0 + timedelta(days=200), suggestions=[])
    html = render(report)
    rows = html.count('<g class="contact ')
    assert rows == charts.GLANCE_ROWS
    assert 'data-not-drawn="20"' in html
    centres = [float(p.split('cy="')[1].split('"')[0]) for p in html.split('<circle class="dot"')[1:]]
    assert len(centres) == rows and len(set(centres)) == rows  # one dot a row, no two rows share a line


def test_the_referral_graph_draws_owed_introductions_first_and_counts_the_rest(tmp_path, tmp_path_factory):
    with _sample(tmp_path, tmp_path_factory.getbasetemp()) as store:
        report = gather(store, NOW, suggestions=[])
    drawn = graph.drawn_referrals(report.referrals, limit=1)
    assert [(r.referrer, r.owed) for r in drawn] == [(address("sam"), "thanks")]
    svg = graph.referral_graph(report.referrals, limit=1)
    assert svg.count('<g class="edge') == 1 and "thank them" in svg


def test_an_empty_store_still_gives_a_page(tmp_path):
    with Store.open(tmp_path / "empty.db") as store:
        html = render(gather(store, NOW, suggestions=[]))
    assert "No contacts yet" in html and "<script" not in html


def test_an_unwritable_output_is_a_one_line_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    out = tmp_path / "missing-dir" / "r.html"
    Store.open(tmp_path / "x.db").close()
    done = subprocess.run([sys.executable, "-m", "outreach", "report", "--db", str(tmp_path / "x.db"), "--out",
                           str(out)], capture_output=True, text=True, env=env, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("outreach: error:") and str(out) in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_lint_does_not_load_the_report_code(tmp_path):
    draft = tmp_path / "d.txt"
    draft.write_text("Hi Sam,\n\nThanks for the intro to Priya.\n\nAlex\n")
    probe = ("import sys; from outreach.cli import main; main(['lint', '--exit-zero', sys.argv[1]]); "
             "print(sorted(m for m in sys.modules if m.startswith('outreach.report')))")  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    done = subprocess.run([sys.executable, "-c", probe, str(draft)], capture_output=True, text=True, env=env,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_open_hands_the_file_to_the_users_browser(tmp_path):
    """--open goes through the standard browser lookup, which honours $BROWSER: here a script that notes the URL."""
    seen = tmp_path / "opened.txt"
    fake = tmp_path / "browser.sh"
    fake.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {seen}\n')
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    env["BROWSER"] = f"{fake} %s"
    out = tmp_path / "r.html"
    Store.open(tmp_path / "x.db").close()
    command = [sys.executable, "-m", "outreach", "report", "--db", str(tmp_path / "x.db"), "--out", str(out), "--open"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert seen.read_text() == out.resolve().as_uri()


def test_a_missing_store_is_an_error_and_is_not_created(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    command = [sys.executable, "-m", "outreach", "report", "--db", str(tmp_path / "none.db"), "--out",
               str(tmp_path / "r.html")]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 2 and done.stderr.startswith("outreach: error:")
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "r.html").exists()

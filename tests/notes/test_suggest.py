"""Suggestions on the sample mailbox: who, why, which template, and the weekly memory."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from outreach.errors import ConfigError
from outreach.model import Address, Message
from outreach.network import cache as network_cache
from outreach.notes import suggest
from outreach.store.db import Store
from tests.suggest_sample import MANIFEST, ME, NOW, PEOPLE, address, synced_copy

DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("suggest-sample")


@pytest.fixture
def store(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("OUTREACH_ENV_FILE", os.devnull)
    monkeypatch.delenv("OUTREACH_SUGGEST_BUDGET", raising=False)
    monkeypatch.setenv("OUTREACH_TEMPLATES_DIR", str(tmp_path / "no-user-templates"))
    with Store.open(synced_copy(cache, tmp_path / "s.db")) as s:
        yield s


def week(store, now=NOW, budget=5):
    network_cache.update(store)  # as `outreach suggest` does: mail written since is folded in first
    return suggest.weekly(store, now, budget, my_name="Alex")


def keys(found) -> list[str]:
    by_address = {p["address"]: k for k, p in PEOPLE.items()}
    return [by_address.get(s.address, s.address) for s in found]


# -- who and why, from the manifest's ground truth --------------------------------


def test_the_sample_week_is_the_expected_five_in_order(store):
    # Sam owes thanks (never thanked for introducing Priya); Daniel and Chris are the manifest's
    # cold contacts, stronger tie first; Helen and Marcus gave Alex more than they got back.
    found = week(store)
    assert keys(found) == ["sam", "daniel", "chris", "helen", "marcus"]
    assert [s.template for s in found] == ["thank-referrer", "check-in", "check-in", "check-in", "check-in"]
    assert set(MANIFEST["cold"]) <= set(keys(found))


def test_reasons_follow_the_manifest(store):
    reasons = dict(zip(keys(week(store)), (s.reason for s in week(store)), strict=True))
    # 2026-10-26 -> 2026-11-16: three weeks
    assert reasons["sam"] == "introduced you to Priya Raman 3 weeks ago; not thanked yet"
    # days since (about 5 and 7 months) and cadence over conversations (about 3 weeks, 2 months)
    daniel, chris = PEOPLE["daniel"], PEOPLE["chris"]
    assert 137 < daniel["days_since_last"] < 167 and 198 < chris["days_since_last"] < 228
    assert 17.5 < daniel["median_gap_days_conversations"] < 24.5 and 45 < chris["median_gap_days_conversations"] < 76
    assert reasons["daniel"] == "going cold: last in touch 5 months ago, usually every ~3 weeks"
    assert reasons["chris"] == "going cold: last in touch 7 months ago, usually every ~2 months"
    # Helen reviewed, offered and introduced; Alex only asked and thanked.  Marcus offered a call
    # after Alex asked him for money and a workshop.  Neither is cold (Marcus has no rhythm at all).
    for key in ("helen", "marcus"):
        assert reasons[key].startswith("gave you more than you gave back (") and "cold" not in reasons[key]


def test_the_referrer_never_thanked_gets_the_thank_you_note(store):
    [sam] = [s for s in week(store) if s.address == address("sam")]
    assert sam.signals == ("thanks",)
    assert sam.draft.subject == "Thank you for introducing me to Priya Raman"
    assert sam.draft.to == Address(address("sam"), "Sam Whitfield")
    assert sam.draft.body.startswith("Hi Sam,\n\nThank you for introducing me to Priya Raman.")
    assert "We have already been in touch" in sam.draft.body  # Alex met Priya the next day
    assert sam.draft.body.rstrip().endswith("Alex")


def test_check_ins_name_their_organisation_or_their_work(store):
    drafts = {s.address: s.draft for s in week(store)}
    assert drafts[address("daniel")].subject == "Thinking of you and everything at Larkspur Analytics"
    # chris@donovan.example: the domain is his own name, not an organisation
    assert drafts[address("chris")].subject == "Thinking of you and your work"
    assert drafts[address("daniel")].body.startswith("Hi Daniel,")


def test_people_in_touch_recently_and_non_contacts_are_never_suggested(store):
    recent = {k for k, p in PEOPLE.items() if p.get("days_since_last") is not None and p["days_since_last"] < 14}
    assert recent == {"margaret", "priya", "kevin"}
    found = set(keys(week(store, budget=50)))
    assert not found & recent
    assert not found & {n["address"] for n in MANIFEST["not_contacts"]}


def test_a_tie_without_a_rhythm_is_not_going_cold(store):
    # Tom: two messages in March 2025, no learned cadence; nothing to fall behind on.
    assert address("tom") not in {s.address for s in week(store, budget=50)}


# -- the week's memory and the budget ---------------------------------------------


def test_asking_again_the_same_week_shows_the_same_people_and_drafts(store):
    first = week(store)
    again = week(store, NOW + timedelta(hours=30))
    assert [(s.address, s.key) for s in again] == [(s.address, s.key) for s in first]
    assert all(s.suggested_at == NOW for s in again)


def test_the_budget_counts_everyone_suggested_this_week(store):
    assert keys(week(store, budget=2)) == ["sam", "daniel"]
    assert keys(week(store, budget=5)) == ["sam", "daniel", "chris", "helen", "marcus"]
    assert keys(week(store, budget=1)) == ["sam"]  # a smaller limit shows the best of the week
    assert keys(week(store, budget=0)) == []


def test_people_suggested_last_week_rest_for_four_weeks(store):
    first = {s.address for s in week(store)}
    next_week = week(store, NOW + 7 * DAY)
    assert not first & {s.address for s in next_week}
    later = week(store, NOW + 35 * DAY)
    assert address("daniel") in {s.address for s in later}


def test_the_weekly_digest_reads_this_weeks_suggestions(store):
    week(store)
    listed = suggest.suggestions(store, NOW + DAY)
    assert keys(listed) == ["sam", "daniel", "chris", "helen", "marcus"]
    assert all(s.draft is None for s in listed)  # the digest needs who and why only


def test_writing_to_someone_takes_them_off_this_weeks_list(store):
    week(store)
    write(store, ME, address("daniel"), NOW + timedelta(hours=2))
    assert address("daniel") not in {s.address for s in week(store, NOW + timedelta(hours=3))}


def test_budget_setting(store, monkeypatch):
    monkeypatch.setenv("OUTREACH_SUGGEST_BUDGET", "2")
    assert len(suggest.weekly(store, NOW)) == 2
    monkeypatch.setenv("OUTREACH_SUGGEST_BUDGET", "lots")
    with pytest.raises(ConfigError, match="OUTREACH_SUGGEST_BUDGET"):
        suggest.weekly(store, NOW)


# -- dismiss and snooze -------------------------------------------------------------


def test_a_dismissed_contact_stays_away_until_there_is_news(store):
    assert suggest.dismiss(store, address("daniel").upper(), NOW) == address("daniel")
    found = keys(week(store))
    assert "daniel" not in found and found[0] == "sam"
    # He writes; months later the tie is cold again and he is suggested again.
    write(store, address("daniel"), ME, NOW + DAY, name="Daniel Reyes")
    later = NOW + 120 * DAY
    assert address("daniel") in {s.address for s in week(store, later)}


def test_a_snoozed_contact_comes_back_after_the_snooze(store):
    address_, until = suggest.snooze(store, address("sam"), 30, NOW)
    assert until == NOW + 30 * DAY
    assert "sam" not in keys(week(store))
    assert "sam" not in keys(week(store, NOW + 29 * DAY))  # fills the week of 14 December without Sam
    assert "sam" not in keys(week(store, NOW + 31 * DAY))  # snooze over, but that week's budget is spent
    assert keys(week(store, NOW + 35 * DAY))[0] == "sam"  # the next week


def test_restore_undoes_a_dismissal(store):
    suggest.dismiss(store, address("sam"), NOW)
    assert suggest.restore(store, address("sam")) and not suggest.restore(store, address("sam"))
    assert keys(week(store))[0] == "sam"


# -- drafts ---------------------------------------------------------------------------


def test_a_template_that_cannot_be_filled_is_reported_not_fatal(store, tmp_path, monkeypatch):
    user = tmp_path / "mine"
    user.mkdir()
    (user / "check-in.j2").write_text(
        '{#\nname = "check-in"\npurpose = "p"\nfits = "f"\nsubject = "Hi {{ nickname }}"\n'
        'required = ["nickname"]\n#}\nHello {{ nickname }}\n'
    )
    monkeypatch.setenv("OUTREACH_TEMPLATES_DIR", str(user))
    found = week(store)
    daniel = next(s for s in found if s.address == address("daniel"))
    assert daniel.draft is None and "nickname" in daniel.error
    assert found[0].draft is not None  # thank-referrer is still the library's


@pytest.mark.parametrize(
    ("days", "words"),
    [(0.5, "today"), (1.5, "yesterday"), (9, "9 days ago"), (20.7, "3 weeks ago"), (156.6, "5 months ago"),
     (594.8, "2 years ago")],
)
def test_ago(days, words):
    assert suggest.ago(days) == words


def write(store: Store, sender: str, to: str, when, name: str = "") -> None:
    n = store.conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    mid = f"<test-{n}@example.test>"
    message = Message(key=mid, message_id=mid, folder="Sent" if sender == ME else "INBOX", date=when, date_problem=None,
                      sender=Address(sender, name), to=[Address(to)], subject="hello", text="Hello.")
    store.write_batch([(message, [])])


def lint_week(store) -> dict[str, list]:
    from outreach.lint import lint
    from outreach.network import contacts

    found = {}
    for s in week(store):
        context = contacts.recipient_context(store, s.address, NOW)
        found[s.address] = lint(s.draft.body, to=s.address, subject=s.draft.subject, context=context).findings
    return found


def test_every_suggested_draft_passes_the_linter_with_what_the_store_knows(store):
    for to, findings in lint_week(store).items():
        assert findings == [], f"to {to}: {findings}"


def test_a_check_in_to_an_established_tie_need_not_name_who_introduced_you(store):
    assert lint_week(store)[address("marcus")] == []

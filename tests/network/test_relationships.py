"""Contacts, strength, cadence, ledger and referrals on small hand-built stores."""

from __future__ import annotations

import gc
import random
from datetime import timedelta

import pytest

from outreach.model import Act
from outreach.network import cache, edits
from outreach.network import contacts as read
from outreach.network.roles import is_role_address
from outreach.network.ties import DAY, DEFAULT, Params, favour_size, parse_duration
from tests.relationships_box import ME, T0, Box


@pytest.fixture
def box(tmp_path):
    b = Box(tmp_path / "t.db")
    yield b
    b.store.close()


def updated(store, params=DEFAULT):
    """The store with its cache brought up to date, as sync leaves it: reads never rebuild it."""
    cache.update(store, params)
    return store


def at(day: float) -> int:
    return int((T0 + timedelta(days=day)).timestamp())


def by_address(store, now):
    return {c.address: c for c in read.contacts(updated(store), now)}


# -- who is a contact -------------------------------------------------------------


def test_contacts_come_from_personal_mail_only(box):
    box.mail("Ann Lee <ann@a.com>", ME, 1)
    box.mail(ME, "bob@b.com", 2)
    box.mail("news@letters.com", ME, 3, automated="list-id")
    box.mail("GitHub <notifications@github.com>", ME, 4)
    box.mail("noreply-123@shop.com", ME, 5)
    box.mail("Support <support+ticket@vendor.io>", ME, 6)
    box.mail(ME, [ME, "me@example.org"], 7)  # a note to self
    found = by_address(box.store, at(10))
    assert set(found) == {"ann@a.com", "bob@b.com"}
    assert found["ann@a.com"].name == "Ann Lee"
    assert (found["ann@a.com"].received, found["ann@a.com"].sent) == (1, 0)
    assert (found["bob@b.com"].received, found["bob@b.com"].sent) == (0, 1)


@pytest.mark.parametrize(
    "address, role",
    [
        ("support@x.com", True),
        ("no-reply@x.com", True),
        ("noreply.alerts@x.com", True),
        ("notifications+abc@github.com", True),
        ("jane@notifications.x.com", True),
        ("supporting.actor@x.com", False),
        ("hellen@x.com", False),
        ("priya.raman@x.com", False),
    ],
)
def test_role_addresses_are_data_driven(address, role):
    assert is_role_address(address) is role


def test_audience_size_dilutes_a_message_and_broadcasts_count_for_nothing(box):
    box.mail(ME, ["solo@a.com"], 1)
    box.mail(ME, ["pair@a.com", "other@a.com"], 1)
    box.mail(ME, [f"p{i}@crowd.com" for i in range(5)], 1)
    box.mail(ME, [f"b{i}@crowd.com" for i in range(DEFAULT.broadcast_audience + 1)], 1)
    box.mail("b0@crowd.com", [ME, *[f"x{i}@crowd.com" for i in range(DEFAULT.broadcast_audience)]], 1)
    found = by_address(box.store, at(2))
    assert found["solo@a.com"].strength_norm == 1.0
    assert found["pair@a.com"].strength == pytest.approx(found["solo@a.com"].strength * 2**-0.75)
    assert found["p0@crowd.com"].strength == pytest.approx(found["solo@a.com"].strength * 5**-0.75)
    assert not any(a.startswith(("b", "x")) for a in found)  # broadcasts make no contacts


def test_drafts_are_not_interactions(box):
    box.mail(ME, "ann@a.com", 1)
    box.mail(ME, "bob@b.com", 2, folder="Drafts")
    box.mail(ME, "ann@a.com", 3, folder="[Gmail]/Drafts")
    box.mail(ME, "ann@a.com", 4, folder="DRAFTS")
    box.mail(ME, "cy@c.com", 5, folder="Drafts-old")  # not a drafts folder's name
    found = by_address(box.store, at(6))
    assert set(found) == {"ann@a.com", "cy@c.com"}
    assert found["ann@a.com"].sent == 1


def test_sent_mail_outweighs_received(box):
    box.mail(ME, "wrote@a.com", 1)
    box.mail("read@a.com", ME, 1)
    found = by_address(box.store, at(2))
    ratio = found["wrote@a.com"].strength / found["read@a.com"].strength
    assert ratio == pytest.approx(DEFAULT.sent_weight / DEFAULT.received_weight)


def test_strength_halves_every_half_life(box):
    box.mail("ann@a.com", ME, 0)
    now = at(1)
    later = now + int(DEFAULT.half_life_days * DAY)
    assert read.contact(updated(box.store), "ann@a.com", later).strength == pytest.approx(
        read.contact(updated(box.store), "ann@a.com", now).strength / 2
    )


def test_fast_replies_count_as_reciprocity(box):
    first = box.mail(ME, "fast@a.com", 1, subject="q")
    box.mail("fast@a.com", ME, 1 + 1 / 24, reply_to=first, subject="Re: q")
    second = box.mail(ME, "slow@a.com", 1, subject="q")
    box.mail("slow@a.com", ME, 1 + 1 / 24, subject="unrelated")  # same timing, not a reply
    third = box.mail(ME, "late@a.com", 1, subject="q")
    box.mail("late@a.com", ME, 1 + 1 / 24, reply_to=third, date=T0 + timedelta(days=15))
    assert second
    found = by_address(box.store, at(2))
    assert found["fast@a.com"].replies == 1
    assert found["slow@a.com"].replies == 0
    assert found["fast@a.com"].strength > found["slow@a.com"].strength
    # a reply two weeks late earns almost no bonus, whatever its recency
    late_bonus = found["late@a.com"].strength / by_address(box.store, at(2))["slow@a.com"].strength
    assert late_bonus > 1  # more recent, so decayed less
    assert found["late@a.com"].replies == 1


def test_user_replying_counts_for_the_person_answered(box):
    question = box.mail("ann@a.com", ME, 1)
    box.mail(ME, ["ann@a.com", "bob@b.com"], 1.01, reply_to=question)
    found = by_address(box.store, at(2))
    assert found["ann@a.com"].replies == 1
    assert found["bob@b.com"].replies == 0


def test_messages_without_date_count_as_contacts_but_not_in_time(box):
    box.mail("ann@a.com", ME, 0, date=None)
    found = by_address(box.store, at(1))
    assert found["ann@a.com"].last is None
    assert found["ann@a.com"].strength == 0
    assert not found["ann@a.com"].cold


# -- cadence ----------------------------------------------------------------------


def test_cadence_is_the_median_gap_between_conversations(box):
    for day in (0, 10, 20, 30, 60):  # conversations start 10, 10, 10, 30 days apart
        first = box.mail("ann@a.com", ME, day, subject=f"topic {day}")
        for hours in (2, 20, 50):  # a burst of replies over two days is one conversation
            box.mail(ME, "ann@a.com", day + hours / 24, reply_to=first, thread=first)
    c = read.contact(updated(box.store), "ann@a.com", at(79))
    assert (c.cadence_days, c.cadence_source) == (10.0, "learned")
    assert c.cold_after_days == DEFAULT.cold_factor * 10
    assert not c.cold  # 79 - 62 = 17 days of silence
    assert read.contact(updated(box.store), "ann@a.com", at(83)).cold


def test_cadence_needs_history_and_has_a_floor(box):
    box.mail("new@a.com", ME, 0)
    box.mail("new@a.com", ME, 1)  # two conversations: one gap is not a pattern
    for day in range(4):
        box.mail("daily@a.com", ME, day)
    new = read.contact(updated(box.store), "new@a.com", at(2))
    assert (new.cadence_days, new.cadence_source) == (DEFAULT.default_cadence_days, "default")
    daily = read.contact(updated(box.store), "daily@a.com", at(3))
    assert daily.cadence_days == DEFAULT.cadence_floor_days


def test_cadence_overrides_by_contact_then_tag(box):
    for day in (0, 10, 20):
        box.mail("mum@a.com", ME, day)
        box.mail("mentor@a.com", ME, day)
    edits.tag(box.store, "mum@a.com", "Family")
    edits.set_cadence(box.store, "tag:family", parse_duration("7d"))
    mum = read.contact(updated(box.store), "mum@a.com", at(28))
    assert (mum.tags, mum.cadence_source, mum.cold_after_days, mum.cold) == (["family"], "tag:family", 7, True)
    edits.set_cadence(box.store, "mum@a.com", parse_duration("2w"))
    mum = read.contact(updated(box.store), "mum@a.com", at(28))
    assert (mum.cadence_source, mum.cold_after_days, mum.cold) == ("contact", 14, False)
    assert not read.contact(updated(box.store), "mentor@a.com", at(28)).cold  # learned 10d -> cold after 20


@pytest.mark.parametrize("text, days", [("14d", 14), ("2w", 14), ("3m", 90), ("1y", 365), ("10", 10)])
def test_parse_duration(text, days):
    assert parse_duration(text) == days


@pytest.mark.parametrize("text", ["", "d", "-3d", "0d", "soon", "nand"])
def test_parse_duration_rejects_nonsense(text):
    with pytest.raises(ValueError):
        parse_duration(text)


# -- ledger -------------------------------------------------------------------------


def test_favour_size_grows_with_money_and_minutes():
    assert favour_size("ask", "money", 50, None) == 1.0
    assert favour_size("ask", "money", 50_000, None) > favour_size("ask", "money", 500, None) > 1
    assert favour_size("ask", "time", None, 15) == 1.0
    assert favour_size("ask", "time", None, 240) == pytest.approx(1 + 3)  # half a day: 3 doublings of 30 min
    assert favour_size("give", "congrats", None, None) < favour_size("give", "intro", None, None)


def test_ledger_directions_and_balance(box):
    lend = Act("ask", "money", "Could you lend me $500 until June?", amount=500)
    thread = box.mail(ME, "ann@a.com", 1, subject="a favour", acts=[lend])
    box.mail("ann@a.com", ME, 2, reply_to=thread, thread=thread,
             acts=[Act("give", "offer", "Happy to help, sending it today.")])  # fmt: skip
    box.mail(ME, "ann@a.com", 3, reply_to=thread, thread=thread,
             acts=[Act("thanks", "", "Thank you so much, Ann!")])  # fmt: skip
    detail = read.contact_detail(updated(box.store), "ann@a.com", at(4))
    effects = [(e.direction, e.act.kind, e.weight) for e in detail.ledger]
    size = favour_size("ask", "money", 500, None)
    assert effects == [("sent", "ask", -size), ("received", "give", 0.0), ("sent", "thanks", 0.0)]
    assert detail.summary.balance == -size
    assert detail.summary.owed
    assert detail.summary.my_last_ask.sentence == "Could you lend me $500 until June?"
    assert detail.summary.my_last_ask.amount == 500
    assert detail.ledger[0].act.sentence == "Could you lend me $500 until June?"


def test_thanks_from_them_is_evidence_the_user_gave(box):
    ask = box.mail("bob@b.com", ME, 1, acts=[Act("ask", "review", "Would you look over my deck?")])
    box.mail("bob@b.com", ME, 5, reply_to=ask, thread=ask, acts=[Act("thanks", "", "Thanks for the notes!")])
    box.mail("cat@c.com", ME, 5, acts=[Act("thanks", "", "Thanks again for the coffee.")])
    bob = read.contact(updated(box.store), "bob@b.com", at(6))
    assert bob.balance == favour_size("ask", "review", None, None)  # sized by what they had asked
    assert (bob.given, bob.owed) == (1, False)
    assert bob.last_asked.subtype == "review"
    cat = read.contact(updated(box.store), "cat@c.com", at(6))
    assert cat.balance == DEFAULT.thanks_size


def test_asks_since_last_give_for_the_linter(box):
    box.mail(ME, "dan@d.com", 1, acts=[Act("ask", "advice", "Any advice on pricing?")])
    box.mail(ME, "dan@d.com", 2, acts=[Act("give", "resource", "Here is the report I mentioned.")])
    box.mail(ME, "dan@d.com", 3, acts=[Act("ask", "time", "Could you spare 30 minutes?", minutes=30)])
    box.mail(ME, "dan@d.com", 4, acts=[Act("ask", "intro", "Could you introduce me to Eve?", person="Eve")])
    ctx = read.recipient_context(updated(box.store), "DAN@d.com", at(5))
    assert (ctx.known, ctx.asks_since_last_give, ctx.given) == (True, 2, 1)
    assert 0 < ctx.strength <= 1
    unknown = read.recipient_context(updated(box.store), "stranger@x.com", at(5))
    assert (unknown.known, unknown.strength, unknown.referrer_address) == (False, 0.0, None)


def test_introduction_makes_the_introducer_the_referrer(box):
    intro = Act("introduction", "", "Meet Priya Raman, who runs design at Loop.", person="Priya Raman")
    mid = box.mail("Maria Gomez <maria@m.com>", [ME, "Priya Raman <priya@loop.io>"], 10,
                   cc=["Sam <sam@m.com>"], subject="Intro: you <> Priya", acts=[intro])  # fmt: skip
    now = at(11)
    priya = read.contact(updated(box.store), "priya@loop.io", now)
    assert priya is not None and priya.last is None  # known through the introduction alone
    assert [(r.referrer, r.referrer_name) for r in priya.referrers] == [("maria@m.com", "Maria Gomez")]
    maria = read.contact(updated(box.store), "maria@m.com", now)
    [referral] = maria.referrals
    assert (referral.person, referral.person_name, referral.owed) == ("priya@loop.io", "Priya Raman", "thanks")
    assert maria.balance == -DEFAULT.introduction_size and maria.owed
    ctx = read.recipient_context(updated(box.store), "priya@loop.io", now)
    assert (ctx.referrer_address, ctx.referrer_name) == ("maria@m.com", "Maria Gomez")
    assert "sam@m.com" not in by_address(box.store, now)  # cc'd on received mail: not a contact

    # reply-all thanking Maria and writing to Priya: thanked, and met
    box.mail(ME, ["priya@loop.io"], 10.5, reply_to=mid, thread=mid,
             acts=[Act("thanks", "", "Thanks Maria for connecting us!")])  # fmt: skip
    [referral] = read.contact(updated(box.store), "maria@m.com", at(12)).referrals
    assert referral.thanked and referral.met is not None and referral.owed == "update"
    box.mail(ME, "maria@m.com", 30, subject="Priya and I met")
    [referral] = read.contact(updated(box.store), "maria@m.com", at(31)).referrals
    assert referral.owed is None


def test_bcc_on_the_users_copy_counts_as_a_recipient(box):
    intro = Act("introduction", "", "Meet Priya Raman, who runs design at Loop.", person="Priya Raman")
    mid = box.mail("Maria Gomez <maria@m.com>", [ME, "Priya Raman <priya@loop.io>"], 10, acts=[intro])
    cache.recompute(box.store)
    # "moving Maria to Bcc": the thanks reaches her only through the Bcc of the user's own copy
    box.mail(ME, ["priya@loop.io"], 11, bcc=["maria@m.com"], reply_to=mid, thread=mid,
             acts=[Act("thanks", "", "Thanks Maria (moving you to Bcc)!")])  # fmt: skip
    for fold in ("incremental", "full"):
        if fold == "full":
            cache.recompute(box.store)
        maria = read.contact(updated(box.store), "maria@m.com", at(12))
        assert (maria.sent, maria.received) == (1, 1), fold
        ledger = read.contact_detail(updated(box.store), "maria@m.com", at(12)).ledger
        assert [(e.direction, e.act.kind) for e in ledger] == [("received", "introduction"), ("sent", "thanks")], fold
        assert maria.balance == -DEFAULT.introduction_size, fold  # the thanks is for the introduction
        [referral] = maria.referrals
        assert referral.thanked and referral.met is not None, fold


def test_a_bcc_recipient_shares_a_message_like_any_other(box):
    box.mail(ME, ["to@a.com"], 1, bcc=["bcc@b.com"])
    box.mail(ME, ["one@c.com", "two@c.com"], 1)
    for fold in ("incremental", "full"):
        if fold == "full":
            cache.recompute(box.store)
        found = by_address(box.store, at(2))
        assert found["bcc@b.com"].sent == 1, fold
        assert {found[a].strength for a in ("to@a.com", "bcc@b.com", "one@c.com")} == {found["two@c.com"].strength}


def test_the_linter_learns_whether_the_user_has_written_since_the_introduction(box):
    intro = Act("introduction", "", "Meet Priya Raman, who runs design at Loop.", person="Priya Raman")
    box.mail("Maria Gomez <maria@m.com>", [ME, "Priya Raman <priya@loop.io>"], 10, acts=[intro])
    box.mail(ME, "priya@loop.io", 5, subject="before the introduction")  # does not count
    box.mail("priya@loop.io", ME, 11, subject="Priya wrote first")  # neither does mail from her
    assert not read.recipient_context(updated(box.store), "priya@loop.io", at(12)).wrote_since_introduction
    box.mail(ME, "priya@loop.io", 12, subject="first note")
    assert read.recipient_context(updated(box.store), "priya@loop.io", at(13)).wrote_since_introduction
    assert not read.recipient_context(updated(box.store), "maria@m.com", at(13)).wrote_since_introduction  # no referrer


def test_introduced_person_resolved_by_first_name_or_address(box):
    intro = Act("introduction", "", "I'd like you to meet Tom.", person="Tom")
    box.mail("ref@r.com", [ME, "Thomas Ng <tng@x.com>", "Tom Hale <th@y.com>"], 1, acts=[intro])
    box.mail("ref2@r.com", [ME, "tom.b@z.com", "zed@z.com"], 1, acts=[intro])
    box.mail("ref3@r.com", [ME, "only@z.com"], 1, acts=[Act("introduction", "", "Meet my colleague.")])
    now = at(2)
    assert [r.person for r in read.contact(updated(box.store), "ref@r.com", now).referrals] == ["th@y.com"]
    assert [r.person for r in read.contact(updated(box.store), "ref2@r.com", now).referrals] == ["tom.b@z.com"]
    assert [r.person for r in read.contact(updated(box.store), "ref3@r.com", now).referrals] == ["only@z.com"]


# -- merges, identity, metadata-only ------------------------------------------------


def test_merge_survives_new_mail(box):
    box.mail("Ann <ann@work.com>", ME, 1)
    box.mail("Ann <ann@home.net>", ME, 2)
    edits.tag(box.store, "ann@home.net", "friends")
    assert edits.merge(box.store, "ann@work.com", "ann@home.net") == "ann@work.com"
    box.mail("Ann <ann@home.net>", ME, 3)  # a later sync brings more mail from the alias
    found = by_address(box.store, at(4))
    assert "ann@home.net" not in found
    assert found["ann@work.com"].received == 3
    assert found["ann@work.com"].tags == ["friends"]
    detail = read.contact_detail(updated(box.store), "ann@home.net", at(4))
    assert detail.summary.address == "ann@work.com" and detail.aliases == ["ann@home.net"]
    cache.recompute(box.store)
    assert by_address(box.store, at(4))["ann@work.com"].received == 3


def test_identity_change_rebuilds(box):
    box.mail("old-me@example.org", "ann@a.com", 1)  # sent from an address not yet known as the user's
    assert set(by_address(box.store, at(2))) == {"old-me@example.org"}
    box.store.set_identity([ME, "old-me@example.org"], "config")
    found = by_address(box.store, at(2))
    assert set(found) == {"ann@a.com"} and found["ann@a.com"].sent == 1


def test_metadata_only_store_gives_the_same_figures(tmp_path):
    results = []
    for bodies in (True, False):
        b = Box(tmp_path / f"{bodies}.db", store_bodies=bodies)
        b.mail(ME, "ann@a.com", 1, acts=[Act("ask", "money", "Could you lend me $500?", amount=500)])
        b.mail("ann@a.com", ME, 2, acts=[Act("thanks", "", "Thanks for lunch.")])
        assert b.store.conn.execute("SELECT count(*) FROM messages WHERE text IS NULL").fetchone()[0] == (
            0 if bodies else 2
        )
        results.append([c.as_row() for c in read.contacts(updated(b.store), at(3))])
        b.store.close()
    assert results[0] == results[1]


# -- incremental equals full ---------------------------------------------------------


def _random_mailbox(box, rng, n, start_day=0):
    people = [f"p{i}@x.com" for i in range(12)] + ["support@x.com"]
    kinds = [None, Act("ask", "money", "Lend me $900?", amount=900), Act("thanks", "", "Thanks!"),
             Act("give", "resource", "Here's the link."), Act("ask", "time", "An hour?", minutes=60)]  # fmt: skip
    ids = []
    for i in range(n):
        day = start_day + i * rng.random() * 2
        other = rng.sample(people, rng.choice([1, 1, 1, 2, 5]))
        act = rng.choice(kinds)
        reply = rng.choice(ids) if ids and rng.random() < 0.3 else None
        if rng.random() < 0.2:  # an introduction of one co-recipient
            act = Act("introduction", "", "Meet them.", person=None)
            ids.append(box.mail(rng.choice(people), [ME, other[0]], day, acts=[act]))
        elif rng.random() < 0.5:
            ids.append(box.mail(ME, other, day, acts=[act] if act else [], reply_to=reply))
        else:
            ids.append(box.mail(other[0], [ME, *other[1:]], day, acts=[act] if act else [], reply_to=reply))


def _snapshot(store, now):
    rows = [c.as_row() for c in read.contacts(updated(store), now)]
    for row in rows:
        row["strength_raw"] = round(row["strength_raw"], 6)
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_refresh_matches_full_recompute(tmp_path, seed):
    rng = random.Random(seed)
    box = Box(tmp_path / "inc.db")
    _random_mailbox(box, rng, 60)
    cache.update(box.store)  # builds the cache
    _random_mailbox(box, rng, 40, start_day=100)  # more mail arrives, one message at a time...
    edits.merge(box.store, "p1@x.com", "p2@x.com")
    incremental = _snapshot(box.store, at(200))  # ...folded in incrementally
    assert box.store.get_meta("relationships.last_message_id") == str(box.store.last_message_id())
    cache.recompute(box.store)
    assert incremental == _snapshot(box.store, at(200))
    box.store.close()


def _cache(store):
    """The cached figures as stored: every contact, and the referrals in the order written."""
    contacts = [tuple(r) for r in store.conn.execute("SELECT * FROM contact_cache ORDER BY address")]
    referrals = [tuple(r) for r in store.conn.execute("SELECT * FROM referral_cache ORDER BY rowid")]
    return contacts, referrals


def test_referrals_are_named_after_the_person_whether_refreshed_or_recomputed(tmp_path):
    box = Box(tmp_path / "intro.db")
    box.mail("Priya Shah <priya@x.com>", ME, 1)
    cache.update(box.store)
    meet = Act("introduction", "", "Meet Priya.", person="Priya")
    for i in range(6):  # Priya's name is on her own mail, not on the introductions
        box.mail(f"p{i}@x.com", [ME, "priya@x.com"], 2 + i, acts=[meet])
        cache.refresh(box.store, {f"p{i}@x.com", "priya@x.com"})
    refreshed = _cache(box.store)
    cache.recompute(box.store)
    contacts, referrals = _cache(box.store)
    assert [row[3] for row in referrals if row[2] == "priya@x.com"] == ["Priya Shah"] * 6
    assert sorted(refreshed[0]) == sorted(contacts)
    assert sorted(refreshed[1], key=repr) == sorted(referrals, key=repr)
    box.store.close()


def test_reads_never_write(box):
    box.mail("ann@a.com", ME, 1)
    cache.update(box.store)
    box.mail("bob@b.com", ME, 2)  # stored after the cache was brought up to date
    box.store.set_identity([ME, "me2@example.org"], "config")  # and the identity changed: the cache is stale
    before = _cache(box.store), box.store.conn.execute("SELECT * FROM meta ORDER BY key").fetchall()
    assert [c.address for c in read.contacts(box.store, at(3))] == ["ann@a.com"]
    assert read.contact(box.store, "bob@b.com", at(3)) is None
    assert not read.recipient_context(box.store, "bob@b.com", at(3)).known
    assert read.contact_detail(box.store, "ann@a.com", at(3)) is not None
    assert (_cache(box.store), box.store.conn.execute("SELECT * FROM meta ORDER BY key").fetchall()) == before
    assert cache.is_stale(box.store)
    assert cache.update(box.store) == 2  # the explicit step: a full recompute
    assert not cache.is_stale(box.store) and not cache.is_behind(box.store)
    assert read.contact(box.store, "bob@b.com", at(3)) is not None


def test_refresh_touches_only_the_contacts_given(box):
    for i in range(20):
        box.mail(ME, f"p{i}@x.com", i)
    cache.recompute(box.store)
    box.mail("p3@x.com", ME, 30)
    assert cache.refresh(box.store, {"p3@x.com"}) == 1


def test_params_change_rebuilds_cache(box):
    box.mail("ann@a.com", ME, 0)
    box.mail(ME, "bob@b.com", 0)
    default = by_address(box.store, at(1))
    params = Params(sent_weight=10.0)
    heavy = {c.address: c for c in read.contacts(updated(box.store, params), at(1), params)}
    assert heavy["bob@b.com"].strength / heavy["ann@a.com"].strength == pytest.approx(10.0)
    assert default["bob@b.com"].strength / default["ann@a.com"].strength == pytest.approx(2.0)


def test_read_only_store_uses_the_cached_figures(tmp_path):
    from outreach.store.db import Store

    box = Box(tmp_path / "ro.db")
    box.mail("ann@a.com", ME, 1)
    cache.update(box.store)  # cached
    box.mail("bob@b.com", ME, 2)  # stored after the cache was built
    box.store.close()
    with Store.open(tmp_path / "ro.db", readonly=True) as store:
        assert read.recipient_context(updated(store), "ann@a.com", at(3)).known
        assert not read.recipient_context(updated(store), "bob@b.com", at(3)).known  # not folded in: read-only
        assert [c.address for c in read.contacts(updated(store), at(3))] == ["ann@a.com"]
    with Store.open(tmp_path / "ro.db") as store:
        assert read.recipient_context(updated(store), "bob@b.com", at(3)).known


def test_a_read_only_store_not_yet_migrated_still_gives_its_cached_figures(tmp_path):
    from outreach.store.db import Store

    box = Box(tmp_path / "old.db")
    box.mail("ann@a.com", ME, 1)
    cache.update(box.store)  # cached
    box.store.conn.execute("DELETE FROM schema_version WHERE version > 2")  # as an older outreach left it
    box.store.close()
    with Store.open(tmp_path / "old.db", readonly=True) as store:  # the linter's: it never migrates
        assert read.recipient_context(updated(store), "ann@a.com", at(3)).known


@pytest.mark.parametrize("enabled", [True, False])
def test_recompute_leaves_the_garbage_collector_as_it_found_it(box, enabled):
    box.mail("ann@x.com", ME, 1)
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert cache.recompute(box.store) == 1
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
    assert [c.address for c in box.store.cached_contacts()] == ["ann@x.com"]

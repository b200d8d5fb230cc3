"""Whose act it is: a received message's acts count toward the user only when the user is named in To or Cc.

Real messages, written byte for byte (tests/support/mail.py), synced from a Maildir with the
real parser and act detector, then folded: the same words count when they are addressed to
the user, and not when the user only got a copy (Bcc, undisclosed recipients, a list).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from outreach.ingest import sync
from outreach.ingest.sources.local import MaildirSource
from outreach.network import cache
from outreach.network import contacts as read
from outreach.store.db import Store
from tests.support import mail

ME = "alex@example.org"
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
NOW = T0 + timedelta(days=30)
# a genuine thanks and a favour ask: what the ledger counts, from the sender's side
TEXT = (
    "Hi Alex,\n\nThank you so much for your help with the grant filing last week, it made all the difference.\n\n"
    "Could you introduce me to your colleague at the Stanford lab?\n\nBest,\nDana\n"
)
# sender -> (To, Cc, Bcc, extra headers)
CASES = {
    "to@a.example": ([f"Alex Kim <{ME}>"], [], [], []),
    "cc@a.example": (["Robin <robin@a.example>"], [f"Alex Kim <{ME}>"], [], []),
    "to-and-bcc@a.example": ([ME], [], [ME], []),
    "bcc@a.example": (["Robin <robin@a.example>"], [], [f"Alex Kim <{ME}>"], []),
    "undisclosed@a.example": (["undisclosed-recipients:;"], [], [], []),
    "unlisted@a.example": (["Board <board@groups.example>"], [], [], []),  # a group address, no list headers
    "listed@a.example": ([ME], [], [], [("List-Id", "<board.groups.example>")]),
}
DIRECT = {"to@a.example", "cc@a.example", "to-and-bcc@a.example"}


def message(number: int, sender: str, to: list[str], cc: list[str], bcc: list[str], extra: list) -> bytes:
    headers = [("From", mail.mailbox("Dana " + sender.split("@")[0].title(), sender)),
               ("To", mail.address_list(to))]  # fmt: skip
    if cc:
        headers.append(("Cc", mail.address_list(cc)))
    if bcc:
        headers.append(("Bcc", mail.address_list(bcc)))
    headers += [("Subject", "The filing"), ("Date", format_datetime(T0 + timedelta(hours=number))),
                ("Message-ID", f"<{number}.{sender}>"), *extra]  # fmt: skip
    return mail.message(headers, mail.part('text/plain; charset="utf-8"', TEXT.encode(), "7bit"))


def synced(tmp_path, senders) -> Store:
    box = mail.Maildir(tmp_path / "Mail", ["INBOX", "Sent"])
    for number, sender in enumerate(senders):
        box.add("INBOX", message(number, sender, *CASES[sender]), 1_770_000_000 + number, number, 1, "test")
    store = Store.open(tmp_path / "store.db")
    sync.run(store, MaildirSource(tmp_path / "Mail"), me=[ME])
    cache.update(store)
    return store


@pytest.fixture
def store(tmp_path):
    with synced(tmp_path, CASES) as s:
        yield s


def test_the_detector_sees_the_acts_in_every_copy(store):
    """The premise: every personal copy carries the same acts; only whom it was addressed to differs."""
    counts = store.conn.execute("SELECT m.from_addr, m.automated, count(a.id) FROM messages m LEFT JOIN acts a"
                                " ON a.message = m.id GROUP BY m.from_addr").fetchall()  # fmt: skip
    assert {sender: (automated, n) for sender, automated, n in counts} == {
        **{sender: (None, 2) for sender in CASES}, "listed@a.example": ("list-id", 0)}  # fmt: skip


@pytest.mark.parametrize("sender", sorted(DIRECT))
def test_acts_count_when_the_user_is_named_in_to_or_cc(store, sender):
    detail = read.contact_detail(store, sender, NOW)
    assert [(e.direction, e.act.kind) for e in detail.ledger] == [("received", "thanks"), ("received", "ask")]
    assert detail.summary.given == 1 and detail.summary.balance > 0  # their thanks: evidence the user helped
    assert detail.summary.received == 1


@pytest.mark.parametrize("sender", sorted(set(CASES) - DIRECT - {"listed@a.example"}))
def test_a_copy_the_user_was_not_named_on_carries_no_acts_but_still_counts_as_mail(store, sender):
    summary = read.contact(store, sender, NOW)
    assert summary is not None and summary.received == 1  # they did write; the mail still counts
    assert (summary.balance, summary.given, summary.favours_received) == (0, 0, 0)
    assert summary.last_asked is None
    assert read.contact_detail(store, sender, NOW).ledger == []


def test_list_mail_is_not_personal_at_all(store):
    assert read.contact(store, "listed@a.example", NOW) is None


def test_an_incremental_refresh_applies_the_same_rule(tmp_path):
    first, second = sorted(CASES)[::2], sorted(CASES)[1::2]
    with synced(tmp_path / "a", first) as s:
        box = mail.Maildir(tmp_path / "a" / "Mail", ["INBOX"])
        for number, sender in enumerate(second, start=len(first)):
            box.add("INBOX", message(number, sender, *CASES[sender]), 1_770_000_000 + number, number, 1, "test")
        sync.run(s, MaildirSource(tmp_path / "a" / "Mail"), me=[ME])
        assert not cache.is_stale(s)
        cache.update(s)  # a refresh of the contacts the second sync touched
        refreshed = sorted(map(repr, s.cached_contacts()))
        cache.recompute(s)
        assert sorted(map(repr, s.cached_contacts())) == refreshed
        assert {c.address for c in s.cached_contacts() if c.given} == DIRECT

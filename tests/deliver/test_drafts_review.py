"""The recipe for clients that send by SMTP themselves (Thunderbird): the daemon reviews Drafts.

Against the session's Dovecot: a draft saved in Drafts with lint errors gets the IMAP keyword
$OutreachReview (OUTREACH_DRAFT_KEYWORD=1), a clean one does not, and `outreach status` and the
weekly digest list the one to look at, as the README says.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from outreach.cli import main
from outreach.service import digest
from outreach.service.daemon import Job
from outreach.service.review import KEYWORD, DraftReviewer
from outreach.store.db import Store

pytestmark = pytest.mark.imap

ME = "alex@morgan.example"
BAD = "Hi Bo,\n\nI need you to lend me $50,000 by Friday.\n\nAlex\n"
GOOD = "Hi Bo,\n\nThanks again for the intro to Priya last month; we met on Tuesday and it went well.\n\nAlex\n"


def saved_draft(subject: str, body: str) -> bytes:
    text = (f"From: Alex Morgan <{ME}>\nTo: Bo <bo@example.org>\nSubject: {subject}\n"
            f"Message-ID: <{subject.replace(' ', '.')}@morgan.example>\n\n{body}")
    return text.replace("\n", "\r\n").encode()


def keywords(dovecot, user: str) -> dict[str, set[bytes]]:
    with dovecot.session(user) as client:
        client.select_folder("Drafts", readonly=True)
        found = client.fetch(client.search(["ALL"]), ["FLAGS", "BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
    return {item[b"BODY[HEADER.FIELDS (SUBJECT)]"].decode().split(":", 1)[1].strip(): set(item[b"FLAGS"])
            for item in found.values()}


def test_a_draft_with_findings_gets_the_review_keyword_and_is_listed_by_status_and_digest(
        tmp_path, dovecot, imap_user, imap_account, no_settings, capsys):
    dovecot.append("Drafts", [saved_draft("a favour", BAD), saved_draft("thanks", GOOD)], flags=["\\Draft"],
                   user=imap_user.name)
    db = tmp_path / "outreach.db"
    with Store.open(db) as store:
        DraftReviewer(keyword=True).review(store, Job(lambda: None, "imap:test", account=imap_account))
        note = digest.build(store, datetime(2026, 11, 30, 8, tzinfo=UTC), ME, "Alex")
    week = note.get_body(preferencelist=("plain",)).get_content()
    flags = keywords(dovecot, imap_user.name)
    assert KEYWORD == "$OutreachReview"  # the tag name the README tells Thunderbird users to create
    assert KEYWORD.encode() in flags["a favour"] and KEYWORD.encode() not in flags["thanks"]
    assert main(["status", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "drafts with findings: 1" in out and "'a favour' to bo@example.org" in out and "OUT101" in out
    assert "'thanks'" not in out
    assert "Drafts that need another look" in week and "'a favour' to bo@example.org" in week
    assert "'thanks'" not in week

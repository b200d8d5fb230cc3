"""The cheap FETCH reader: shapes imaplib hands over, and odd messages through the real server."""

from __future__ import annotations

import pytest

from outreach.ingest.sources.imap import connect
from outreach.ingest.sources.imap_fetch import fetch_heads, parse_fetch, sequence_set


def test_reads_literals_whatever_the_item_order_and_skips_what_it_did_not_ask_for():
    data = [
        (b"1 (UID 7 BODY[HEADER] {9}", b"Subject: a"),
        (b" BODY[TEXT]<0> {5}", b"hello"),
        b")",
        b"2 (FLAGS (\\Seen) UID 8)",  # unsolicited: no literal, not a message we fetched
        (b"3 (BODY[HEADER] {9}", b"Subject: c"),
        (b" BODY[TEXT]<0> {3}", b"bye"),
        b" UID 9)",  # UID after the literals
        (b"4 (UID 10 BODY[HEADER] {9}", b"Subject: d"),
        b' BODY[TEXT]<0> "")',  # empty body sent inline
    ]
    assert parse_fetch(data) == {7: b"Subject: ahello", 9: b"Subject: cbye", 10: b"Subject: d"}
    assert parse_fetch([None]) == {}


def test_sequence_sets_are_compact():
    assert sequence_set([5, 1, 2, 3, 7, 9, 10, 11]) == "1:3,5,7,9:11"
    assert sequence_set([4]) == "4"


@pytest.mark.imap
def test_odd_messages_survive_the_real_server(dovecot, imap_account):
    user = imap_account.user
    odd = [
        b"Subject: headers only\r\nMessage-ID: <h@x>\r\n\r\n",
        b"Subject: no blank line\r\nMessage-ID: <n@x>",
        b"Subject: tiny\r\nMessage-ID: <t@x>\r\n\r\nx",
        b"Subject: big\r\nMessage-ID: <b@x>\r\n\r\n" + b"0123456789" * 5000,
    ]
    dovecot.append("INBOX", odd, user=user)
    client = connect(imap_account)
    try:
        client.select_folder("INBOX", readonly=True)
        found = fetch_heads(client, [1, 2, 3, 4, 99], text_bytes=100)
    finally:
        client.logout()
    assert sorted(found) == [1, 2, 3, 4]
    assert found[1].endswith(b"\r\n\r\n") and found[3].endswith(b"\r\n\r\nx")
    assert b"no blank line" in found[2]
    assert found[4].endswith(b"\r\n\r\n" + (b"0123456789" * 10))

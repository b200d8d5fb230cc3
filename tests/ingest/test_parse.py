"""Parser behaviour on hand-written messages covering each rule it implements."""

from datetime import UTC, datetime

import pytest

from outreach.ingest.parse import ParseError, html_to_text, parse, strip_quotes_and_signature


def msg(headers: str, body: str = "Hello there.\n", newline: str = "\n") -> bytes:
    text = headers.strip("\n") + "\n\n" + body
    return text.replace("\n", newline).encode("utf-8")


def test_addresses_are_normalised_and_names_decoded():
    m = parse(
        msg(
            "From: =?UTF-8?Q?Jos=C3=A9_Garc=C3=ADa?= <Jose.Garcia@Example.COM>\n"
            'To: "Priya Raman" <PRIYA@example.org>, bob@example.org\n'
            "Cc: Carol <carol@example.org>, bob@example.org\n"
            "Subject: =?utf-8?b?SGVsbG8g8J+Ri2E=?=\n"
            "Message-ID: <abc@example.com>\n"
            "Date: Tue, 03 Mar 2026 10:00:00 +0100\n"
        ),
        "INBOX",
    )
    assert m.sender.address == "jose.garcia@example.com"
    assert m.sender.name == "José García"
    assert [(a.address, a.name) for a in m.to] == [("priya@example.org", "Priya Raman"), ("bob@example.org", "")]
    assert [a.address for a in m.cc] == ["carol@example.org", "bob@example.org"]
    assert m.bcc == []
    sent_copy = parse(msg("From: me@example.com\nTo: a@example.org\nBcc: Helen <Helen@example.org>\n"), "Sent")
    assert [(a.address, a.name) for a in sent_copy.bcc] == [("helen@example.org", "Helen")]
    assert m.subject == "Hello 👋a"
    assert m.key == m.message_id == "abc@example.com"
    assert m.date == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert m.date_problem is None


def test_threading_headers_kept():
    m = parse(
        msg(
            "From: a@example.com\nMessage-ID: <3@x>\nIn-Reply-To: <2@x>\n"
            "References: <1@x>\n <2@x>\nSubject: Re: plan\n"
        ),
        "INBOX",
    )
    assert m.in_reply_to == "2@x"
    assert m.references == ["1@x", "2@x"]
    assert m.thread_id == "1@x"


@pytest.mark.parametrize(
    ("date_header", "problem"),
    [
        ("", "missing"),
        ("Date: someday soon\n", "unparseable"),
        ("Date: 32 Foo 2020 99:99\n", "unparseable"),
        ("Date: Tue, 05 Aug 2025 25:71:00 -0600\n", "unparseable"),
        ("Date: Tue, 35 Aug 2025 10:00:00 -0600\n", "unparseable"),
    ],
)
def test_missing_or_broken_dates_are_reported_not_guessed(date_header, problem):
    m = parse(msg(f"From: a@example.com\nSubject: x\n{date_header}"), "INBOX")
    assert m.date is None
    assert m.date_problem == problem


def test_missing_date_falls_back_to_received_and_says_so():
    m = parse(
        msg("Received: from a by b; Wed, 04 Mar 2026 08:00:00 +0000\nFrom: a@example.com\nSubject: x\n"), "INBOX"
    )
    assert m.date == datetime(2026, 3, 4, 8, 0, tzinfo=UTC)
    assert m.date_problem == "missing; taken from Received"


def test_missing_message_id_gets_a_stable_fallback_key():
    raw = msg("From: a@example.com\nTo: b@example.com\nSubject: x\nDate: Tue, 03 Mar 2026 10:00:00 +0000\n")
    first, second = parse(raw, "INBOX"), parse(raw.replace(b"\n", b"\r\n"), "Sent")
    assert first.message_id is None
    assert first.key.startswith("sha256:")
    assert first.key == second.key  # the same message copied elsewhere
    assert parse(raw.replace(b"Hello", b"Howdy"), "INBOX").key != first.key  # another note, same headers
    other = parse(raw.replace(b"Subject: x", b"Subject: y"), "INBOX")
    assert other.key != first.key


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("List-Id: <news.example.com>", "list-id"),
        ("List-Unsubscribe: <mailto:u@example.com>", "list-unsubscribe"),
        ("Precedence: bulk", "precedence"),
        ("Precedence: junk", "precedence"),
        ("Auto-Submitted: auto-replied", "auto-submitted"),
        ("Return-Path: <>", "null-return-path"),
        ("Content-Type: multipart/report; report-type=delivery-status; boundary=x", "delivery-report"),
    ],
)
def test_automated_mail_is_marked(header, reason):
    assert parse(msg(f"From: a@example.com\nSubject: x\n{header}\n"), "INBOX").automated == reason


@pytest.mark.parametrize("sender", ["noreply@github.com", "no-reply@x.org", "do_not_reply@y.com", "MAILER-DAEMON@z"])
def test_no_reply_senders_are_automated(sender):
    assert parse(msg(f"From: {sender}\nSubject: x\n"), "INBOX").automated is not None


def test_personal_mail_is_not_automated():
    m = parse(msg("From: friend@example.com\nSubject: lunch?\nAuto-Submitted: no\nPrecedence: normal\n"), "INBOX")
    assert m.automated is None


def test_crlf_and_bare_cr_line_endings():
    for newline in ("\r\n", "\r"):
        m = parse(msg("From: a@example.com\nSubject: hi\n", "Line one.\nLine two.\n", newline), "INBOX")
        assert m.subject == "hi"
        assert m.text == "Line one.\nLine two."


def test_quoted_printable_and_charset():
    body = "Caf=E9 au lait =\nis fine.\n"
    m = parse(
        msg(
            "From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=iso-8859-1\n"
            "Content-Transfer-Encoding: quoted-printable\n",
            body,
        ),
        "INBOX",
    )
    assert m.text == "Café au lait is fine."


def test_unknown_charset_and_invalid_bytes_do_not_fail():
    raw = b"From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=x-nonsense\n\nbad \xff\xfe bytes\n"
    assert "bad" in parse(raw, "INBOX").text


def test_eight_bit_header_bytes_are_decoded():
    raw = "From: Zoë <zoe@example.com>\nSubject: Grüße\n\nhi\n".encode("latin-1")
    m = parse(raw, "INBOX")
    assert m.sender.name == "Zoë"
    assert m.subject == "Grüße"


def test_multipart_prefers_plain_and_skips_attachments():
    body = (
        "--outer\nContent-Type: multipart/alternative; boundary=inner\n\n"
        "--inner\nContent-Type: text/html\n\n<p>HTML version</p>\n"
        "--inner\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nUGxhaW4gdmVyc2lvbg==\n"
        "--inner--\n"
        "--outer\nContent-Type: text/plain\nContent-Disposition: attachment; filename=a.txt\n\nATTACHED\n"
        "--outer--\n"
    )
    m = parse(msg('From: a@example.com\nSubject: x\nContent-Type: multipart/mixed; boundary="outer"\n', body), "I")
    assert m.text == "Plain version"


def test_html_only_body_becomes_text():
    body = (
        "<html><head><style>p{color:red}</style></head><body><p>Hi Sam,</p><p>Great news &amp; congrats!</p>"
        "<blockquote>old quoted text</blockquote><script>alert(1)</script></body></html>"
    )
    m = parse(msg("From: a@example.com\nSubject: x\nContent-Type: text/html; charset=utf-8\n", body), "INBOX")
    assert m.text == "Hi Sam,\n\nGreat news & congrats!"
    assert "quoted" not in html_to_text(body)


def test_truncated_multipart_still_yields_text():
    body = "--b\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nVGhpcyBpcyB0aGUgc3RhcnQgb2YgYSBsb25n"
    m = parse(msg("From: a@example.com\nSubject: x\nContent-Type: multipart/mixed; boundary=b\n", body), "INBOX")
    assert m.text.startswith("This is the start of a long")


def test_quoted_reply_and_signature_are_stripped():
    text = (
        "Thanks Sam, that helps a lot.\n\nSee you Tuesday.\n\n"
        "On Mon, 2 Mar 2026 at 10:00, Sam Lee <sam@example.com>\nwrote:\n> earlier text\n> more\n"
    )
    assert strip_quotes_and_signature(text) == "Thanks Sam, that helps a lot.\n\nSee you Tuesday."
    assert strip_quotes_and_signature("Hello.\n-- \nAlex Morgan\nCEO\n") == "Hello."
    assert strip_quotes_and_signature("Hi.\n\nSent from my iPhone\n") == "Hi."
    outlook = "Sure thing.\n\nFrom: Sam Lee\nSent: Monday\nTo: Alex\nSubject: x\n\nold"
    assert strip_quotes_and_signature(outlook) == "Sure thing."
    assert strip_quotes_and_signature("Me:\n> quoted\nmy reply\n") == "Me:\n\nmy reply"  # a quote ends a paragraph


def test_answers_below_and_between_quotes_are_the_authors():
    bottom = ("On Tue, 6 May 2025 at 08:02, Ann Lee <ann@example.org> wrote:\n> Are you free Thursday?\n> Ann\n\n"
              "Thursday works. Could you bring the site plans?\n\nBo\n")  # fmt: skip
    assert strip_quotes_and_signature(bottom) == "Thursday works. Could you bring the site plans?\n\nBo"
    inline = "Hi Ann,\n\n> Are you free Thursday?\nYes, after 2.\n\n> Any news on the permit?\nNot yet.\n"
    assert strip_quotes_and_signature(inline) == "Hi Ann,\n\nYes, after 2.\n\nNot yet."
    unquoted = "Yes, after 2.\n\nOn Tue, 6 May 2025, Ann Lee wrote:\nAre you free Thursday?\n"  # HTML-quoted, flattened
    assert strip_quotes_and_signature(unquoted) == "Yes, after 2."


@pytest.mark.parametrize("raw", [b"", b"   \n\n", b"just some text without headers\n", b"\x00\x01\x02"])
def test_not_mail_is_a_parse_error(raw):
    with pytest.raises(ParseError):
        parse(raw, "INBOX")


def test_mbox_from_line_at_top_is_ignored():
    m = parse(b"From someone@example.com Mon Jan  1 00:00:00 2026\nFrom: a@example.com\nSubject: s\n\nbody\n", "I")
    assert m.sender.address == "a@example.com"


def test_pathological_mime_is_bounded():
    nested = "".join(f"--b{i}\nContent-Type: multipart/mixed; boundary=b{i + 1}\n\n" for i in range(200))
    m = parse(msg("From: a@example.com\nSubject: x\nContent-Type: multipart/mixed; boundary=b0\n", nested), "I")
    assert m.text == ""


@pytest.mark.parametrize(
    "value",
    [
        "A <a@x.com>, b@y.com",
        "=?utf-8?q?Jos=C3=A9?= <j@x.com>",
        "<a@x.com>",
        "a@x.com,",
        "Bob Smith <bob@x.com >, Carol <carol@x.org>",
        '"Smith, Bob" <bob@x.com>, (comment) c@x.com',
        "undisclosed-recipients:;",
    ],
)
def test_fast_address_split_agrees_with_the_standard_library(value):
    from email.utils import getaddresses

    from outreach.ingest.parse import _split_addresses

    def real(pairs):
        return [(n, a) for n, a in pairs if a]

    assert real(_split_addresses(value)) == real(getaddresses([value]))


@pytest.mark.parametrize(
    "raw",
    [
        "Tue, 03 Mar 2026 10:00:00 +0000",
        "3 Mar 2026 10:00 -0730",
        "Tue,  3 Mar 2026 23:59:59 +1400 (CET)",
        "Sat, 31 Dec 2025 23:30:00 -0100",
        "Mon, 30 Feb 2026 10:00:00 +0000",  # the general parser's answer, whatever it is
        "Tue, 03 Mar 2026 25:00:00 +0000",  # refused
        "Tue, 03 Mar 1969 10:00:00 +0000",  # refused
    ],
)
def test_common_dates_are_read_as_the_general_parser_reads_them(raw):
    from email.utils import mktime_tz, parsedate_tz

    parts = parsedate_tz(raw)
    valid = 1970 <= parts[0] <= 2200 and 0 <= parts[3] <= 23
    expected = datetime.fromtimestamp(mktime_tz(parts), tz=UTC) if valid else None
    m = parse(msg(f"From: a@example.com\nDate: {raw}\n"), "INBOX")
    assert m.date == expected

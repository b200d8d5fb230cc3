"""The shared mail writer: what it writes parses back to what it was given."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email import policy
from pathlib import Path

import pytest

from tests.support import mail


def parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=policy.default)


@pytest.mark.parametrize("how", ["Q", "B", None])
def test_non_ascii_names_read_back(how: str | None) -> None:
    value = mail.mailbox("Émilie Dubois-Ñ", "emilie@summit.example", how)
    raw = mail.head([("From", value), ("Subject", mail.phrase("Zürich 50% off!", how))]) + b"\n"
    assert raw.isascii() == (how is not None)
    msg = email.message_from_string(raw.decode("utf-8"), policy=policy.default)  # raw UTF-8 headers: RFC 6532
    (addr,) = msg["From"].addresses
    assert (addr.display_name, addr.addr_spec) == ("Émilie Dubois-Ñ", "emilie@summit.example")
    assert msg["Subject"] == "Zürich 50% off!"
    assert not msg.defects


def test_names_with_specials_are_quoted_and_bare_addresses_stay_bare() -> None:
    assert mail.mailbox("J. R. Smith", "jr@x.example") == '"J. R. Smith" <jr@x.example>'
    assert mail.mailbox("", "jr@x.example") == "jr@x.example"
    msg = parse(mail.head([("To", mail.address_list(["A. B <a@x.example>", '"A. B" <b@x.example>']))]) + b"\n")
    assert [a.addr_spec for a in msg["To"].addresses] == ["a@x.example", "b@x.example"]


def test_multipart_message_parses_into_its_parts() -> None:
    text = "Grüße,\nAlex\n"
    body = mail.multipart([mail.part('text/plain; charset="utf-8"', text.encode(), "quoted-printable"),
                           mail.part('text/html; charset="utf-8"', b"<p>Gr\xc3\xbc\xc3\x9fe</p>", "base64")], "b0")
    hop = mail.received("mail.x.example", "mail.x.example", "198.51.100.7", "mx1.y.example (Postfix)", "ESMTPS",
                        "ABC", datetime(2026, 1, 2, 3, 4, tzinfo=UTC), recipient="me@y.example", zone_comment="UTC")
    msg = parse(mail.message([hop, ("Subject", "hi"), ("MIME-Version", "1.0")], body))
    assert not msg.defects
    assert msg.get_content_type() == "multipart/alternative"
    assert msg.get_body(preferencelist=("plain",)).get_content() == text
    assert msg.get_body(preferencelist=("html",)).get_content() == "<p>Grüße</p>"
    assert msg["Received"].endswith("for <me@y.example>; Fri, 02 Jan 2026 03:04:00 +0000 (UTC)")


def test_maildir_files_names_folders_and_refuses_to_overwrite(tmp_path: Path) -> None:
    box = mail.Maildir(tmp_path, ("INBOX", "Sent"))
    assert (tmp_path / ".Sent" / "maildirfolder").is_file() and (tmp_path / "tmp").is_dir()
    data = b"Subject: x\n\nhello\n"
    seen = box.add("Sent", data, seconds=100, micro=5, pid=7, host="h", flags="RS", mtime=50.0)
    unseen = box.add("INBOX", data, seconds=100, micro=5, pid=7, host="h", flags=None)
    assert seen == f".Sent/cur/100.M5P7.h,S={len(data)}:2,RS"
    assert unseen == f"new/100.M5P7.h,S={len(data)}"
    assert (tmp_path / seen).read_bytes() == data and (tmp_path / seen).stat().st_mtime == 50.0
    with pytest.raises(FileExistsError):
        box.add("INBOX", data, seconds=100, micro=5, pid=7, host="h", flags=None)
    assert (tmp_path / unseen).read_bytes() == data

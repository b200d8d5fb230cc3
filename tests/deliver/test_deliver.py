"""Building messages and .eml files from rendered drafts (no network)."""

from __future__ import annotations

import email.policy
from datetime import UTC, datetime
from email.parser import BytesParser

import pytest

from outreach import deliver
from outreach.deliver import build_message, write_eml
from outreach.errors import DeliveryError
from outreach.model import Address
from outreach.notes import templates
from outreach.notes.compose import Note, note_from

ME = Address("alex@morgan.example", "Alex Morgan")
WHEN = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)


def sample(name: str, **extra) -> Note:
    info = templates.load(name)
    rendered = templates.render(info, {**info.sample, **extra})
    return note_from(rendered, Address("priya@example.org", "Priya Raman"), in_reply_to="<intro-1@example.org>")


def parsed(msg) -> email.message.EmailMessage:
    return BytesParser(policy=email.policy.default).parsebytes(msg.as_bytes())


def test_message_has_the_rfc5322_headers_and_the_body():
    msg = parsed(build_message(sample("congratulations"), ME, date=WHEN))
    assert msg["From"] == "Alex Morgan <alex@morgan.example>"
    assert msg["To"] == "Priya Raman <priya@example.org>"
    assert msg["Subject"] == "Congratulations on the new role at Northwind"
    assert msg["Date"].datetime == WHEN
    assert msg["Message-ID"].startswith("<outreach.") and msg["Message-ID"].endswith("@morgan.example>")
    assert msg["In-Reply-To"] is None  # not a reply template
    assert "Congratulations on the new role at Northwind!" in msg.get_content()


def test_same_draft_gets_the_same_message_id_and_a_different_one_does_not():
    first = build_message(sample("congratulations"), ME, date=WHEN)
    again = build_message(sample("congratulations"), ME)  # another time: same suggestion
    other = build_message(sample("congratulations", news="the book"), ME, date=WHEN)
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"] != other["Message-ID"]
    keyed = [build_message(sample("congratulations", news=n), ME, key="suggest:priya:congrats") for n in "ab"]
    assert keyed[0]["Message-ID"] == keyed[1]["Message-ID"]


def test_reply_template_threads_and_moves_the_introducer_to_bcc():
    msg = parsed(build_message(sample("reply-to-introduction"), ME))
    assert msg["Bcc"] == "maya@example.org"
    assert msg["In-Reply-To"] == "<intro-1@example.org>"
    assert msg["References"] == "<intro-1@example.org>"
    assert deliver.recipients(msg) == ["priya@example.org", "maya@example.org"]


def test_crlf_in_contact_name_and_subject_cannot_inject_headers():
    evil = "Priya\r\nBcc: attacker@evil.example\r\nX-Evil: 1"
    info = templates.load("thank-referrer")
    rendered = templates.render(info, {"first_name": evil, "intro_name": evil})
    msg = build_message(note_from(rendered, Address("maya@example.org", evil)), ME)
    back = parsed(msg)
    assert back["Bcc"] is None and back["X-Evil"] is None
    assert deliver.recipients(back) == ["maya@example.org"]
    assert "\n" not in back["Subject"] and "\n" not in back["To"]
    # The text survives only inside the quoted display name and the subject, never as a header of its own.
    head = msg.as_bytes().partition(b"\n\n")[0].decode()
    names = {line.split(":")[0] for line in head.splitlines() if not line[:1].isspace()}
    assert names == {"From", "To", "Subject", "Date", "Message-ID", "Content-Type", "Content-Transfer-Encoding",
                     "MIME-Version"}
    assert back["To"].addresses[0].display_name == "Priya Bcc: attacker@evil.example X-Evil: 1"


def test_invalid_recipient_address_is_a_delivery_error():
    with pytest.raises(DeliveryError, match="not an email address"):
        build_message(Note(Address("not an address"), "Hi", "Hello\n"), ME)


def test_write_eml_creates_a_private_file_and_never_overwrites(tmp_path):
    msg = build_message(sample("check-in"), ME, date=WHEN)
    path, written = write_eml(msg, tmp_path / "drafts", "check-in-priya")
    assert written and path.name.startswith("check-in-priya-") and path.suffix == ".eml"
    assert path.stat().st_mode & 0o777 == 0o600
    assert parsed(deliver.read_eml(path))["Message-ID"] == msg["Message-ID"]
    path.write_text(path.read_text() + "\nP.S. my own edit\n")  # the user edits the draft
    again, written_again = write_eml(build_message(sample("check-in"), ME), tmp_path / "drafts", "check-in-priya")
    assert again == path and not written_again
    assert path.read_text().endswith("P.S. my own edit\n")
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no stray temp files


def test_read_eml_rejects_a_file_that_is_not_a_draft(tmp_path):
    path = tmp_path / "x.eml"
    path.write_bytes(b"Subject: hello\n\nno sender, no recipient\n")
    with pytest.raises(DeliveryError, match=r"x\.eml: not a draft: missing From, To"):
        deliver.read_eml(path)
    with pytest.raises(DeliveryError, match="cannot read"):
        deliver.read_eml(tmp_path / "missing.eml")


def test_read_eml_gives_a_draft_without_message_id_a_stable_one(tmp_path):
    path = tmp_path / "hand.eml"
    path.write_bytes(b"From: alex@morgan.example\nTo: sam@example.org\nSubject: hi\n\nHello Sam\n")
    assert deliver.read_eml(path)["Message-ID"] == deliver.read_eml(path)["Message-ID"]


def test_non_ascii_body_survives_the_round_trip(tmp_path):
    draft = Note(Address("zoe@example.org", "Zoë"), "Merci, Zoë", "Merci beaucoup, Zoë — à bientôt.\n")
    msg = build_message(draft, ME)
    path, _ = write_eml(msg, tmp_path)
    back = deliver.read_eml(path)
    assert deliver.body_text(back) == "Merci beaucoup, Zoë — à bientôt.\n"
    assert back["To"] == "Zoë <zoe@example.org>" and back["Subject"] == "Merci, Zoë"

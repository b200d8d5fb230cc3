"""The bundled sample mailbox: reproducible, and as its manifest describes it."""

from __future__ import annotations

import email
import json
import re
from email import policy
from pathlib import Path

import pytest

from examples import generate_sample

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MAILDIR = EXAMPLES / "sample-maildir"
MANIFEST = json.loads((EXAMPLES / "sample-manifest.json").read_text(encoding="utf-8"))
FOLDERS = {"INBOX": MAILDIR, "Sent": MAILDIR / ".Sent", "Drafts": MAILDIR / ".Drafts",
           "Archive": MAILDIR / ".Archive"}


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def messages() -> dict[str, email.message.EmailMessage]:
    out = {}
    for folder in FOLDERS.values():
        for sub in ("cur", "new"):
            for p in sorted((folder / sub).iterdir()):
                if not p.name.startswith("."):
                    out[str(p.relative_to(MAILDIR))] = email.message_from_bytes(p.read_bytes(), policy=policy.default)
    return out


MESSAGES = messages()


def recipients(msg: email.message.EmailMessage, *extra: str) -> set[str]:
    return {a.addr_spec for h in ("To", "Cc", *extra) for v in msg.get_all(h, []) for a in v.addresses}


def text_of(msg: email.message.EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    assert part is not None
    return re.sub(r"\s+", " ", part.get_content())


def test_generator_is_deterministic(tmp_path: Path) -> None:
    out, manifest, drafts = tmp_path / "maildir", tmp_path / "manifest.json", tmp_path / "drafts"
    generate_sample.main(["--out", str(out), "--manifest", str(manifest), "--drafts", str(drafts)])
    assert files_under(out) == files_under(MAILDIR)
    assert files_under(drafts) == files_under(EXAMPLES / "drafts")
    assert json.loads(manifest.read_text(encoding="utf-8")) == MANIFEST


def test_counts_match_manifest() -> None:
    counts = MANIFEST["counts"]
    assert 300 <= counts["total"] <= 500
    assert len(MESSAGES) == counts["total"]
    for name, folder in FOLDERS.items():
        n = sum(1 for sub in ("cur", "new") for p in (folder / sub).iterdir() if not p.name.startswith("."))
        assert n == counts["by_folder"][name], name
    assert sum(1 for k in MESSAGES if k.split("/")[-2] == "new") == counts["unread_in_new"]
    assert len(MANIFEST["acts"]) == counts["acts"]


def test_message_ids_unique_and_threads_resolve() -> None:
    ids = [m["Message-ID"] for m in MESSAGES.values() if m["Message-ID"]]
    assert len(ids) == len(set(ids)) == len(MESSAGES) - 1  # exactly one message lacks a Message-ID
    known = set(ids)
    for name, m in MESSAGES.items():
        if m["In-Reply-To"]:
            assert m["In-Reply-To"] in known, name
            assert m["References"].split()[-1] == m["In-Reply-To"], name


def test_only_example_domains() -> None:
    for name, m in MESSAGES.items():
        for header in ("From", "To", "Cc", "Bcc"):
            for addr in m.get_all(header, []):
                for a in addr.addresses:
                    assert a.domain.endswith(".example"), (name, a)


def test_planted_acts_are_in_their_messages() -> None:
    for act in MANIFEST["acts"]:
        msg = MESSAGES[act["file"]]
        assert act["sentence"] in text_of(msg), act
        assert act["direction"] == ("sent" if act["file"].startswith(".Sent/") else "received")


def test_special_cases_are_there() -> None:
    special = MANIFEST["special"]
    assert "Date" not in MESSAGES[special["no_date"]]
    raw_bad = (MAILDIR / special["unparseable_date"]).read_bytes()
    assert b"\nDate: Tue, 05 Aug 2025 25:71:00 -0600\n" in raw_bad
    assert "Message-ID" not in MESSAGES[special["no_message_id"]]
    assert b"=?UTF-8?Q?Jos=C3=A9_Garc=C3=ADa?=" in (MAILDIR / special["no_message_id"]).read_bytes()
    for name in special["html_only"]:
        assert MESSAGES[name].get_body(preferencelist=("plain",)) is None, name
    (big,) = special["large_audience"]
    m = MESSAGES[big]
    assert len(m["To"].addresses) + len(m["Cc"].addresses) >= 40
    (auto,) = special["auto_reply"]
    assert MESSAGES[auto]["Auto-Submitted"] == "auto-replied"


def test_automated_senders_carry_their_markers() -> None:
    not_contacts = {e["address"]: e["why"] for e in MANIFEST["not_contacts"]}
    people = {p["address"] for p in MANIFEST["people"]}
    assert not people & set(not_contacts)
    for m in MESSAGES.values():
        sender = m["From"].addresses[0].addr_spec
        why = not_contacts.get(sender)
        if why == "list":
            assert m["List-Id"], sender
        elif why == "list-unsubscribe":
            assert m["List-Unsubscribe"], sender
        elif why == "precedence-bulk":
            assert m["Precedence"] == "bulk"


@pytest.mark.parametrize("key", ["priya", "marcus"])
def test_referrals(key: str) -> None:
    person = next(p for p in MANIFEST["people"] if p["key"] == key)
    intro = [a for a in MANIFEST["acts"] if a["kind"] == "introduction" and a["person"] == key]
    assert len(intro) == 1
    referrer = next(p for p in MANIFEST["people"] if p["key"] == intro[0]["referrer"])
    assert person["referrer"] == referrer["address"]
    assert {person["address"], MANIFEST["me"]["address"]} <= recipients(MESSAGES[intro[0]["file"]])


def test_sam_never_thanked_after_introduction() -> None:
    intro = next(a for a in MANIFEST["acts"] if a["kind"] == "introduction" and a["referrer"] == "sam")
    later = [a for a in MANIFEST["acts"] if a["counterpart"] == "sam" and a["date"] > intro["date"]]
    assert later == []
    sam = next(p for p in MANIFEST["people"] if p["key"] == "sam")["address"]
    for name, m in MESSAGES.items():
        if name.startswith(".Sent/") and m["Date"].datetime.isoformat() > "2026-10-26":
            assert sam not in recipients(m, "Bcc"), name


def test_strength_and_cold_expectations_are_stated() -> None:
    assert MANIFEST["strength"]["top"] == "margaret"
    assert MANIFEST["cold"] == ["chris", "daniel"]
    assert ["margaret", "daniel"] in MANIFEST["strength"]["robust_pairs"]


def test_drafts_listed_and_addressed_to_sample_people() -> None:
    people = {p["address"] for p in MANIFEST["people"]}
    files = sorted(p.name for p in (EXAMPLES / "drafts").glob("*.eml"))
    assert files == sorted(d["file"] for d in MANIFEST["drafts"])
    assert {d["verdict"] for d in MANIFEST["drafts"]} == {"good", "bad"}
    for d in MANIFEST["drafts"]:
        msg = email.message_from_bytes((EXAMPLES / "drafts" / d["file"]).read_bytes(), policy=policy.default)
        assert msg["To"].addresses[0].addr_spec in people

"""The benchmark mail generator: reproducible, parseable, varied."""

from __future__ import annotations

import email
import sys
from collections import Counter
from email import policy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import synthetic  # noqa: E402

N = 1_000


def test_same_parameters_same_bytes_other_seed_other_bytes() -> None:
    first = list(synthetic.iter_messages(300, seed=7))
    assert first == list(synthetic.iter_messages(300, seed=7))
    assert first != list(synthetic.iter_messages(300, seed=8))


def test_messages_parse_and_vary() -> None:
    seen: Counter[str] = Counter()
    ids, people = set(), set()
    for folder, raw in synthetic.iter_messages(N):
        assert 500 < len(raw) < 20_000
        msg = email.message_from_bytes(raw, policy=policy.default)
        assert not msg.defects, msg["Message-ID"]
        ids.add(msg["Message-ID"])
        body = msg.get_body(preferencelist=("plain", "html"))
        assert body is not None and body.get_content().strip()
        seen[folder] += 1
        seen["reply"] += bool(msg["In-Reply-To"])
        seen["list"] += bool(msg["List-Id"])
        seen["bulk"] += msg["Precedence"] == "bulk"
        seen["auto"] += bool(msg["Auto-Submitted"])
        seen["html"] += msg.get_content_type() == "multipart/alternative"
        seen["base64"] += b"Content-Transfer-Encoding: base64" in raw
        seen["qp"] += b"Content-Transfer-Encoding: quoted-printable" in raw
        seen["rfc2047"] += b"=?UTF-8?" in raw.split(b"\n\n", 1)[0]
        seen["received"] += raw.count(b"\nReceived: ") >= 2
        if folder == "Sent":
            assert msg["From"].addresses[0].addr_spec == synthetic.ME
            people.update(a.addr_spec.lower() for a in msg["To"].addresses)
        elif not (msg["List-Id"] or msg["Precedence"] or msg["Auto-Submitted"] or "reply@" in msg["From"]):
            people.add(msg["From"].addresses[0].addr_spec.lower())
    assert len(ids) == N
    for key in ("INBOX", "Sent", "Archive", "reply", "list", "bulk", "auto", "html", "base64", "qp", "rfc2047",
                "received"):
        assert seen[key] > 0, key
    assert len(people) >= 0.9 * N // 20  # nearly every one of the N // 20 contacts shows up


def test_write_maildir_layout(tmp_path: Path) -> None:
    root = synthetic.write_maildir(tmp_path / "md", 200, seed=3)
    files = [p for p in root.rglob("*") if p.is_file() and p.parent.name == "cur"]
    assert len(files) == 200
    assert {p.parent.parent.name for p in files} <= {"md", ".Sent", ".Archive"}
    assert (root / ".Sent" / "maildirfolder").exists()
    by_name = {p.name.split(",S=")[0]: p for p in files}
    assert len(by_name) == 200
    for p in files[:20]:
        assert p.name.endswith(f",S={p.stat().st_size}:2,S")

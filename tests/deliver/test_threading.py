"""Reply templates thread onto the message they answer (on the sample mailbox's store)."""

from __future__ import annotations

import email.policy
from email.parser import BytesParser

from outreach.cli import main
from outreach.store.db import Store
from tests.suggest_sample import ME, address, synced_copy


def test_reply_to_introduction_answers_the_introduction_not_the_latest_message(tmp_path, no_settings, monkeypatch,
                                                                                capsys, tmp_path_factory):
    monkeypatch.setenv("OUTREACH_ME", ME)
    monkeypatch.setenv("OUTREACH_TEMPLATES_DIR", str(tmp_path / "none"))
    db = synced_copy(tmp_path_factory.mktemp("sample"), tmp_path / "outreach.db")
    sam, priya = address("sam"), address("priya")
    with Store.open(db) as store:
        intro_id, intro_subject = store.conn.execute(
            "SELECT m.message_id, m.subject FROM messages m JOIN recipients r ON r.message = m.id"
            " WHERE m.from_addr = ? AND r.address = ? ORDER BY m.date LIMIT 1", (sam, priya)).fetchone()
        latest_id = store.last_exchange(priya)[0]
    assert latest_id != intro_id  # Alex and Priya wrote after the introduction
    assert main(["render", "reply-to-introduction", "--to", priya, "--var", "topic=design ops", "--db", str(db),
                 "--out", str(tmp_path / "out")]) == 0, capsys.readouterr()
    [path] = (tmp_path / "out").glob("*.eml")
    msg = BytesParser(policy=email.policy.default).parsebytes(path.read_bytes())
    assert msg["In-Reply-To"] == f"<{intro_id}>" and msg["References"] == f"<{intro_id}>"
    assert msg["Subject"] == f"Re: {intro_subject.removeprefix('Re: ')}"
    assert msg["Bcc"] == sam  # the introducer moves to Bcc

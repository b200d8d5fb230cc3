"""Local sources and the sync pipeline: incremental cursors, idempotence, crash safety."""

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from outreach.errors import SourceError, StoreError
from outreach.ingest import sync
from outreach.ingest.sources.local import EmlDirSource, MaildirSource, MboxSource
from outreach.model import Act, Address, Checkpoint, Cursor, Message, RawMessage
from outreach.store.db import MIGRATIONS, Store, _statements
from outreach.store.mail import decode_act, encode_acts, split_acts

ME = "alex@morgan.example"


def mail(n: int, sender: str = "sam@example.com", to: str = ME, subject: str | None = None, extra: str = "") -> bytes:
    return (
        f"From: Sam <{sender}>\nTo: {to}\nSubject: {subject or f'note {n}'}\n"
        f"Date: Tue, 03 Mar 2026 10:{n % 60:02d}:00 +0000\nMessage-ID: <m{n}@example.com>\n{extra}\n"
        f"Could you lend me $500 for the trip? Body {n}.\n"
    ).encode()


def make_maildir(root: Path, folders: dict[str, list[bytes]]) -> None:
    for folder, messages in folders.items():
        base = root if folder == "INBOX" else root / f".{folder}"
        for sub in ("cur", "new", "tmp"):
            (base / sub).mkdir(parents=True, exist_ok=True)
        for i, data in enumerate(messages):
            add_file(base, f"{folder}-{i}", data)


def add_file(maildir: Path, unique: str, data: bytes, sub: str = "cur") -> Path:
    path = maildir / sub / (f"{unique}:2,S" if sub == "cur" else unique)
    path.write_bytes(data)
    return path


def bump(path: Path) -> None:
    """Make a directory's mtime visibly change even on coarse-grained filesystems."""
    later = time.time_ns() + 2_000_000_000
    os.utime(path, ns=(later, later))


def fake_detect(text: str) -> list[Act]:
    return [Act("ask", "money", "Could you lend me $500 for the trip?", amount=500.0)] if "$500" in text else []


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "db" / "outreach.db") as s:
        yield s


def run(store, source, **kw):
    kw.setdefault("detect", fake_detect)
    return sync.run(store, source, **kw)


def table_rows(store) -> dict[str, int]:
    tables = ("messages", "recipients", "acts")
    return {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def test_store_file_is_private_and_wal(tmp_path):
    path = tmp_path / "x.db"
    with Store.open(path) as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.schema_version >= 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_migrations_apply_once(tmp_path):
    path = tmp_path / "x.db"
    Store.open(path).close()
    with Store.open(path) as s:
        versions = [r[0] for r in s.conn.execute("SELECT version FROM schema_version")]
    assert versions == sorted(set(versions))


ACTS = [
    Act("ask", "money", "Could you lend me $500?", amount=500),
    Act("ask", "time", "Could you spare 30 minutes?", minutes=30),
    Act("thanks", "", "Thanks so much!"),
    Act("introduction", "", "Meet Priya.", person="Priya\x1fShah"),  # a separator in a name is not one
]
DECODED = [  # as the acts column has them: no sentences
    Act("ask", "money", "", amount=500.0),
    Act("ask", "time", "", minutes=30),
    Act("thanks", "", ""),
    Act("introduction", "", "", person="Priya Shah"),
]


def test_a_messages_acts_are_stored_next_to_it_in_order(tmp_path):
    with Store.open(tmp_path / "x.db") as s:
        s.write_batch([(Message("<a@x>", "<a@x>", "INBOX", None, None, Address("sam@example.com"), []), ACTS),
                       (Message("<b@x>", "<b@x>", "INBOX", None, None, Address("sam@example.com"), []), [])])
        column = dict(s.conn.execute("SELECT key, acts FROM messages"))
        sentences = [row[0] for row in s.conn.execute("SELECT sentence FROM acts ORDER BY id")]
    assert column["<b@x>"] is None
    assert [decode_act(one) for one in split_acts(column["<a@x>"])] == DECODED
    assert sentences == [a.sentence for a in ACTS]  # the evidence stays in the acts table


def test_migration_7_fills_the_acts_column_of_an_older_store(tmp_path):
    path = tmp_path / "v6.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY)")
    for version, script in MIGRATIONS:
        if version <= 6:  # the store as version 6 left it
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version VALUES (?)", (version,))
    conn.execute("INSERT INTO messages (id, key, folder, thread) VALUES (1, 'a', 'INBOX', 'a'), (2, 'b', 'INBOX', 'b')")
    conn.executemany(
        "INSERT INTO acts (message, kind, subtype, amount, minutes, person, sentence) VALUES (1, ?, ?, ?, ?, ?, ?)",
        [(a.kind, a.subtype, a.amount, a.minutes, a.person, a.sentence) for a in ACTS],
    )
    conn.commit()
    conn.close()
    with Store.open(path) as s:
        assert s.schema_version == 7
        column = dict(s.conn.execute("SELECT id, acts FROM messages"))
    assert column[2] is None
    assert [decode_act(one) for one in split_acts(column[1])] == DECODED
    assert column[1] == encode_acts(ACTS)  # the same text as a new store writes


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="bad.db"):
        Store.open(bad)
    with pytest.raises(StoreError, match="directory"):
        Store.open(tmp_path)


def test_maildir_folders_and_incremental_sync(store, tmp_path):
    root = tmp_path / "Mail"
    make_maildir(root, {"INBOX": [mail(1), mail(2)], "Sent": [mail(3, sender=ME, to="sam@example.com")]})
    source = MaildirSource(root)
    assert list(source.folders) == ["INBOX", "Sent"]
    assert source.sent_folders() == ["Sent"]

    first = run(store, source)
    assert (first.new, first.duplicates, first.unreadable) == (3, 0, 0)
    assert first.identity == [ME] and first.identity_origin == "inferred"
    assert store.conn.execute("SELECT count(*) FROM messages WHERE sent = 1").fetchone()[0] == 1
    assert table_rows(store) == {"messages": 3, "recipients": 3, "acts": 3}

    again = run(store, MaildirSource(root))
    assert (again.read, again.new) == (0, 0)

    add_file(root, "late", mail(4), sub="new")
    bump(root / "new")
    third = run(store, MaildirSource(root))
    assert (third.read, third.new) == (1, 1)
    assert table_rows(store)["messages"] == 4


def test_flag_change_rename_is_not_new_mail(store, tmp_path):
    root = tmp_path / "Mail"
    make_maildir(root, {"INBOX": [mail(1)]})
    run(store, MaildirSource(root))
    (path,) = (root / "cur").iterdir()
    path.rename(path.with_name(path.name.replace(":2,S", ":2,RS")))
    bump(root / "cur")
    report = run(store, MaildirSource(root))
    assert (report.read, report.new) == (0, 0)


def test_second_ingest_changes_nothing_even_without_cursors(store, tmp_path):
    root = tmp_path / "Mail"
    make_maildir(root, {"INBOX": [mail(i) for i in range(5)]})
    run(store, MaildirSource(root))
    before = table_rows(store)
    store.conn.execute("DELETE FROM cursors")
    store.conn.execute("DELETE FROM seen")
    report = run(store, MaildirSource(root))
    assert (report.read, report.new, report.duplicates) == (5, 0, 5)
    assert table_rows(store) == before


def test_configured_identity_wins(store, tmp_path):
    root = tmp_path / "Mail"
    make_maildir(root, {"INBOX": [mail(1)], "Sent": [mail(2, sender="other@me.example", to="sam@example.com")]})
    report = run(store, MaildirSource(root), me=["Alex@Morgan.example"])
    assert report.identity == [ME] and report.identity_origin == "config"
    assert store.conn.execute("SELECT count(*) FROM messages WHERE sent = 1").fetchone()[0] == 0


class Boom(Exception):
    pass


class CrashingSource:
    """Wraps a source and dies after handing over ``after`` messages, like a killed process."""

    def __init__(self, inner, after: int):
        self.inner, self.after, self.name = inner, after, inner.name

    def sent_folders(self):
        return self.inner.sent_folders()

    def scan(self, cursor):
        for count, item in enumerate(self.inner.scan(cursor)):
            if count == self.after:
                raise Boom
            yield item


def test_crash_mid_sync_resumes_exactly(store, tmp_path):
    root = tmp_path / "Mail"
    make_maildir(root, {"INBOX": [mail(i) for i in range(25)]})
    with pytest.raises(Boom):
        run(store, CrashingSource(MaildirSource(root), after=17), batch_size=5)
    assert table_rows(store)["messages"] == 15  # three committed batches, the fourth rolled back
    report = run(store, MaildirSource(root), batch_size=5)
    assert (report.read, report.new, report.duplicates) == (10, 10, 0)
    assert table_rows(store) == {"messages": 25, "recipients": 25, "acts": 25}


def test_unreadable_messages_are_skipped_with_reason_and_others_kept(store, tmp_path):
    root = tmp_path / "Mail"
    make_maildir(root, {"INBOX": [mail(1), b"", b"not an email at all", mail(2)]})
    report = run(store, MaildirSource(root))
    assert (report.new, report.unreadable) == (2, 2)
    reasons = sorted(r for _, _, r in store.skipped_items())
    assert reasons[0] == "empty message" and reasons[1].startswith("no mail headers found")
    assert run(store, MaildirSource(root)).read == 0  # not retried forever


def test_detector_failure_keeps_the_message_and_says_so(store, tmp_path):
    root = tmp_path / "Mail"
    make_maildir(root, {"INBOX": [mail(1), mail(2), mail(3)]})

    def picky(text):
        if "Body 2." in text:
            raise RuntimeError("detector bug")
        return fake_detect(text)

    report = sync.run(store, MaildirSource(root), detect=picky)
    assert report.new == 3
    assert table_rows(store)["acts"] == 2
    assert any("detector bug" in reason for _, reason in report.problems)


def test_metadata_only_mode_keeps_no_bodies_but_keeps_acts(store, tmp_path):
    root = tmp_path / "Mail"
    make_maildir(root, {"INBOX": [mail(1)]})
    run(store, MaildirSource(root), store_bodies=False)
    assert store.conn.execute("SELECT text FROM messages").fetchone()[0] is None
    assert store.conn.execute("SELECT sentence, amount FROM acts").fetchone() == (
        "Could you lend me $500 for the trip?",
        500.0,
    )


def test_automated_mail_has_no_acts(store, tmp_path):
    root = tmp_path / "Mail"
    make_maildir(root, {"INBOX": [mail(1, extra="List-Id: <l.example.com>\n")]})
    report = run(store, MaildirSource(root))
    assert report.automated == 1 and report.touched == set()
    assert table_rows(store)["acts"] == 0


def test_mbox_appends_are_read_from_the_last_offset(store, tmp_path):
    box = tmp_path / "archive.mbox"
    body = b"".join(b"From sam@example.com Tue Mar  3 10:00:00 2026\n" + mail(i) + b"\n" for i in range(3))
    box.write_bytes(body)
    assert run(store, MboxSource(box)).new == 3
    assert run(store, MboxSource(box)).read == 0
    with box.open("ab") as handle:
        handle.write(b"From sam@example.com Tue Mar  3 11:00:00 2026\n" + mail(9, extra="X: y\n") + b"\n")
    report = run(store, MboxSource(box))
    assert (report.read, report.new) == (1, 1)


def test_mbox_rewritten_file_is_reread_without_duplicates(store, tmp_path):
    box = tmp_path / "archive.mbox"
    box.write_bytes(b"".join(b"From x Tue Mar  3 10:00:00 2026\n" + mail(i) + b"\n" for i in range(3)))
    run(store, MboxSource(box))
    box.write_bytes(b"".join(b"From x Tue Mar  3 10:00:00 2026\n" + mail(i) + b"\n" for i in (2, 1, 7)))
    report = run(store, MboxSource(box))
    assert (report.read, report.new, report.duplicates) == (3, 1, 2)


def test_mboxrd_from_quoting_is_undone(store, tmp_path):
    box = tmp_path / "a.mbox"
    box.write_bytes(b"From x Tue Mar  3 10:00:00 2026\n" + mail(1).replace(b"Could", b">From here, could") + b"\n")
    run(store, MboxSource(box), store_bodies=True)
    assert store.conn.execute("SELECT text FROM messages").fetchone()[0].startswith("From here")


def test_eml_dir_is_recursive_and_incremental(store, tmp_path):
    folder = tmp_path / "emls"
    (folder / "2025").mkdir(parents=True)
    (folder / "a.eml").write_bytes(mail(1))
    (folder / "2025" / "b.eml").write_bytes(mail(2))
    (folder / ".hidden").write_bytes(mail(3))
    assert run(store, EmlDirSource(folder)).new == 2
    assert run(store, EmlDirSource(folder)).read == 0
    (folder / "2025" / "c.eml").write_bytes(mail(4))
    bump(folder / "2025")
    report = run(store, EmlDirSource(folder))
    assert (report.read, report.new) == (1, 1)


@pytest.mark.parametrize("cls", [MaildirSource, MboxSource, EmlDirSource])
def test_missing_paths_are_clear_errors(cls, tmp_path):
    with pytest.raises(SourceError, match="nope"):
        cls(tmp_path / "nope")


KILLED_SYNC = """
import sys, time
from outreach.ingest import sync
from outreach.ingest.sources.local import MaildirSource
from outreach.store.db import Store

def slow(text):
    time.sleep(0.002)
    return []

with Store.open(sys.argv[2]) as store:
    sync.run(store, MaildirSource(sys.argv[1]), batch_size=20, detect=slow,
             progress=lambda r: print(r.new, flush=True))
"""


def test_kill_9_mid_sync_then_resume_stores_exactly_the_mailbox(tmp_path):
    root = tmp_path / "Mail"
    make_maildir(root, {"INBOX": [mail(i) for i in range(400)]})
    db = tmp_path / "k.db"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_SYNC, str(root), str(db)], stdout=subprocess.PIPE, text=True
    )
    for _ in range(3):  # let a few batches commit, then kill without warning
        child.stdout.readline()
    child.send_signal(signal.SIGKILL)
    child.wait()
    with Store.open(db) as s:
        partial = table_rows(s)["messages"]
        assert 0 < partial < 400 and partial % 20 == 0
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        report = run(s, MaildirSource(root))
        assert (report.new, report.duplicates) == (400 - partial, 0)
        assert table_rows(s)["messages"] == 400


def test_a_source_reads_the_cursor_it_is_given_and_hands_back_a_new_one(tmp_path):
    root = tmp_path / "Mail"
    make_maildir(root, {"INBOX": [mail(1), mail(2)]})
    first = list(MaildirSource(root).scan(Cursor()))  # no store anywhere
    checkpoints = [item for item in first if isinstance(item, Checkpoint)]
    assert [type(item).__name__ for item in first].count("RawMessage") == 2 and len(checkpoints) == 1
    after = Cursor({c.scope: c.value for c in checkpoints}, lambda scope: {"INBOX-0", "INBOX-1"})
    assert list(MaildirSource(root).scan(after)) == []  # nothing changed since that cursor
    add_file(root, "INBOX-2", mail(3))
    bump(root / "cur")
    again = list(MaildirSource(root).scan(after))
    assert [item.item for item in again if isinstance(item, RawMessage)] == ["INBOX-2"]


def test_sources_do_not_import_the_store():
    import ast

    for path in (Path(sync.__file__).parent / "sources").glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not [m for m in imported if m.startswith("outreach.store")], path

"""The IMAP source against the session's real Dovecot, through the sync pipeline."""

from __future__ import annotations

import json
import threading

import pytest

from outreach.errors import SourceError
from outreach.ingest import sync
from outreach.ingest.sources.imap import FolderCursor, ImapConnectionError, ImapFolderError, ImapSource
from outreach.model import Checkpoint, Cursor, RawMessage
from outreach.store.db import Store
from tests.servers.mail import make_message

pytestmark = pytest.mark.imap

FRIENDS = [f"friend{i}@example.org" for i in range(5)]


def inbox_mail(user: str, count: int, start: int = 0) -> list[bytes]:
    return [make_message(n, sender=FRIENDS[n % 5], to=user) for n in range(start, start + count)]


def sent_mail(user: str, count: int, start: int = 10_000) -> list[bytes]:
    return [make_message(n, sender=user, to=FRIENDS[n % 5]) for n in range(start, start + count)]


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "outreach.db") as store:
        yield store


def source(account, **options) -> ImapSource:
    options.setdefault("backoff", 0.05)
    return ImapSource(account, **options)


def stored(store: Store, folder: str | None = None) -> int:
    if folder is None:
        return store.conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    return store.conn.execute("SELECT count(*) FROM messages WHERE folder = ?", (folder,)).fetchone()[0]


def cursor(store: Store, src: ImapSource, folder: str) -> FolderCursor:
    return FolderCursor.load(store.cursor(src.scope(folder)))


def test_first_sync_reads_inbox_sent_and_drafts(dovecot, imap_account, store):
    user = imap_account.user
    dovecot.append("INBOX", inbox_mail(user, 30), user=user)
    dovecot.append("Sent", sent_mail(user, 12), user=user, flags=["\\Seen"])
    dovecot.append("Drafts", sent_mail(user, 2, start=20_000), user=user, flags=["\\Draft"])
    src = source(imap_account, batch_size=7)

    report = sync.run(store, src)

    assert (report.read, report.new, report.duplicates, report.unreadable) == (44, 44, 0, 0)
    assert (stored(store, "INBOX"), stored(store, "Sent"), stored(store, "Drafts")) == (30, 12, 2)
    assert src.sent_folders() == ["Sent"]
    assert report.identity == [user]  # inferred from the Sent folder
    uids = [row[0] for row in store.conn.execute("SELECT uid FROM messages WHERE folder = 'INBOX' ORDER BY uid")]
    assert uids == list(range(1, 31))
    for folder in ("INBOX", "Sent", "Drafts"):
        status = dovecot.status(folder, user)
        assert cursor(store, src, folder) == FolderCursor(
            status["uidvalidity"], status["uidnext"] - 1, status["highestmodseq"]
        )


def test_text_of_a_message_with_a_large_attachment_is_read_without_fetching_it_all(
    dovecot, imap_account, store
):
    user = imap_account.user
    body = "Could you introduce me to Priya? I'd be grateful for 20 minutes of her time."
    big = make_message(1, sender=FRIENDS[0], to=user, body=body, attachment=b"%PDF" + bytes(range(256)) * 2000)
    dovecot.append("INBOX", [big], user=user)

    sync.run(store, source(imap_account, text_bytes=4096))

    text = store.conn.execute("SELECT text FROM messages").fetchone()[0]
    assert "introduce me to Priya" in text
    append_session, sync_session = dovecot.sessions(user, at_least=2)
    assert 0 < sync_session["body_bytes"] < len(big) / 10


def test_incremental_sync_reads_only_new_mail(dovecot, imap_account, store):
    user = imap_account.user
    dovecot.append("INBOX", inbox_mail(user, 10), user=user)
    first = sync.run(store, source(imap_account))
    dovecot.append("INBOX", inbox_mail(user, 4, start=100), user=user)
    dovecot.append("Sent", sent_mail(user, 3), user=user)

    second = sync.run(store, source(imap_account))
    third = sync.run(store, source(imap_account))

    assert (first.read, second.read, second.new, third.read) == (10, 7, 7, 0)
    assert stored(store) == 17


def test_unchanged_mailbox_is_not_fetched_again(dovecot, imap_account, store):
    user = imap_account.user
    dovecot.append("INBOX", inbox_mail(user, 20), user=user)
    sync.run(store, source(imap_account))

    report = sync.run(store, source(imap_account))

    assert report.read == 0
    append_session, first, second = dovecot.sessions(user, at_least=3)
    assert (first["hdr_count"], first["body_count"]) == (20, 20)
    assert (second["hdr_count"], second["body_count"]) == (0, 0)


def test_flag_changes_alone_fetch_nothing(dovecot, imap_account, store):
    user = imap_account.user
    dovecot.append("INBOX", inbox_mail(user, 5), user=user)
    src = source(imap_account)
    sync.run(store, src)
    with dovecot.session(user) as client:
        client.select_folder("INBOX")
        client.add_flags([1, 2], [b"\\Flagged"])

    report = sync.run(store, source(imap_account))

    assert report.read == 0
    assert dovecot.sessions(user, at_least=4)[-1]["body_count"] == 0
    assert cursor(store, src, "INBOX").modseq == dovecot.status("INBOX", user)["highestmodseq"]


def test_seen_flags_are_left_as_they_were(dovecot, imap_account, store):
    user = imap_account.user
    dovecot.append("INBOX", inbox_mail(user, 6), user=user)
    dovecot.append("INBOX", inbox_mail(user, 4, start=50), user=user, flags=["\\Seen"])
    dovecot.append("Drafts", sent_mail(user, 2), user=user, flags=["\\Draft"])

    def flags() -> dict[tuple[str, int], frozenset[bytes]]:
        result = {}
        with dovecot.session(user) as client:
            for folder in ("INBOX", "Drafts"):
                client.select_folder(folder, readonly=True)
                for uid, data in client.fetch(client.search(), ["FLAGS"]).items():
                    result[folder, uid] = frozenset(data[b"FLAGS"])
        return result

    before = flags()
    report = sync.run(store, source(imap_account))

    assert report.new == 12
    assert flags() == before
    assert sum(b"\\Seen" in f for f in before.values()) == 4


def test_uidvalidity_change_rescans_the_folder_without_duplicates(dovecot, imap_account, store):
    user = imap_account.user
    old = sent_mail(user, 5)
    dovecot.append("Sent", old, user=user)
    src = source(imap_account)
    sync.run(store, src)
    before = cursor(store, src, "Sent")

    dovecot.recreate_folder("Sent", user)  # same name, new UIDVALIDITY, UIDs start at 1 again
    dovecot.append("Sent", old[:3] + sent_mail(user, 2, start=500), user=user)
    report = sync.run(store, source(imap_account))

    after = cursor(store, src, "Sent")
    assert after.uidvalidity != before.uidvalidity
    assert (report.read, report.new, report.duplicates) == (5, 2, 3)
    assert stored(store, "Sent") == 7
    assert after.uid == 5


def test_dropped_connection_mid_sync_resumes_with_exact_counts(dovecot, imap_account, store):
    user = imap_account.user
    dovecot.append("INBOX", inbox_mail(user, 1200), user=user)
    kicked = []

    def kick_once(report: sync.SyncReport) -> None:
        if not kicked and report.new >= 300:
            kicked.append(report.new)
            dovecot.kick(user)  # server stays up; our connection is cut

    report = sync.run(store, source(imap_account, batch_size=100), progress=kick_once)

    assert kicked
    assert (report.read, report.new, report.duplicates) == (1200, 1200, 0)
    assert stored(store) == 1200
    assert len(dovecot.sessions(user, at_least=3)) == 3  # the append, then the sync twice: it reconnected


def test_server_restart_mid_sync_is_retried_with_backoff(dovecot, imap_account, store):
    user = imap_account.user
    dovecot.append("INBOX", inbox_mail(user, 800), user=user)
    dovecot.append("Sent", sent_mail(user, 400), user=user)
    restarted = threading.Event()

    def restart_once(report: sync.SyncReport) -> None:
        if not restarted.is_set() and report.new >= 200:
            restarted.set()
            dovecot.stop()
            threading.Timer(0.3, dovecot.start).start()

    report = sync.run(store, source(imap_account, batch_size=100, retries=8), progress=restart_once)

    assert restarted.is_set()
    assert (report.read, report.new, report.duplicates) == (1200, 1200, 0)
    assert (stored(store, "INBOX"), stored(store, "Sent")) == (800, 400)


def test_sync_that_gives_up_resumes_next_run_from_the_last_committed_batch(dovecot, imap_account, store):
    user = imap_account.user
    dovecot.append("INBOX", inbox_mail(user, 500), user=user)
    stopped = []

    def stop_server(report: sync.SyncReport) -> None:
        if not stopped and report.new >= 200:
            stopped.append(report.new)
            dovecot.stop()

    with pytest.raises(ImapConnectionError, match="cannot connect"):
        sync.run(store, source(imap_account, batch_size=100, retries=2), progress=stop_server)
    committed = stored(store)
    dovecot.start()
    second = sync.run(store, source(imap_account, batch_size=100))

    # The batch being prefetched when the server stopped may or may not have made it.
    assert committed in (200, 300) and stopped == [200]
    assert (second.read, second.new, second.duplicates) == (500 - committed, 500 - committed, 0)
    assert stored(store) == 500


def test_scan_hands_over_a_checkpoint_after_each_batch(dovecot, imap_account, store):
    user = imap_account.user
    dovecot.append("INBOX", inbox_mail(user, 25), user=user)
    src = ImapSource(imap_account, batch_size=10)

    kinds = ["M" if isinstance(item, RawMessage) else "C" for item in src.scan(sync.cursor_for(store, src))]

    assert "".join(kinds).split("C")[:3] == ["M" * 10, "M" * 10, "M" * 5]
    assert kinds.count("C") == 5  # three INBOX batches, then first cursors for Sent and Drafts


def test_checkpoints_carry_modseq_only_once_a_folder_is_complete(dovecot, imap_account, store):
    user = imap_account.user
    dovecot.append("INBOX", inbox_mail(user, 25), user=user)
    items = list(ImapSource(imap_account, batch_size=10).scan(Cursor()))
    inbox = [json.loads(i.value) for i in items if isinstance(i, Checkpoint) and i.scope.endswith("/INBOX")]

    assert [c["uid"] for c in inbox] == [10, 20, 25]
    assert [c["modseq"] is None for c in inbox] == [True, True, False]


def test_named_folders_are_read_and_a_missing_one_is_a_clear_error(dovecot, imap_account, store):
    from dataclasses import replace

    user = imap_account.user
    dovecot.create_folder("Projects/2025", user)
    dovecot.append("Projects/2025", inbox_mail(user, 3), user=user)

    report = sync.run(store, source(replace(imap_account, folders=("inbox", "Projects/2025"))))
    assert (report.new, stored(store, "Projects/2025")) == (3, 3)

    with pytest.raises(ImapFolderError, match="no folder named 'Archive'") as caught:
        sync.run(store, source(replace(imap_account, folders=("INBOX", "Archive"))))
    assert isinstance(caught.value, SourceError)

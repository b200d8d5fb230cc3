"""Real-world malformed mail: every file is ingested or skipped with a reason, none stops a sync."""

import os
from pathlib import Path

import pytest

from outreach.ingest import sync
from outreach.ingest.parse import ParseError, parse
from outreach.ingest.sources.local import EmlDirSource, MboxSource
from outreach.store.db import Store

# ../shared/corpus beside the project; OUTREACH_TEST_CORPUS names it from a worktree elsewhere
HERE = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("OUTREACH_TEST_CORPUS") or HERE.parent / "shared" / "corpus")
CORPUS = SHARED / "malformed"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")


NOT_MAIL = ["LICENSE", "LICENSE.txt", "NOTICE.txt", "README.md", "README.md"]


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file())


def test_every_file_parses_or_gives_a_reason():
    outcomes = {}
    for path in corpus_files():
        try:
            parse(path.read_bytes(), "corpus")
            outcomes[path] = "ok"
        except ParseError as exc:
            assert str(exc), path
            outcomes[path] = str(exc)
    parsed = sum(1 for v in outcomes.values() if v == "ok")
    assert parsed >= 0.98 * len(outcomes)


def test_sync_of_the_whole_corpus_accounts_for_every_file(tmp_path):
    files = corpus_files()
    with Store.open(tmp_path / "c.db") as store:
        report = sync.run(store, EmlDirSource(CORPUS))
        # licences, READMEs, an Outlook .msg file, and an empty, a blank and a garbage file
        ignored = sorted(Path(item).name for item in report.ignored)
        assert ignored == [*NOT_MAIL, "mail_outlook_1", "size-0", "size-1", "size-2"]
        assert report.read + len(report.ignored) == len(files)
        assert report.new + report.duplicates + report.unreadable == report.read
        skipped = store.skipped_items()
        assert len(skipped) == report.unreadable
        assert all(reason for _, _, reason in skipped)
        stored = store.counts()["messages"]
        assert stored == report.new > 0.6 * report.read


def test_bounces_and_auto_replies_are_automated(tmp_path):
    with Store.open(tmp_path / "c.db") as store:
        sync.run(store, EmlDirSource(CORPUS / "sisimai-set-of-emails" / "maildir"))
        rows = store.conn.execute("SELECT automated IS NOT NULL, count(*) FROM messages GROUP BY 1").fetchall()
        counts = dict(rows)
        # sisimai is bounces, DSNs and feedback reports: nearly all must be recognised as machine mail
        assert counts[1] / (counts[1] + counts.get(0, 0)) > 0.95


@pytest.mark.parametrize("name", ["mbox-0", "mbox-1", "size-0", "size-1", "size-2"])
def test_corpus_mboxes_sync(tmp_path, name):
    path = CORPUS / "sisimai-set-of-emails" / "mailbox" / name
    with Store.open(tmp_path / "c.db") as store:
        report = sync.run(store, MboxSource(path))
        assert report.read == report.new + report.duplicates + report.unreadable
        again = sync.run(store, MboxSource(path))
        assert again.read == 0

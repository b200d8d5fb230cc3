"""Re-analysis of stored mail when the act detector changes: the command, and the step sync takes itself.

The detector is changed the way a release changes it: a different rules/acts.toml (here a
copy without the thanks cues, so every thanks act goes), read from a temporary file.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from outreach import cli
from outreach.ingest import reanalyse, sync
from outreach.ingest.acts import detect
from outreach.ingest.sources.local import MaildirSource
from outreach.judge import politeness, vocabulary
from outreach.network import cache
from outreach.resources import sample_maildir
from outreach.store.db import Store
from tests.daemon_proc import daemon_env
from tests.service import test_store_faults as faults
from tests.service.test_store_faults import read_only_view

ME = "alex@morgan.example"
MARGARET = "margaret@okafor-advisory.example"
NOW = "2026-11-16T12:00:00Z"


@pytest.fixture(autouse=True)
def _settings(no_settings: pytest.MonkeyPatch) -> None:
    """Commands here see only the --db they are given."""


def without_thanks_cues(toml: str) -> str:
    """The vocabulary with the [cues] thanks list replaced by a phrase no mail contains."""
    lines, out, skipping = toml.splitlines(keepends=True), [], False
    for line in lines:
        if not skipping and line.startswith("thanks = ["):
            out.append('thanks = ["never-written-thanks-phrase"]\n')
            skipping = not line.rstrip().endswith("]")
        elif skipping:
            skipping = not line.rstrip().endswith("]")
        else:
            out.append(line)
    changed = "".join(out)
    assert changed != toml, "the thanks cues were not found in acts.toml"
    return changed


@pytest.fixture
def new_detector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """From here on the detector reads a changed acts.toml, as after an upgrade."""
    changed = tmp_path / "changed-acts.toml"
    changed.write_text(without_thanks_cues(vocabulary.VOCABULARY.read_text(encoding="utf-8")), encoding="utf-8")
    old_version = reanalyse.detector_version()
    monkeypatch.setattr(vocabulary, "VOCABULARY", changed)
    monkeypatch.setattr(vocabulary, "_VOCABULARY", None)
    monkeypatch.setattr(reanalyse, "VOCABULARIES", (changed, politeness.DATA))
    reanalyse.detector_version.cache_clear()
    assert reanalyse.detector_version() != old_version
    yield changed
    reanalyse.detector_version.cache_clear()


def synced(path: Path, store_bodies: bool = True) -> Path:
    with Store.open(path) as store:
        sync.run(store, MaildirSource(sample_maildir()), me=[ME], store_bodies=store_bodies)
        cache.update(store)
    return path


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample mailbox synced with the shipped detector (copied by each test that changes it)."""
    return synced(tmp_path_factory.mktemp("pristine") / "sample.db")


@pytest.fixture
def db(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store.db"
    shutil.copy(pristine, copy)
    return copy


def acts_of(path: Path) -> tuple[list[tuple], list[tuple]]:
    """Every stored act (with its sentence) and every messages.acts value, by message."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT message, kind, subtype, amount, minutes, person, sentence FROM acts"
                            " ORDER BY message, id").fetchall()  # fmt: skip
        column = conn.execute("SELECT id, acts FROM messages ORDER BY id").fetchall()
    return rows, column


def meta(path: Path, key: str) -> str | None:
    with Store.open(path) as store:
        return store.get_meta(key)


def progress_recorded(path: Path) -> bool:
    """A batch of a running re-analysis is committed (read without opening a Store: no checks, no writes)."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute("SELECT 1 FROM meta WHERE key = ?", (reanalyse.PROGRESS_META,)).fetchone() is not None


def outreach(*argv: str) -> int:
    return cli.main(list(argv))


def show(path: Path, capsys: pytest.CaptureFixture) -> str:
    capsys.readouterr()
    assert outreach("show", MARGARET, "--now", NOW, "--db", str(path)) == 0
    return capsys.readouterr().out


# -- the version ---------------------------------------------------------------------------


def test_version_is_stable_and_follows_vocabulary_and_code(tmp_path, monkeypatch):
    first = reanalyse.detector_version()
    reanalyse.detector_version.cache_clear()
    assert reanalyse.detector_version() == first  # same files, same code: same version
    monkeypatch.setattr(reanalyse, "DETECTOR_CODE", reanalyse.DETECTOR_CODE + 1)
    reanalyse.detector_version.cache_clear()
    bumped = reanalyse.detector_version()
    assert bumped != first
    edited = tmp_path / "acts.toml"
    edited.write_bytes(vocabulary.VOCABULARY.read_bytes() + b"\n# a comment\n")
    monkeypatch.setattr(reanalyse, "VOCABULARIES", (edited, politeness.DATA))
    reanalyse.detector_version.cache_clear()
    assert reanalyse.detector_version() not in (first, bumped)
    reanalyse.detector_version.cache_clear()


def test_the_version_hashes_the_files_the_detector_reads():
    # reanalyse names the vocabularies itself (importing outreach.judge would load the detector)
    assert reanalyse.VOCABULARIES == (vocabulary.VOCABULARY, politeness.DATA)
    assert reanalyse.detector_files()[:2] == [vocabulary.VOCABULARY, politeness.DATA]


def test_sync_labels_the_store_with_the_detector(pristine):
    assert meta(pristine, reanalyse.DETECTOR_META) == reanalyse.detector_version()
    assert meta(pristine, reanalyse.PROGRESS_META) is None


# -- the command ----------------------------------------------------------------------------


def test_unchanged_detector_changes_nothing(db, capsys):
    before = acts_of(db)
    assert outreach("reanalyse", "--db", str(db)) == 0
    line = capsys.readouterr().out
    assert line.startswith("re-analysed 303 messages (0 changed)")
    assert "thanks 17 -> 17" in line
    assert acts_of(db) == before


def test_changed_detector_gives_what_a_fresh_sync_gives(db, tmp_path, new_detector, capsys):
    old_ledger = show(db, capsys)
    assert "thanks" in old_ledger
    fresh = synced(tmp_path / "fresh.db")  # the same mail synced from scratch with the new detector
    assert outreach("reanalyse", "--db", str(db)) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert "thanks 17 -> 0" in out[0] and re.search(r"\bask (\d+) -> \1,", out[0])  # asks untouched
    assert acts_of(db) == acts_of(fresh)
    assert meta(db, reanalyse.DETECTOR_META) == reanalyse.detector_version()
    new_ledger = show(db, capsys)
    assert new_ledger != old_ledger
    assert "thanked" not in new_ledger and "thanked" in old_ledger
    assert new_ledger == show(fresh, capsys)  # the cache was rebuilt, not left behind


def test_interrupted_run_then_rerun_equals_an_uninterrupted_one(db, tmp_path, new_detector):
    whole = tmp_path / "whole.db"
    shutil.copy(db, whole)
    with Store.open(whole) as store:
        reanalyse.run(store, batch_size=40)
    calls = 0

    def dies_in_the_fourth_batch(text: str):
        nonlocal calls
        calls += 1
        if calls == 135:
            raise KeyboardInterrupt  # as Ctrl-C, or the process dying, in the middle of a batch
        return detect(text)

    with Store.open(db) as store, pytest.raises(KeyboardInterrupt):
        reanalyse.run(store, detect=dies_in_the_fourth_batch, batch_size=40)
    assert meta(db, reanalyse.DETECTOR_META) != reanalyse.detector_version()  # not done
    assert meta(db, reanalyse.PROGRESS_META).startswith(reanalyse.detector_version())
    assert acts_of(db) != acts_of(whole)
    with Store.open(db) as store:
        rest = reanalyse.run(store, batch_size=40)
    assert rest.resumed_after > 0 and rest.read == 303 - 120  # three batches of 40 were committed
    assert acts_of(db) == acts_of(whole)
    assert meta(db, reanalyse.PROGRESS_META) is None


def test_metadata_only_store_says_it_cannot(tmp_path, new_detector, capsys):
    path = synced(tmp_path / "meta.db", store_bodies=False)
    before = acts_of(path)
    capsys.readouterr()
    assert outreach("reanalyse", "--db", str(path)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "metadata-only" in err and "303 personal messages" in err
    assert acts_of(path) == before


def test_messages_without_a_body_are_counted_and_kept(db, new_detector, capsys):
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE messages SET text = NULL WHERE id <= 100 AND automated IS NULL")
        bodiless = conn.execute("SELECT count(*) FROM messages WHERE text IS NULL AND automated IS NULL").fetchone()
        kept = conn.execute("SELECT count(*) FROM acts WHERE kind = 'thanks' AND message <= 100").fetchone()[0]
    assert kept > 0
    capsys.readouterr()
    assert outreach("reanalyse", "--db", str(db)) == 1
    captured = capsys.readouterr()
    assert f"{bodiless[0]} messages have no stored body" in captured.out
    assert f"{bodiless[0]} messages have no stored body (metadata-only mode)" in captured.err
    assert f"thanks 17 -> {kept}" in captured.out


def test_a_missing_store_is_a_one_line_error(tmp_path, capsys):
    missing = tmp_path / "nothing.db"
    assert outreach("reanalyse", "--db", str(missing)) == 2
    err = capsys.readouterr().err
    assert err.startswith("outreach: error: ") and err.count("\n") == 1 and "no such database" in err
    assert not missing.exists()


def test_a_read_only_store_is_a_one_line_error(db, tmp_path, new_detector, capsys):
    before = acts_of(db)
    view = tmp_path / "ro"
    with read_only_view(db.parent, view):
        assert outreach("reanalyse", "--db", str(view / db.name)) == 2
    err = capsys.readouterr().err
    assert err.startswith("outreach: error: ") and err.count("\n") == 1 and "read-only" in err
    assert acts_of(db) == before


# -- the automatic step at sync ------------------------------------------------------------------


def test_sync_reanalyses_once_when_the_detector_changed(db, new_detector, capsys):
    before = acts_of(db)
    with Store.open(db) as store:
        first = sync.run(store, MaildirSource(sample_maildir()), me=[ME])
        assert first.new == 0 and first.reanalysed is not None
        assert first.reanalysed.changed > 0 and first.reanalysed.after.get("thanks", 0) == 0
        second = sync.run(store, MaildirSource(sample_maildir()), me=[ME])
        assert second.reanalysed is None
    assert acts_of(db) != before
    assert meta(db, cache.FINGERPRINT) is None  # the relationship figures are rebuilt on next read
    # and `outreach sync` says so in one line
    reanalyse.detector_version.cache_clear()
    vocabulary.VOCABULARY.write_text(vocabulary.VOCABULARY.read_text(encoding="utf-8") + "\n# edited\n")
    capsys.readouterr()
    assert outreach("sync", "--maildir", str(sample_maildir()), "--db", str(db)) == 0
    notices = [line for line in capsys.readouterr().out.splitlines() if "act detector changed" in line]
    assert len(notices) == 1 and "re-analysed 303 messages (0 changed)" in notices[0]
    assert outreach("sync", "--maildir", str(sample_maildir()), "--db", str(db)) == 0
    assert "act detector changed" not in capsys.readouterr().out
    assert meta(db, cache.FINGERPRINT) is not None


def test_a_store_from_before_versions_is_reanalysed_at_its_next_sync(db):
    with Store.open(db) as store:
        store.replace_acts({}, meta={}, forget=[reanalyse.DETECTOR_META])
        report = sync.run(store, MaildirSource(sample_maildir()), me=[ME])
    assert report.reanalysed is not None and report.reanalysed.read == 303
    assert meta(db, reanalyse.DETECTOR_META) == reanalyse.detector_version()


def test_a_stopping_sync_stops_the_reanalysis_and_the_next_one_finishes_it(db, tmp_path, new_detector, monkeypatch):
    whole = tmp_path / "whole.db"
    shutil.copy(db, whole)
    with Store.open(whole) as store:
        sync.run(store, MaildirSource(sample_maildir()), me=[ME])
    asked = 0

    def stop_after_two_batches() -> bool:
        nonlocal asked
        asked += 1
        return asked > 2

    with Store.open(db) as store:
        monkeypatch.setattr(reanalyse, "BATCH_SIZE", 100)
        report = sync.run(store, MaildirSource(sample_maildir()), me=[ME], should_stop=stop_after_two_batches)
        assert report.stopped and report.reanalysed.stopped and report.reanalysed.read == 200
        assert meta(db, reanalyse.DETECTOR_META) != reanalyse.detector_version()
        report = sync.run(store, MaildirSource(sample_maildir()), me=[ME])
        assert report.reanalysed.resumed_after > 0 and report.reanalysed.read == 103
    assert acts_of(db) == acts_of(whole)


# -- kill -9 of the real command --------------------------------------------------------------


def test_kill_9_mid_run_then_rerun_gives_the_uninterrupted_store(tmp_path):
    # A store whose acts were found by a detector that found none (no version recorded):
    # the shipped detector finds them all again, batch by batch, in a real `outreach reanalyse`.
    db = tmp_path / "store" / "outreach.db"
    synced_run = faults.outreach(tmp_path, "sync", "-q", "--maildir", str(faults.maildir(tmp_path / "mail", 2000)),
                                 "--db", str(db))  # fmt: skip
    assert synced_run.returncode == 0, synced_run.stderr
    with Store.open(db) as store:
        store.replace_acts({i: [] for i in range(1, store.last_message_id() + 1)}, meta={},
                           forget=[reanalyse.DETECTOR_META])  # fmt: skip
    whole = tmp_path / "whole.db"
    shutil.copy(db, whole)
    with Store.open(whole) as store:
        reanalyse.run(store)
    assert len(acts_of(whole)[0]) >= 2000

    command = [sys.executable, "-m", "outreach", "reanalyse", "--db", str(db)]
    process = subprocess.Popen(command, env=daemon_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline and not progress_recorded(db):
        time.sleep(0.005)
    if process.poll() is not None:
        pytest.skip("the run finished before a batch could be seen committed")
    process.kill()  # SIGKILL: no handler, no rollback but SQLite's own
    process.wait()
    assert meta(db, reanalyse.DETECTOR_META) is None
    assert acts_of(db) != acts_of(whole)
    rerun = faults.outreach(tmp_path, "reanalyse", "--db", str(db))
    assert rerun.returncode == 0, rerun.stderr
    assert int(rerun.stdout.split()[1]) < 2000  # it continued after the committed batches
    assert acts_of(db) == acts_of(whole)
    assert meta(db, reanalyse.DETECTOR_META) == meta(whole, reanalyse.DETECTOR_META)


def test_the_daemon_reanalyses_at_its_sync_and_logs_it_once(db, tmp_path):
    with Store.open(db) as store:  # as a store written before detector versions were kept
        store.replace_acts({}, meta={}, forget=[reanalyse.DETECTOR_META])
    args = ("daemon", "--once", "--maildir", str(sample_maildir()), "--db", str(db))
    first = faults.outreach(tmp_path, *args)
    assert first.returncode == 0, first.stderr
    assert first.stderr.count("the act detector changed: re-analysed 303 messages (0 changed)") == 1
    assert meta(db, reanalyse.DETECTOR_META) == reanalyse.detector_version()
    again = faults.outreach(tmp_path, *args)
    assert again.returncode == 0 and "act detector" not in again.stderr

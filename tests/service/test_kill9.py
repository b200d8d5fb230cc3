"""The kill -9 fault-injection machinery of benchmarks/kill9.py, on a small mailbox.

The script itself runs 30+ trials on 20,000 messages; here a few trials check that a
sync killed at a random moment and restarted ends with every table equal to a clean
sync's and leaves no process behind, and that the comparison does see a changed row.
"""

from __future__ import annotations

import random
import sqlite3

from benchmarks import kill9, synthetic


def test_killed_and_restarted_syncs_equal_the_clean_one_and_leave_no_process(tmp_path):
    maildir = synthetic.write_maildir(tmp_path / "mail", 600)
    target = kill9.local_target(maildir, tmp_path)
    ref = kill9.reference(target, tmp_path)
    assert ref.tables["messages"].total() == 600 and ref.tables["contact_cache"].total() > 0

    rng = random.Random(14)
    trials = [kill9.trial(target, ref, rng.uniform(0.1, 0.6) * ref.seconds, tmp_path) for _ in range(3)]
    assert [(t.survivors, t.differing) for t in trials] == [([], [])] * 3
    assert any(t.killed for t in trials)


def test_the_comparison_sees_one_changed_row_of_the_cache(tmp_path):
    maildir = synthetic.write_maildir(tmp_path / "mail", 100)
    target = kill9.local_target(maildir, tmp_path)
    ref = kill9.reference(target, tmp_path)
    db = tmp_path / "reference.db"
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE contact_cache SET sent = sent + 1 WHERE rowid = (SELECT min(rowid) FROM contact_cache)")
        conn.execute("UPDATE daemon_sync SET last_ok = last_ok + 60")  # a time-of-run column: not compared
    conn.close()
    assert kill9.compare(ref.tables, kill9.dump(db)) == ["contact_cache (1 rows missing, 1 extra)"]

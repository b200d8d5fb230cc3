"""Benchmark: `outreach suggest` on a store of 100,000 messages and 5,000 contacts (target: under 1 s).

Prints the time of suggest.weekly() when a new week's slate is chosen (ranking every
contact, rendering the drafts, recording them), when the same week is asked again, and
of the whole command `outreach suggest` in a fresh process (interpreter start included).

    .venv/bin/python benchmarks/suggest.py [--messages N] [--contacts N] [--repeat N] [--realistic]

By default the store comes from benchmarks/relationships.py's generator (headers, acts,
introductions; fast to build).  --realistic syncs benchmarks/synthetic.py's Maildir instead
(full MIME messages; the first run takes minutes).  Stores are cached in benchmarks/.cache/.
Relationships are computed once before timing: sync keeps them fresh, so suggest never
pays for a full recompute.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from outreach.network import cache  # noqa: E402
from outreach.notes import suggest  # noqa: E402
from outreach.store.db import Store  # noqa: E402

NOW = datetime(2026, 11, 16, 12, tzinfo=UTC)
CACHE = ROOT / "benchmarks" / ".cache"


def build(messages: int, contacts: int, realistic: bool) -> Path:
    """A cached store of the wanted size; returns a private copy for this run (suggest writes to it)."""
    CACHE.mkdir(exist_ok=True)
    kind = "realistic" if realistic else "relationships"
    master = CACHE / f"{kind}-{messages}-{contacts}.db"
    if not master.exists():
        print(f"building {master.name} ({messages:,} messages, {contacts:,} contacts) ...", flush=True)
        partial = master.with_suffix(f".partial-{os.getpid()}")
        if realistic:
            from benchmarks.synthetic import ME, cached_maildir
            from outreach.ingest import sync
            from outreach.ingest.sources.local import MaildirSource

            with Store.open(partial) as store:
                sync.run(store, MaildirSource(cached_maildir(messages, contacts=contacts)), me=[ME])
        else:
            from benchmarks.relationships import generate

            generate(partial, messages, contacts)
        partial.rename(master)
    copy = CACHE / f"suggest-{kind}-{messages}-{contacts}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(master, copy)
    return copy


def ms(values: list[float]) -> str:
    median, low, high = (round(v * 1000) for v in (statistics.median(values), min(values), max(values)))
    return f"median {median} ms (min {low}, max {high})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--realistic", action="store_true", help="sync benchmarks/synthetic.py's Maildir")
    args = parser.parse_args()

    path = build(args.messages, args.contacts, args.realistic)
    with Store.open(path) as store:
        started = time.perf_counter()
        cache.update(store)
        prepare = time.perf_counter() - started
        counts = store.counts()
        print(f"store: {counts['messages']:,} messages, {store.contact_count():,} contacts, "
              f"{counts['acts']:,} acts (relationships brought up to date once: {prepare * 1000:.0f} ms)")

        new_week, same_week = [], []
        for i in range(args.repeat):
            now = NOW + timedelta(weeks=6 * i)  # far enough apart that nobody is resting from last time
            started = time.perf_counter()
            found = suggest.weekly(store, now, 5, my_name="Me")
            new_week.append(time.perf_counter() - started)
            started = time.perf_counter()
            again = suggest.weekly(store, now + timedelta(hours=1), 5, my_name="Me")
            same_week.append(time.perf_counter() - started)
            assert [s.key for s in again] == [s.key for s in found]
        print(f"suggest.weekly(), a new week (rank, render 5 drafts, record): {ms(new_week)}  [target < 1000 ms]")
        print(f"suggest.weekly(), the same week again: {ms(same_week)}")
        print("this week's suggestions:")
        for s in found:
            print(f"  {s.score:6.2f}  {s.address:32} {s.template:20} {s.reason}")

    env = {**os.environ, "OUTREACH_ENV_FILE": os.devnull, "OUTREACH_ME": "me@example.org"}
    command = [sys.executable, "-m", "outreach", "suggest", "--db", str(path), "--format", "json"]
    runs = []
    for i in range(args.repeat):
        now = (NOW + timedelta(weeks=6 * (args.repeat + i))).strftime("%Y-%m-%dT%H:%M:%SZ")
        started = time.perf_counter()
        subprocess.run([*command, "--now", now], env=env, check=True, stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - started)
    print(f"`outreach suggest --format json` in a new process, a new week each run: {ms(runs)}  [target < 1000 ms]")


if __name__ == "__main__":
    main()

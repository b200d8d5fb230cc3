"""Ingest benchmark: a 100,000-message Maildir, full sync and no-change re-run.

Prints, from one run on this machine:
  * the disk-read floor: `cat` of every file (page cache warm, like the ingest);
  * a naive parse with email.policy.default (on a sample, as a rate);
  * `outreach sync` as a whole process: messages per second and peak memory;
  * a no-change re-run: whole process, and the sync itself in-process;
  * the ratio of the sync's rate to the naive parse's, by wall clock and by CPU time
    (CPU time is the steadier one on a shared machine), against issue 11's 8x.

Usage: python benchmarks/ingest.py [--messages N] [--naive-sample N]
The Maildir is generated reproducibly by benchmarks/synthetic.py and cached.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import email.policy
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import synthetic  # noqa: E402

ME = synthetic.ME if hasattr(synthetic, "ME") else "alex@morgan.example"


def timed_process(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str, float]:
    """Wall seconds, peak RSS in MB, stdout and CPU seconds (its own and its children's) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}):\n{out}")
    return elapsed, usage.ru_maxrss / 1024, out, usage.ru_utime + usage.ru_stime


def naive_rate(files: list[Path]) -> tuple[float, float]:
    """Messages per second of wall clock and of CPU time."""
    started, cpu = time.perf_counter(), time.process_time()
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(("plain", "html"))
        if body is not None:
            with contextlib.suppress(LookupError, ValueError):  # unknown charsets
                body.get_content()
    return len(files) / (time.perf_counter() - started), len(files) / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--naive-sample", type=int, default=5_000)
    args = parser.parse_args()

    maildir = synthetic.cached_maildir(args.messages)
    files = sorted(p for p in maildir.rglob("*") if p.is_file() and p.parent.name in ("cur", "new"))
    size = sum(p.stat().st_size for p in files)
    print(f"corpus: {len(files):,} messages, {size / 1e6:,.0f} MB, {maildir}")

    floor, _, _, _ = timed_process(["sh", "-c", f"find '{maildir}' -type f -print0 | xargs -0 cat > /dev/null"])
    print(f"cat (disk-read floor):        {floor:6.2f} s   {len(files) / floor:10,.0f} msg/s")

    sample = files[:: max(1, len(files) // args.naive_sample)][: args.naive_sample]
    rate, cpu_rate = naive_rate(sample)
    print(f"naive email.policy.default:   {len(files) / rate:6.2f} s   {rate:10,.0f} msg/s  (rate on {len(sample):,})")

    outreach = str(Path(sys.executable).with_name("outreach"))
    env = dict(os.environ, OUTREACH_ME=ME)
    with tempfile.TemporaryDirectory() as scratch:
        db = str(Path(scratch) / "bench.db")
        argv = [outreach, "sync", "--maildir", str(maildir), "--db", db]
        wall, rss, out, cpu = timed_process(argv, env)
        print(f"outreach sync (full):         {wall:6.2f} s   {len(files) / wall:10,.0f} msg/s  peak {rss:,.0f} MB")
        print("    " + out.strip().replace("\n", "\n    "))
        print(f"sync / naive parse:           {len(files) / wall / rate:5.1f}x wall clock, "
              f"{len(files) / cpu / cpu_rate:5.1f}x CPU time  (issue 11 target: 8x)")  # fmt: skip
        wall, rss, out, _ = timed_process(argv, env)
        print(f"outreach sync (no change):    {wall:6.3f} s whole process, peak {rss:,.0f} MB")

        from outreach.ingest import sync
        from outreach.ingest.sources.local import MaildirSource
        from outreach.store.db import Store

        with Store.open(db) as store:
            report = sync.run(store, MaildirSource(maildir), me=[ME])
        print(f"sync.run (no change, in-process): {report.seconds * 1000:.1f} ms, {report.read} read")


if __name__ == "__main__":
    main()

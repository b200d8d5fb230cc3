"""Benchmark: relationships on 100,000 messages and about 5,000 contacts.

Prints the time to recompute every contact, ledger and referral from scratch, in
one process (target: 1.5 s at most), wall and CPU seconds (CPU time moves less
than wall time on a busy machine), the peak memory of a process doing it, the
time to list all contacts, and to fold in one new message incrementally (target:
one contact's work, milliseconds), for contacts from the busiest to the long tail.

    .venv/bin/python benchmarks/relationships.py                  # the realistic store
    .venv/bin/python benchmarks/relationships.py --store direct   # or: both
    .venv/bin/python benchmarks/relationships.py --sync-rss       # + peak RSS of `outreach sync`

Stores, built once into benchmarks/.cache/ and reused:
  synthetic  (default) benchmarks/synthetic.py's realistic Maildir of 100,000 messages, ingested
             with `outreach sync`'s pipeline (parser, act detector, 2 workers): about 2.2 acts
             per message, as its text plants them.  Rebuilt (~25 s) when the parser, the act
             detector or the schema changes.
  direct     rows written straight with Store.write_batch, about one act per seven messages,
             long-tailed contacts (the busiest has ~4.6% of the mail), threads, 40-person mails
--sync-rss runs `outreach sync --maildir` on the same Maildir into a fresh store (~30 s) and
prints its peak RSS (issue 2: under 150 MB), the relationships refresh at its end included.
Wall-clock figures on a shared machine are indicative only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from outreach.model import Act, Address, Message  # noqa: E402
from outreach.network import cache, contacts  # noqa: E402
from outreach.store.db import MIGRATIONS, Store  # noqa: E402

ME = Address("me@example.org", "Me")
NOW = datetime(2026, 11, 16, 12, tzinfo=UTC)
ACTS = [
    Act("ask", "money", "Could you lend me $2,000?", amount=2000),
    Act("ask", "time", "Could you spare 30 minutes next week?", minutes=30),
    Act("ask", "review", "Would you look over my deck?"),
    Act("give", "resource", "Here is the article I mentioned."),
    Act("give", "congrats", "Congratulations on the new role!"),
    Act("thanks", "", "Thanks so much for your help."),
]
# what the synthetic store depends on: rebuilt when any of these change
PIPELINE = ["outreach/ingest/parse.py", "outreach/ingest/acts.py", "outreach/ingest/sync.py", "rules/acts.toml"]


def generate(path: Path, n_messages: int, n_contacts: int, seed: int = 7) -> None:
    """A mailbox with a long-tailed contact distribution, threads, group mail, bulk mail and acts."""
    rng = random.Random(seed)
    people = [Address(f"person{i}@org{i % 400}.com", f"Person {i}") for i in range(n_contacts)]
    weights = [1 / (i + 1) ** 0.8 for i in range(n_contacts)]  # a few close ties, a long tail
    start = NOW - timedelta(days=3 * 365)
    store = Store.open(path)
    store.set_identity([ME.address], "config")
    batch: list[tuple[Message, list[Act]]] = []
    recent: list[tuple[str, Address, bool]] = []
    for i in range(n_messages):
        date = start + timedelta(seconds=rng.random() * 3 * 365 * 86_400)
        if rng.random() < 0.1:  # newsletters and notifications
            message = Message(f"<b{i}@bulk>", f"<b{i}@bulk>", "INBOX", date, None,
                              Address("news@bulk.example"), [ME], subject="Weekly digest",
                              automated="list-id")  # fmt: skip
            batch.append((message, []))
            continue
        audience = rng.choice([1] * 12 + [2, 2, 3, 5, 40])
        others = rng.choices(people, weights, k=audience)
        sent = rng.random() < 0.4
        reply = rng.choice(recent) if recent and rng.random() < 0.3 else None
        in_reply_to = reply[0] if reply else None
        if reply:
            others[0] = reply[1]
            sent = not reply[2]
        acts = [rng.choice(ACTS)] if rng.random() < 0.15 else []
        if not sent and audience >= 2 and rng.random() < 0.05:
            # the person introduced is usually someone new: drawn from the long tail
            others[1] = people[rng.randrange(n_contacts // 2, n_contacts)]
            acts = [Act("introduction", "", f"Meet {others[1].name}.", person=others[1].name)]
        mid = f"<m{i}@bench>"
        message = Message(
            key=mid,
            message_id=mid,
            folder="Sent" if sent else "INBOX",
            date=date,
            date_problem=None,
            sender=ME if sent else others[0],
            to=others if sent else [ME, *others[1:]],
            subject=f"Re: topic {i % 977}" if reply else f"topic {i % 977}",
            in_reply_to=in_reply_to,
            references=[in_reply_to] if in_reply_to else [],
            text="",
        )
        batch.append((message, acts))
        recent = (recent + [(mid, others[0], sent)])[-50:]
        if len(batch) >= 5000:
            store.write_batch(batch, store_bodies=False)
            batch.clear()
    store.write_batch(batch, store_bodies=False)
    store.close()


def timed(fn, repeat: int) -> list[float]:
    return [wall for wall, _ in timed_cpu(fn, repeat)]


def timed_cpu(fn, repeat: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each of ``repeat`` calls."""
    out = []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - started, time.process_time() - cpu))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=5_000, help="for the direct store")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--store", choices=("synthetic", "direct", "both"), default="synthetic")
    parser.add_argument("--sync-rss", action="store_true", help="also the peak RSS of `outreach sync`")
    parser.add_argument("--recompute-rss", metavar="DB", help=argparse.SUPPRESS)  # child processes
    parser.add_argument("--sync-child", metavar="MAILDIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.recompute_rss:
        return recompute_rss(Path(args.recompute_rss))
    if args.sync_child:
        return sync_child(args.sync_child)
    cache = Path(__file__).resolve().parent / ".cache"
    cache.mkdir(exist_ok=True)
    if args.store != "direct":
        path = synthetic_store(cache, args.messages)
        if path is not None:
            run(path, "synthetic (benchmarks/synthetic.py, ingested by the sync pipeline)", args.repeat)
    if args.store != "synthetic":
        path = cache / f"relationships-{args.messages}-{args.contacts}.db"
        if not path.exists():
            print(f"generating {args.messages:,} messages for {args.contacts:,} people into {path} ...")
            generate(path, args.messages, args.contacts)
        run(path, "direct (rows written with Store.write_batch)", args.repeat)
    if args.sync_rss:
        sync_rss(args.messages)


def _synthetic():
    try:
        import synthetic  # benchmarks/ is on sys.path when this file runs as a script
    except ImportError:
        return None
    return synthetic


def synthetic_store(cache: Path, n_messages: int) -> Path | None:
    """benchmarks/synthetic.py's Maildir synced into a store, once; None when that generator is absent."""
    synthetic = _synthetic()
    if synthetic is None:
        print("benchmarks/synthetic.py not found: synthetic store skipped")
        return None
    digest = hashlib.sha256(b"".join((ROOT / p).read_bytes() for p in PIPELINE if (ROOT / p).exists()))
    digest.update(str(MIGRATIONS[-1][0]).encode())
    path = cache / f"relationships-synthetic-v{synthetic.VERSION}-{n_messages}-{digest.hexdigest()[:10]}.db"
    if not path.exists():
        from outreach.ingest import sync
        from outreach.ingest.sources.local import MaildirSource

        for stale in cache.glob(f"relationships-synthetic-v*-{n_messages}-*.db"):
            stale.unlink()  # built by an older pipeline
        maildir = synthetic.cached_maildir(n_messages)
        print(f"ingesting {maildir} into {path} (once, ~25 s) ...")
        partial = path.with_suffix(".partial")
        for leftover in cache.glob(partial.name + "*"):
            leftover.unlink()
        with Store.open(partial) as store:
            sync.run(store, MaildirSource(maildir), me=[synthetic.ME])
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        partial.rename(path)
    return path


def recompute_rss(path: Path) -> None:
    """In a fresh process: open the store, recompute once; print the peak RSS before and after, and the seconds."""
    with Store.open(path) as store:
        before = _peak_mb()
        started = time.perf_counter()
        cache.recompute(store)
        seconds = time.perf_counter() - started
    print(f"{before:.0f} {_peak_mb():.0f} {seconds:.3f}")


def sync_child(maildir: str) -> None:
    """In a fresh process: `outreach sync --maildir MAILDIR`; print its peak RSS and its workers'."""
    from outreach.cli import main as cli

    status = cli(["sync", "--quiet", "--maildir", maildir])
    print(f"{status} {_peak_mb():.0f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}")


def _peak_mb() -> float:
    """This process's peak RSS in MB.  VmHWM, not ru_maxrss: a child started by vfork+exec inherits its
    parent's ru_maxrss, and this benchmark's own process is large by the time it starts children."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run(path: Path, label: str, repeat: int) -> None:
    print(f"\n== {label}")
    print(f"store: {path}")
    work = Path(tempfile.mkdtemp(prefix="relbench-")) / "store.db"
    shutil.copyfile(path, work)  # refreshes below add messages: keep the cached store as built
    try:
        _run(work, repeat)
    finally:
        for leftover in work.parent.iterdir():
            leftover.unlink()
        work.parent.rmdir()


def _run(path: Path, repeat: int) -> None:
    store = Store.open(path)
    counts = store.counts()
    print(f"{counts['messages']:,} messages ({counts['automated']:,} automated, {counts['sent']:,} sent),"
          f" {counts['acts']:,} acts")  # fmt: skip

    child = subprocess.run(
        [sys.executable, __file__, "--recompute-rss", str(path)], capture_output=True, text=True, check=True
    )
    before, after, seconds = child.stdout.split()
    print(f"full recompute in a fresh process: {float(seconds) * 1000:.0f} ms, peak RSS {after} MB"
          f" ({before} MB after opening the store)")  # fmt: skip

    full = timed_cpu(lambda: cache.recompute(store), repeat)
    wall, cpu = [w for w, _ in full], [c for _, c in full]
    n_contacts = len(store.cached_contacts())
    n_referrals = len(store.cached_referrals())
    print(f"full recompute: {n_contacts:,} contacts, {n_referrals:,} referrals: median"
          f" {statistics.median(wall) * 1000:.0f} ms wall (min {min(wall) * 1000:.0f}),"
          f" {statistics.median(cpu) * 1000:.0f} ms CPU (min {min(cpu) * 1000:.0f})  [target <= 1500 ms]")  # fmt: skip

    listing = timed(lambda: contacts.contacts(store, NOW), repeat)
    print(f"contacts() listing of all contacts: median {statistics.median(listing) * 1000:.0f} ms")

    # one new message at a time, to contacts from the busiest to the long tail
    ranked = sorted(store.cached_contacts(), key=lambda c: -(c.sent + c.received))
    me = Address(min(store.my_addresses()))
    print(f"one new message, then refresh(store, touched) (median of {repeat}):")
    for rank in (1, 10, 100, 1000, len(ranked)):
        row = ranked[rank - 1]
        other = Address(row.address)
        writes, refreshes = [], []
        for i in range(repeat):
            mid = f"<new{time.time_ns()}-{i}@bench>"
            message = Message(mid, mid, "INBOX", NOW, None, other, [me], subject="news", text="")
            started = time.perf_counter()
            store.write_batch([(message, [ACTS[-1]])], store_bodies=False)
            writes.append(time.perf_counter() - started)
            refreshes += timed(lambda: cache.refresh(store, {other.address}), 1)  # noqa: B023
        n = row.sent + row.received
        share = n / max(counts["messages"] - counts["automated"], 1)
        print(f"  contact #{rank:<5} ({n:>5} messages, {share:5.1%} of personal mail): write"
              f" {statistics.median(writes) * 1000:.1f} ms, refresh {statistics.median(refreshes) * 1000:.1f} ms")
    busiest = ranked[0].address
    detail = timed(lambda: contacts.contact_detail(store, busiest, NOW), repeat)
    print(f"contact_detail() of the busiest contact: median {statistics.median(detail) * 1000:.1f} ms")
    store.close()


def sync_rss(n_messages: int) -> None:
    """`outreach sync --maildir` into a fresh store, in a child process: its peak RSS."""
    synthetic = _synthetic()
    if synthetic is None:
        print("benchmarks/synthetic.py not found: sync RSS skipped")
        return
    maildir = synthetic.cached_maildir(n_messages)
    print(f"\n== outreach sync --maildir {maildir}, into a fresh store")
    with tempfile.TemporaryDirectory(prefix="relbench-sync-") as tmp:
        env = {**os.environ, "OUTREACH_ME": synthetic.ME, "OUTREACH_DB": str(Path(tmp) / "sync.db")}
        started = time.perf_counter()
        child = subprocess.run([sys.executable, __file__, "--sync-child", str(maildir)], env=env,
                               capture_output=True, text=True, check=True)  # fmt: skip
        seconds = time.perf_counter() - started
    status, peak, workers = child.stdout.split()[-3:]
    print(f"exit {status} in {seconds:.1f} s: peak RSS {peak} MB (parsing workers: {workers} MB each at most)"
          "  [target < 150 MB]")

if __name__ == "__main__":
    main()

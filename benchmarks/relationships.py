"""Benchmark: relationships on 100,000 messages and about 5,000 contacts.

Prints the time to recompute every contact, ledger and referral from scratch
(target: under 1 s), to list all contacts, and to fold in one new message
incrementally (target: one contact's work, milliseconds), for contacts from the
busiest to the long tail.

    .venv/bin/python benchmarks/relationships.py            # both stores below
    .venv/bin/python benchmarks/relationships.py --only synthetic|direct

Two stores, built once into benchmarks/.cache/ and reused:
  synthetic  benchmarks/synthetic.py's realistic Maildir, ingested with `outreach sync`'s
             pipeline (parser and act detector); its text plants about two acts per message
  direct     rows written straight with Store.write_batch, about one act per seven messages
             (closer to real mail), long-tailed contacts, threads and 40-person mails
Wall-clock figures on a shared machine are indicative only.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from outreach import relationships as rel  # noqa: E402
from outreach.model import Act, Address, Message  # noqa: E402
from outreach.store import Store  # noqa: E402

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
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=("synthetic", "direct"), help="benchmark one store only")
    args = parser.parse_args()
    cache = Path(__file__).resolve().parent / ".cache"
    cache.mkdir(exist_ok=True)
    if args.only != "direct":
        path = synthetic_store(cache, args.messages, args.contacts)
        if path is not None:
            run(path, "synthetic (benchmarks/synthetic.py, ingested)", args.repeat)
    if args.only != "synthetic":
        path = cache / f"relationships-{args.messages}-{args.contacts}.db"
        if not path.exists():
            print(f"generating {args.messages:,} messages for {args.contacts:,} people into {path} ...")
            generate(path, args.messages, args.contacts)
        run(path, "direct (rows written with Store.write_batch)", args.repeat)


def synthetic_store(cache: Path, n_messages: int, n_contacts: int) -> Path | None:
    """benchmarks/synthetic.py's Maildir synced into a store, once; None when that generator is absent."""
    try:
        import synthetic  # benchmarks/ is on sys.path when this file runs as a script
    except ImportError:
        print("benchmarks/synthetic.py not found: synthetic store skipped")
        return None
    path = cache / f"relationships-synthetic-v{synthetic.VERSION}-{n_messages}-{n_contacts}.db"
    if not path.exists():
        from outreach import sync
        from outreach.sources.local import MaildirSource

        maildir = synthetic.cached_maildir(n_messages, contacts=n_contacts)
        print(f"ingesting {maildir} into {path} (once) ...")
        partial = path.with_suffix(".partial")
        with Store.open(partial) as store:
            sync.run(store, MaildirSource(maildir), me=[synthetic.ME])
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        partial.rename(path)
    return path


def run(path: Path, label: str, repeat: int) -> None:
    print(f"\n== {label}")
    store = Store.open(path)
    counts = store.counts()
    print(f"store: {counts['messages']:,} messages ({counts['automated']:,} automated), {counts['acts']:,} acts")

    full = timed(lambda: rel.recompute(store), repeat)
    n_contacts = len(store.rel_contacts())
    n_referrals = len(store.rel_referrals())
    print(f"full recompute: {n_contacts:,} contacts, {n_referrals:,} referrals: median "
          f"{statistics.median(full) * 1000:.0f} ms (min {min(full) * 1000:.0f})  [target < 1000 ms]")  # fmt: skip

    listing = timed(lambda: rel.contacts(store, NOW), repeat)
    print(f"contacts() listing of all contacts: median {statistics.median(listing) * 1000:.0f} ms")

    # one new message at a time, to contacts from the busiest to the long tail
    ranked = sorted(store.rel_contacts(), key=lambda r: -(r["sent"] + r["received"]))
    me = Address(min(store.my_addresses()))
    print("one new message, then refresh(store, touched):")
    for rank in (1, 10, 100, 1000, len(ranked)):
        row = ranked[rank - 1]
        other = Address(row["address"])
        writes, refreshes = [], []
        for i in range(repeat):
            mid = f"<new{time.time_ns()}-{i}@bench>"
            message = Message(mid, mid, "INBOX", NOW, None, other, [me], subject="news", text="")
            started = time.perf_counter()
            store.write_batch([(message, [ACTS[-1]])], store_bodies=False)
            writes.append(time.perf_counter() - started)
            refreshes += timed(lambda: rel.refresh(store, {other.address}), 1)  # noqa: B023
        n = row["sent"] + row["received"]
        print(f"  contact #{rank:<5} ({n:>5} messages): write {statistics.median(writes) * 1000:.1f} ms,"
              f" refresh {statistics.median(refreshes) * 1000:.1f} ms")  # fmt: skip
    busiest = ranked[0]["address"]
    detail = timed(lambda: rel.contact_detail(store, busiest, NOW), repeat)
    print(f"contact_detail() of the busiest contact: median {statistics.median(detail) * 1000:.1f} ms")
    store.close()


if __name__ == "__main__":
    main()

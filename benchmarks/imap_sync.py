"""IMAP sync benchmark against a private local Dovecot (tests/servers/dovecot.py).

20,000 messages across INBOX and Sent (default 14,000 + 6,000).  Prints:
  * the APPEND rate (set-up, for reference);
  * the fetch floor: the IMAP source alone, messages handed over per second;
  * first sync into a durable store (outreach.ingest.sync: fetch, parse, acts, SQLite);
  * a no-change re-sync (median of several, in-process, fresh connection each);
  * mbsync (isync) pulling the same two folders into a Maildir, first and no-change.

Usage: python benchmarks/imap_sync.py [--messages N] [--sent-share 0.3] [--batch 1000]
Targets (issue 3): first sync >= 5,000 msg/s; no-change re-sync < 50 ms.
Figures taken while other work runs on the machine are indicative only.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # before site-packages: textstat ships a stray `tests` package

from outreach.accounts import ImapAccount  # noqa: E402
from outreach.ingest import sync  # noqa: E402
from outreach.ingest.sources.imap import BATCH_SIZE, ImapSource  # noqa: E402
from outreach.model import Cursor  # noqa: E402
from outreach.store.db import Store  # noqa: E402
from tests.servers.dovecot import Dovecot  # noqa: E402

ME = "alex@morgan.example"  # synthetic.ME


def corpus(count: int, sent_share: float, seed: int = 7) -> tuple[list[bytes], list[bytes], str]:
    """(INBOX, Sent, origin): benchmarks/synthetic.py when present (its Archive goes to INBOX),
    else local_corpus."""
    try:
        sys.path.insert(0, str(HERE))
        import synthetic  # type: ignore[import-not-found]
    except ImportError:
        return (*local_corpus(count, sent_share, seed), "local generator")
    inbox, sent = [], []
    for folder, data in synthetic.iter_messages(count, crlf=True):
        (sent if folder == "Sent" else inbox).append(data)
    return inbox, sent, "benchmarks/synthetic.py"


SENTENCES = [
    "Thanks so much for the introduction to Priya last week.",
    "Could you take a look at the draft deck before Friday?",
    "I'd love 20 minutes of your time to hear how you approached the hiring plan.",
    "Congratulations on the new role, that is wonderful news.",
    "Here is the article on pricing experiments I mentioned; it made me think of your launch.",
    "Happy to introduce you to Sam, who ran growth at a similar company.",
    "Let me know if there is anything I can do to help with the move.",
    "We shipped the first version today and the feedback has been kind.",
    "Would you be open to a quick call next week?",
    "No need to reply, just wanted to say the talk was great.",
]


def local_corpus(count: int, sent_share: float, seed: int) -> tuple[list[bytes], list[bytes]]:
    """A small stand-in generator: 400 correspondents, threads, quoting, lists, 8% attachments."""
    from tests.servers.mail import make_message

    rng = random.Random(seed)
    people = [f"{rng.choice(['sam', 'priya', 'li', 'jo', 'max', 'ana'])}{i}@example{i % 37}.org" for i in range(400)]
    inbox, sent = [], []
    for n in range(count):
        body = " ".join(rng.sample(SENTENCES, rng.randint(2, 5)))
        body = f"Hi,\n\n{body}\n\nBest,\nA." + ("\n\nOn Monday, Sam wrote:\n> earlier note\n> more" if n % 3 else "")
        attachment = rng.randbytes(rng.randint(20_000, 120_000)) if rng.random() < 0.08 else None
        other = people[int(rng.paretovariate(1.2)) % len(people)]
        if rng.random() < sent_share:
            sent.append(make_message(n, sender=ME, to=other, body=body, attachment=attachment))
        else:
            inbox.append(make_message(n, sender=other, to=ME, body=body, attachment=attachment))
    return inbox, sent


def first_sync(account: ImapAccount, db: Path, batch: int, acts: bool = True) -> tuple[float, sync.SyncReport]:
    with Store.open(db) as store:
        started = time.perf_counter()
        detect = None if acts else (lambda text: [])
        report = sync.run(store, ImapSource(account, batch_size=batch), me=[ME], detect=detect)
        return time.perf_counter() - started, report


def fetch_floor(account: ImapAccount, batch: int) -> tuple[float, int]:
    """The source alone: every message handed over, nothing parsed or stored."""
    started = time.perf_counter()
    count = sum(1 for item in ImapSource(account, batch_size=batch).scan(Cursor()) if hasattr(item, "data"))
    return time.perf_counter() - started, count


def no_change(account: ImapAccount, db: Path, runs: int = 9) -> list[float]:
    times = []
    with Store.open(db) as store:
        for _ in range(runs):
            started = time.perf_counter()
            report = sync.run(store, ImapSource(account), me=[ME])
            times.append(time.perf_counter() - started)
            assert report.read == 0, report
    return times


def mbsync(server: Dovecot, work: Path) -> tuple[float, list[float], int] | None:
    if shutil.which("mbsync") is None:
        subprocess.run([str(HERE.parent / "scripts" / "test-deps"), "--mbsync"], check=False)
    if shutil.which("mbsync") is None:
        print("mbsync: not installed and could not be installed (apt-get install isync); skipped")
        return None
    # mbsync matches the certificate by DNS name only (not IP address): use "localhost".
    maildir = work / "mbsync-maildir"
    maildir.mkdir()
    config = work / "mbsyncrc"
    config.write_text(
        f"IMAPAccount bench\nHost localhost\nPort {server.tls_port}\nUser {server.user}\n"
        f'Pass "{server.password}"\nSSLType IMAPS\nCertificateFile {server.cert}\n\n'
        "IMAPStore remote\nAccount bench\n\n"
        f"MaildirStore local\nPath {maildir}/\nInbox {maildir}/INBOX\nSubFolders Verbatim\n\n"
        "Channel bench\nFar :remote:\nNear :local:\nPatterns INBOX Sent\nCreate Near\nSync Pull\n"
        f"SyncState *\n"
    )
    config.chmod(0o600)

    def run() -> float:
        started = time.perf_counter()
        subprocess.run(["mbsync", "-q", "-c", str(config), "bench"], check=True)
        return time.perf_counter() - started

    first = run()
    again = [run() for _ in range(5)]
    pulled = sum(1 for _ in maildir.rglob("cur/*")) + sum(1 for _ in maildir.rglob("new/*"))
    return first, again, pulled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--sent-share", type=float, default=0.3, help="local generator only")
    parser.add_argument("--batch", type=int, default=BATCH_SIZE)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="outreach-imap-bench-"))
    server = Dovecot(user=ME)
    try:
        server.start()
        inbox, sent, origin = corpus(args.messages, args.sent_share)
        size = sum(map(len, inbox)) + sum(map(len, sent))
        started = time.perf_counter()
        server.append("INBOX", inbox, chunk=1000)
        server.append("Sent", sent, chunk=1000, flags=["\\Seen"])
        took = time.perf_counter() - started
        total = len(inbox) + len(sent)
        print(f"mailbox ({origin}): {len(inbox):,} INBOX + {len(sent):,} Sent, {size / 1e6:.0f} MB; "
              f"APPEND {total / took:,.0f} msg/s")  # fmt: skip
        account = ImapAccount(
            name="bench", host=server.host, port=server.tls_port, user=ME, password=server.password,
            ca_file=server.cert,
        )  # fmt: skip

        seconds, count = fetch_floor(account, args.batch)
        print(f"IMAP source alone (TLS, batch {args.batch}): {count / seconds:,.0f} msg/s ({seconds:.2f} s)")

        seconds, report = first_sync(account, work / "outreach.db", args.batch)
        rate = report.new / seconds
        print(f"first sync into the store: {report.new:,} new in {seconds:.2f} s = {rate:,.0f} msg/s "
              f"[target >= 5,000: {'met' if rate >= 5000 else 'MISSED'}]")  # fmt: skip
        assert report.new == total, report
        seconds, report = first_sync(account, work / "no-acts.db", args.batch, acts=False)
        print(f"  the same without act detection (fetch, parse, store): {report.new / seconds:,.0f} msg/s")

        times = no_change(account, work / "outreach.db")
        median = statistics.median(times) * 1000
        print(f"no-change re-sync: median {median:.1f} ms, worst {max(times) * 1000:.1f} ms "
              f"[target < 50 ms: {'met' if median < 50 else 'MISSED'}]")  # fmt: skip

        result = mbsync(server, work)
        if result:
            first, again, pulled = result
            print(f"mbsync: first pull {pulled:,} msgs in {first:.2f} s = {pulled / first:,.0f} msg/s; "
                  f"no-change median {statistics.median(again) * 1000:.1f} ms")  # fmt: skip
    finally:
        server.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

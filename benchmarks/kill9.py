"""Fault injection: `kill -9` of `outreach sync` at random moments, then restart and compare.

For each source (a local Maildir, and the project's Dovecot over IMAP):

  * one clean `outreach sync` into a fresh store is the reference: its duration, and every
    row of every table (the relationship cache included);
  * each trial starts `outreach sync` into a fresh store, sends SIGKILL to that process
    alone (not its group: whatever it started must die with it) at a moment drawn
    uniformly between its start and the reference's duration, checks that nothing the
    killed run started survives a short grace period (its descendants just before the
    kill, and any process still holding the store's files), runs `outreach sync` again
    to the end and compares every table with the reference, rows in any order.

Each sync is a real subprocess of the installed command line with its own --db, no .env
and no OUTREACH_* setting from the caller's environment.  Exit status 1 when a trial is
inexact or leaves a survivor.

Usage: python benchmarks/kill9.py [--trials 30] [--seed 1] [--messages 20000]
                                  [--imap-messages N] [--only local|imap] [--grace 5]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # before site-packages: textstat ships a stray `tests` package

from benchmarks import synthetic  # noqa: E402
from benchmarks.imap_sync import corpus  # noqa: E402
from tests.daemon_proc import ME, daemon_env  # noqa: E402
from tests.servers.dovecot import Dovecot  # noqa: E402
from tests.service.processes import alive, cmdline, descendants  # noqa: E402

# The only columns left out of the comparison: they record the run, not the mail, so a
# sync that was killed and restarted legitimately writes other values there.
RUN_COLUMNS = {
    # the clock time the item was found unreadable: some by the killed run, the rest by the restart
    ("skipped", "at"),
    # the clock time the last sync of the source ended
    ("daemon_sync", "last_ok"),
    # how many messages the last sync added: the restart adds only what the killed run had not committed
    ("daemon_sync", "last_new"),
}
RUN_TIMEOUT = 1800.0  # seconds one sync to the end may take on a loaded machine

Tables = dict[str, Counter[bytes]]  # table -> its rows (digests), as a multiset


@dataclass(frozen=True)
class Target:
    """What every sync of a series reads: the `outreach sync` options and the environment."""

    name: str
    args: list[str]
    env: dict[str, str]


@dataclass(frozen=True)
class Reference:
    """The clean sync every trial is compared with."""

    tables: Tables
    seconds: float


@dataclass(frozen=True)
class Trial:
    moment: float  # seconds after the start that SIGKILL was due
    killed: bool  # the sync was still running then (else it had ended on its own)
    below: int  # processes below it just before the kill
    survivors: list[str]  # "PID command line" of what still ran after the grace period
    differing: list[str]  # tables that differ from the reference after the restart, with counts

    @property
    def exact(self) -> bool:
        return not self.differing

    def line(self, number: int, of: int, reference: float) -> str:
        when = (f"killed at {self.moment:5.2f} s of {reference:.2f} s" if self.killed
                else f"ended before {self.moment:5.2f} s (not killed, not counted)")  # fmt: skip
        verdict = "exact" if self.exact else f"INEXACT: {'; '.join(self.differing)}"
        left = f"survivors {len(self.survivors)}" + (f" ({', '.join(self.survivors)})" if self.survivors else "")
        return f"trial {number:2}/{of}: {when}, {self.below} processes below it, {left}, {verdict}"


def outreach_command() -> list[str]:
    """The installed command line next to this interpreter, else the package run as a module."""
    script = Path(sys.executable).with_name("outreach")
    return [str(script)] if script.exists() else [sys.executable, "-m", "outreach"]


def sync_command(target: Target, db: Path) -> list[str]:
    return [*outreach_command(), "sync", "--quiet", *target.args, "--db", str(db)]


def local_target(maildir: Path, work: Path) -> Target:
    return Target("local", ["--maildir", str(maildir)], daemon_env(work))


def imap_target(server: Dovecot, work: Path) -> Target:
    """The IMAP account of ``server``'s user; plain IMAP, as TLS may be off for a loopback server only."""
    env = daemon_env(
        work, IMAP_HOST=server.host, IMAP_PORT=str(server.port), IMAP_TLS="off", IMAP_USER=server.user,
        IMAP_PASSWORD=server.password, IMAP_TIMEOUT="60",
    )  # fmt: skip
    return Target("imap", [], env)


def fresh(db: Path) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)


def sync_to_end(target: Target, db: Path, log: Path) -> None:
    """`outreach sync` until it ends; an error (with the end of its stderr) when it fails."""
    with open(log, "ab") as err:
        done = subprocess.run(sync_command(target, db), env=target.env, cwd=db.parent,
                              stdout=subprocess.DEVNULL, stderr=err, timeout=RUN_TIMEOUT)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{target.name}: outreach sync exited {done.returncode}:\n"
                           f"{log.read_text(errors='replace')[-3000:]}")  # fmt: skip


def dump(db: Path) -> Tables:
    """Every row of every table but RUN_COLUMNS, as digests: order-independent, small in memory."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]  # fmt: skip
        tables: Tables = {}
        for name in names:
            info = conn.execute(f'PRAGMA table_info("{name}")')
            columns = [row[1] for row in info if (name, row[1]) not in RUN_COLUMNS]
            select = ", ".join(f'"{c}"' for c in columns)
            tables[name] = Counter(
                hashlib.blake2b(repr(row).encode(), digest_size=16).digest()
                for row in conn.execute(f'SELECT {select} FROM "{name}"')
            )
        return tables
    finally:
        conn.close()


def compare(expected: Tables, got: Tables) -> list[str]:
    """The tables that differ, each with how many rows are missing and how many are extra."""
    differing = []
    for name in sorted(expected.keys() | got.keys()):
        if name not in got or name not in expected:
            differing.append(f"{name} ({'missing' if name not in got else 'unexpected'} table)")
            continue
        missing, extra = expected[name] - got[name], got[name] - expected[name]
        if missing or extra:
            differing.append(f"{name} ({missing.total()} rows missing, {extra.total()} extra)")
    return differing


def holders(db: Path) -> set[int]:
    """Processes other than this one with one of the store's files open."""
    files = {str(db), f"{db}-wal", f"{db}-shm", f"{db}-journal"}
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if any(os.readlink(fd) in files for fd in (entry / "fd").iterdir()):
                found.add(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to look at
            continue
    return found


def leftovers(below: set[int], db: Path, grace: float) -> set[int]:
    """Which of ``below``, or of the store's holders, still run once ``grace`` seconds have passed."""
    deadline = time.monotonic() + grace
    while True:
        left = {p for p in below if alive(p)} | holders(db)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def reference(target: Target, work: Path) -> Reference:
    db = work / "reference.db"
    fresh(db)
    started = time.monotonic()
    sync_to_end(target, db, work / "reference.log")
    return Reference(dump(db), time.monotonic() - started)


def trial(target: Target, ref: Reference, moment: float, work: Path, grace: float = 5.0) -> Trial:
    """Start a sync into a fresh store, SIGKILL it ``moment`` seconds in, check, restart, compare."""
    db = work / "trial.db"
    fresh(db)
    log = work / "trial.log"
    log.unlink(missing_ok=True)
    with open(log, "ab") as err:
        proc = subprocess.Popen(sync_command(target, db), env=target.env, cwd=work,
                                stdout=subprocess.DEVNULL, stderr=err)  # fmt: skip
    below: set[int] = set()
    try:
        proc.wait(moment)
        killed = False
    except subprocess.TimeoutExpired:
        below = descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)  # the process alone: its children must go by themselves
        proc.wait()
        killed = True
    left = leftovers(below, db, grace)
    survivors = [f"{pid} {cmdline(pid)[:60].strip()}" for pid in sorted(left)]
    for pid in left:  # started by this trial: do not let them disturb the next one
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    sync_to_end(target, db, log)
    return Trial(moment, killed, len(below), survivors, compare(ref.tables, dump(db)))


def run_trials(target: Target, trials: int, rng: random.Random, work: Path, grace: float, label: str) -> list[Trial]:
    """The reference, then ``trials`` trials, one line each; a differing store is kept in ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    ref = reference(target, work)
    rows = sum(t.total() for t in ref.tables.values())
    print(f"{target.name}: reference sync of {label} in {ref.seconds:.2f} s: "
          f"{len(ref.tables)} tables, {rows:,} rows", flush=True)  # fmt: skip
    results: list[Trial] = []
    # A run can end before its kill moment (the machine got faster than the reference); it is
    # checked like the others but does not count: trials go on until ``trials`` were killed.
    while sum(r.killed for r in results) < trials and len(results) < 3 * trials:
        result = trial(target, ref, rng.uniform(0, ref.seconds), work, grace)
        results.append(result)
        number = sum(r.killed for r in results)
        print(f"{target.name} {result.line(number, trials, ref.seconds)}", flush=True)
        if not result.exact:
            kept = work / f"inexact-{len(results)}.db"
            shutil.copyfile(work / "trial.db", kept)
            print(f"  store kept: {kept}", flush=True)
    print(summary(target.name, results), flush=True)
    return results


def summary(name: str, results: list[Trial]) -> str:
    exact = sum(r.exact for r in results)
    survivors = sum(len(r.survivors) for r in results)
    killed = sum(r.killed for r in results)
    ended = len(results) - killed
    return (f"{name}: {exact} exact of {len(results)}, {survivors} survivors ({killed} killed mid-run"
            + (f", {ended} ended before their kill moment)" if ended else ")"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=30, help="killed runs per source (one that ends first is extra)")
    parser.add_argument("--seed", type=int, default=1, help="for the kill moments")
    parser.add_argument("--messages", type=int, default=20_000, help="of the local Maildir")
    parser.add_argument("--imap-messages", type=int, help="loaded into Dovecot (default: --messages)")
    parser.add_argument("--only", choices=("local", "imap"))
    parser.add_argument("--grace", type=float, default=5.0, help="seconds the killed run's processes get to end")
    parser.add_argument("--work", type=Path, help="where the stores go (default: a new temporary directory)")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="outreach-kill9-"))
    rng = random.Random(args.seed)
    results: dict[str, list[Trial]] = {}
    if args.only in (None, "local"):
        maildir = synthetic.cached_maildir(args.messages)
        target = local_target(maildir, work / "local")
        results["local"] = run_trials(target, args.trials, rng, work / "local", args.grace,
                                      f"{args.messages:,} messages ({maildir.name})")  # fmt: skip
    if args.only in (None, "imap"):
        count = args.imap_messages or args.messages
        with Dovecot(user=ME) as server:
            inbox, sent, origin = corpus(count, 0.3)
            started = time.monotonic()
            server.append("INBOX", inbox, chunk=1000)
            server.append("Sent", sent, chunk=1000, flags=["\\Seen"])
            print(f"imap: {len(inbox):,} INBOX + {len(sent):,} Sent ({origin}) appended in "
                  f"{time.monotonic() - started:.0f} s", flush=True)  # fmt: skip
            target = imap_target(server, work / "imap")
            results["imap"] = run_trials(target, args.trials, rng, work / "imap", args.grace,
                                         f"{count:,} messages from Dovecot")  # fmt: skip
    failed = any(not r.exact or r.survivors for trials in results.values() for r in trials)
    if failed:
        print(f"stores kept under {work}")
    elif args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

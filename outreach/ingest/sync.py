"""The ingest pipeline: source → parse → acts → store, in committed batches.

A batch is written in one transaction together with the source items it
consumed and the cursors the source reported, so an interrupted sync loses at
most the batch in flight and the next run resumes exactly where the last
commit left off: nothing missed, nothing counted twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from outreach.errors import DataError
from outreach.ingest import reanalyse
from outreach.ingest.sources.local import is_sent_folder
from outreach.model import Act, Checkpoint, Cursor, Ignored, Message, RawMessage, Unreadable
from outreach.store.db import Store

BATCH_SIZE = 1000


class Source(Protocol):
    """Where mail comes from.  ``scan`` receives the cursor earlier runs reached and yields
    messages, and Checkpoints carrying the new cursor values, never touching the store."""

    name: str  # also the prefix of every scope the source checkpoints

    def scan(self, cursor: Cursor) -> Iterator[RawMessage | Checkpoint | Unreadable | Ignored]: ...

    def sent_folders(self) -> list[str]: ...


def cursor_for(store: Store, source: Source) -> Cursor:
    """The cursor ``source`` left in ``store``: its scopes are its name, alone or followed by ':' or '/'."""
    name = source.name
    values = {s: v for s, v in store.cursors(name).items() if s == name or s[len(name)] in ":/"}
    return Cursor(values, store.seen_items)


class SyncReport:
    """What one run did.  A plain class, as the other reports of a run: a sync with nothing new
    starts without generating dataclass methods."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.read = 0  # messages handed over by the source this run
        self.new = 0  # stored for the first time
        self.duplicates = 0  # already stored (same Message-ID seen in another folder or source)
        self.automated = 0  # of the new ones, bulk / list / no-reply / auto-submitted
        self.unreadable = 0  # skipped, with a reason recorded in the store
        self.ignored: list[str] = []  # files passed over as not mail (not stored)
        self.seconds = 0.0
        self.problems: list[tuple[str, str]] = []  # (item, reason), first few
        self.touched: set[str] = set()  # addresses on new personal mail
        self.identity: list[str] = []
        self.identity_origin = ""
        self.stopped = False  # should_stop() said so: the batch in flight was not written
        self.reanalysed: reanalyse.ReanalyseReport | None = None  # the act detector had changed: acts found again first


def run(
    store: Store,
    source: Source,
    *,
    me: Iterable[str] = (),
    store_bodies: bool = True,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[SyncReport], None] | None = None,
    detect: Callable[[str], list[Act]] | None = None,
    should_stop: Callable[[], bool] | None = None,
    reanalysing: Callable[[reanalyse.ReanalyseReport], None] | None = None,
) -> SyncReport:
    """Ingest everything new from ``source``; ``me`` are the user's configured addresses.

    ``should_stop`` is asked between items; when it returns True the batch in
    flight is dropped (never half-written) and the run returns early with
    ``stopped`` set, to resume from the last commit next time.

    When the stored acts were found by another act detector, they are found again first
    from the stored bodies (``reanalyse.catch_up``; ``reanalysing`` sees its progress).

    Everything runs in this one process, in source order: parsing is fast enough
    that worker processes did not pay for themselves (see benchmarks/ingest.py).
    """
    report = SyncReport(source=source.name)
    me = [a.lower() for a in me]
    if me:
        _ensure_identity(store, me, "config")  # before ingest, so `sent` is right on insert
    report.reanalysed = reanalyse.catch_up(store, detect=detect, progress=reanalysing, should_stop=should_stop)
    if report.reanalysed is not None and report.reanalysed.stopped:
        report.stopped = True
        return report
    started = time.perf_counter()  # the ingest's own time: the re-analysis reports its own

    batch: list[tuple[Message, list[Act]]] = []
    seen: list[tuple[str, str]] = []
    skipped: list[tuple[str, str, str]] = []
    cursors: dict[str, str] = {}

    def flush() -> None:
        if not (batch or seen or skipped or cursors):
            return
        result = store.write_batch(
            batch,
            seen=seen,
            skipped=skipped,
            cursors=cursors,
            store_bodies=store_bodies,
            now=int(time.time()),
        )
        report.new += result.new
        report.duplicates += result.duplicates
        report.automated += result.new_automated
        for message, _ in batch:
            if message.automated is None:
                report.touched.update(_participants(message))
        batch.clear()
        seen.clear()
        skipped.clear()
        cursors.clear()
        if progress:
            progress(report)

    def skip(scope: str, item: str, reason: str) -> None:
        report.unreadable += 1
        skipped.append((scope, item, reason))
        if len(report.problems) < 20:
            report.problems.append((f"{scope} {item}", reason))

    def take(done: Analysed) -> None:
        if done.skip_reason is not None:
            skip(done.scope, done.item, done.skip_reason)
            return
        if done.problem:
            report.problems.append((f"{done.scope} {done.item}", done.problem))
        batch.append((done.message, done.acts))
        if done.record_seen:
            seen.append((done.scope, done.item))
        if len(batch) >= batch_size:
            flush()

    entries = source.scan(cursor_for(store, source))
    for entry in entries:
        if should_stop is not None and should_stop():
            report.stopped = True
            break
        if isinstance(entry, RawMessage):
            report.read += 1
            take(analyse(entry, source.name, detect))
        elif isinstance(entry, Checkpoint):
            cursors[entry.scope] = entry.value
            flush()  # the source may resume from here: it must be durable first
        elif isinstance(entry, Unreadable):
            skip(entry.scope or source.name, entry.item, entry.reason)
        elif isinstance(entry, Ignored):
            report.ignored.append(entry.item)
    if report.stopped:
        getattr(entries, "close", lambda: None)()  # let the source log out / close files now
        report.seconds = time.perf_counter() - started
        return report
    flush()

    if not me:
        _infer_identity(store, source, report.new > 0)
    report.identity = sorted(store.my_addresses())
    report.identity_origin = _identity_origin(store)
    report.seconds = time.perf_counter() - started
    return report


class Analysed:
    """One raw message after parsing and act detection, or the reason it was skipped."""

    __slots__ = ("scope", "item", "record_seen", "message", "acts", "skip_reason", "problem")

    def __init__(self, scope: str, item: str, record_seen: bool) -> None:
        self.scope = scope
        self.item = item
        self.record_seen = record_seen
        self.message: Message | None = None
        self.acts: list[Act] = []
        self.skip_reason: str | None = None
        self.problem: str | None = None  # acts could not be detected; the message is kept


def analyse(entry: RawMessage, source_name: str, detect: Callable[[str], list[Act]] | None = None) -> Analysed:
    """Parse one raw message and find its acts."""
    from outreach.ingest.parse import ParseError, parse  # deferred: a no-change run reads no message

    scope = entry.scope or source_name
    done = Analysed(scope, entry.item, bool(entry.scope))
    try:
        message = parse(entry.data, entry.folder, entry.uid)
    except ParseError as exc:
        done.skip_reason = str(exc)
        return done
    except DataError:
        raise  # a broken rules file (the parser reads [writer] of acts.toml) stops the sync: no message's fault
    except Exception as exc:  # a poisoned message must not stop the mailbox
        _log_failure("parser failed on %s %s", scope, entry.item)
        done.skip_reason = f"parser failed: {type(exc).__name__}: {exc}"
        return done
    done.message = message
    if message.automated is None and message.text:
        if detect is None:
            from outreach.ingest.acts import detect  # deferred: a no-change run never needs it
        try:
            done.acts = detect(message.text)
        except DataError:  # the vocabulary is missing or broken: stop, rather than store mail without acts
            raise
        except Exception as exc:  # keep the message; only its acts are lost, and we say so
            _log_failure("act detection failed on %s %s", scope, entry.item)
            done.problem = f"act detection failed: {exc!r}"
    return done


def _log_failure(message: str, *args: object) -> None:
    """Log the exception being handled; logging loads here, as a run that reads no message logs nothing."""
    import logging

    logging.getLogger(__name__).exception(message, *args)


def _participants(message: Message) -> set[str]:
    addresses = {a.address for a in (*message.to, *message.cc, *message.bcc)}
    if message.sender:
        addresses.add(message.sender.address)
    return addresses


def _ensure_identity(store: Store, addresses: list[str], origin: str) -> None:
    if store.my_addresses() != frozenset(addresses) or _identity_origin(store) != origin:
        store.set_identity(addresses, origin)


def _identity_origin(store: Store) -> str:
    return store.identity_origin() or ""


def _infer_identity(store: Store, source: Source, changed: bool) -> None:
    """Without OUTREACH_ME, the user is whoever sends most of the Sent folder's mail."""
    if _identity_origin(store) == "config":
        return  # configured earlier and no longer set: keep it rather than guess
    if not changed and store.my_addresses():
        return
    senders = store.frequent_senders(source.sent_folders() or _sent_like(store.folders()), limit=5)
    if not senders:
        return
    total = sum(n for _, n in senders)
    mine = [address for address, n in senders if n == senders[0][1] or n >= 0.2 * total]
    _ensure_identity(store, mine, "inferred")


def _sent_like(folders: list[str]) -> list[str]:
    return [f for f in folders if is_sent_folder(f)]


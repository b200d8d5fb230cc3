"""Re-analysis: find the acts of stored mail again when the act detector has changed.

A store remembers which detector found its acts (``detector_version``, in the meta table).
When the shipped detector differs — new rules in ``rules/acts.toml``, new model weights,
new detector code — ``run`` reads every stored personal body again, in committed batches,
and replaces the acts of the messages whose acts changed.  Progress is recorded with each
batch, so a run that is killed loses at most the batch in flight and the next run (the
command again, or the next sync) continues after the last committed batch; re-reading a
message twice gives the same acts, so doing a batch again is harmless.

Messages stored without a body (metadata-only mode) cannot be read again: they keep the
acts found when they were synced, and the report counts them.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from outreach import resources
from outreach.errors import DataError
from outreach.model import Act
from outreach.network.freshness import FINGERPRINT as RELATIONSHIPS_FINGERPRINT
from outreach.store.db import Store

# Bump by hand when a change to the detector's *code* (outreach/ingest/acts.py, the
# outreach/judge/ modules it uses) changes which acts it finds; data changes need no bump.
DETECTOR_CODE = 22

DETECTOR_META = "acts.detector"  # the version that found the stored acts
PROGRESS_META = "acts.reanalysis"  # "VERSION LAST_ROW_ID" while a re-analysis is under way
BATCH_SIZE = 1000

Detect = Callable[[str], list[Act]]


# The detector's vocabularies (a sync with nothing new checks only this version, without the detector).
VOCABULARIES = (resources.rule_file(resources.ACT_VOCABULARY), resources.rule_file(resources.POLITENESS))


def detector_files() -> list[Path]:
    """The data the detector reads: the act and politeness vocabularies, and any model file in rules/
    (rules/ holds TOML rule files and vocabularies; anything else there is detector data)."""
    extra = sorted(p for p in resources.rules_dir().iterdir() if p.is_file() and p.suffix not in (".toml", ".py"))
    return [*VOCABULARIES, *extra]


@functools.cache
def detector_version() -> str:
    """A fingerprint of what decides acts: DETECTOR_CODE and the bytes of ``detector_files()``.

    Computed once per process, like the vocabulary is read once: a daemon running while
    outreach is upgraded keeps detecting, and labelling, with what it loaded.
    """
    digest = hashlib.sha256(f"code {DETECTOR_CODE}\n".encode())
    for path in detector_files():
        digest.update(f"{path.name}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class ReanalyseReport:
    """What a re-analysis did (a plain class: a sync whose acts are current builds none)."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.total = 0  # personal messages with a stored body this run has to read (after resumed_after)
        self.read = 0  # of them, read so far
        self.changed = 0  # messages whose acts changed
        self.failed = 0  # detection raised: the message keeps its acts
        self.without_body = 0  # personal messages stored without a body: they keep their acts
        self.resumed_after = 0  # row id an interrupted run had reached, 0 for a fresh start
        self.before: dict[str, int] = {}  # stored acts per kind
        self.after: dict[str, int] = {}
        self.stopped = False  # should_stop() said so; the next run continues
        self.seconds = 0.0

    def summary(self) -> str:
        """One line: what was read and how the acts per kind moved."""
        kinds = sorted(set(self.before) | set(self.after))
        moves = ", ".join(f"{k} {self.before.get(k, 0)} -> {self.after.get(k, 0)}" for k in kinds) or "no acts"
        line = f"re-analysed {self.read} messages ({self.changed} changed) in {self.seconds:.1f}s; acts: {moves}"
        if self.failed:
            line += f"; detection failed on {self.failed} (acts kept)"
        if self.without_body:
            line += f"; {self.without_body} messages have no stored body and keep their acts"
        return line


def is_current(store: Store, version: str | None = None) -> bool:
    """The stored acts were found by this detector (or there are none to find again)."""
    return store.get_meta(DETECTOR_META) == (version or detector_version())


def run(
    store: Store,
    *,
    detect: Detect | None = None,
    version: str | None = None,
    batch_size: int | None = None,
    progress: Callable[[ReanalyseReport], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ReanalyseReport:
    """Find the acts of every stored personal body again and record ``version`` as the store's.

    Continues an interrupted run of the same version.  The relationship cache is marked
    stale with the first changed batch; whoever reads contacts next rebuilds it.
    """
    if detect is None:
        from outreach.ingest.acts import detect  # deferred: a sync whose acts are current never needs it
    batch_size = batch_size or BATCH_SIZE
    version = version or detector_version()
    started = time.perf_counter()
    report = ReanalyseReport(version)
    after = _resume_point(store, version)
    report.resumed_after = after
    report.total = store.personal_bodies(after)[0]
    report.without_body = store.personal_bodies()[1]
    report.before = store.act_counts()
    while True:
        if should_stop is not None and should_stop():
            report.stopped = True
            break
        batch = store.bodies_after(after, batch_size)
        if not batch:
            break
        stored = store.acts_between(batch[0].id, batch[-1].id)
        changed: dict[int, list[Act]] = {}
        for body in batch:
            try:
                found = detect(body.text) if body.text else []
            except DataError:  # the vocabulary is missing or broken: stop rather than lose acts
                raise
            except Exception:  # as in ingest: one message never stops the run; it keeps its acts
                import logging  # deferred: only a failure or a finished re-analysis logs

                logging.getLogger(__name__).exception("act detection failed on stored message %d", body.id)
                report.failed += 1
                continue
            if found != stored.get(body.id, []):
                changed[body.id] = found
        after = batch[-1].id
        forget = [RELATIONSHIPS_FINGERPRINT] if changed else []
        store.replace_acts(changed, meta={PROGRESS_META: f"{version} {after}"}, forget=forget)
        report.read += len(batch)
        report.changed += len(changed)
        if progress is not None:
            progress(report)
    if not report.stopped:
        store.replace_acts({}, meta={DETECTOR_META: version}, forget=[PROGRESS_META])
    report.after = store.act_counts()
    report.seconds = time.perf_counter() - started
    return report


def catch_up(
    store: Store,
    *,
    detect: Detect | None = None,
    progress: Callable[[ReanalyseReport], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ReanalyseReport | None:
    """What sync does first: re-analyse when the stored acts were found by another detector.

    None when they are current.  An empty store is simply labelled with this detector.
    """
    version = detector_version()
    if is_current(store, version):
        return None
    if not store.last_message_id():
        store.replace_acts({}, meta={DETECTOR_META: version})
        return None
    report = run(store, detect=detect, version=version, progress=progress, should_stop=should_stop)
    import logging  # deferred: only a failure or a finished re-analysis logs

    logging.getLogger(__name__).info("the act detector changed: %s", report.summary())
    return report


def _resume_point(store: Store, version: str) -> int:
    """The last row id an interrupted run of ``version`` committed, else 0."""
    value = store.get_meta(PROGRESS_META) or ""
    done_version, _, last = value.partition(" ")
    return int(last) if done_version == version and last.isdigit() else 0

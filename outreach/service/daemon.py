"""`outreach daemon`: keep the store current, review drafts, send the weekly digest.

One process per store (service/lock.py), in the foreground,
logging one line per event to stderr.  Each tick syncs every source, refreshes
relationships, lints new or changed drafts and refreshes suggestions; between
ticks it waits on IMAP IDLE (INBOX) so new mail is read within seconds.

Faults are per source: a failing source is retried with exponential backoff
and jitter while the others carry on.  A first SIGTERM/SIGINT stops at the
next item (the batch in flight is dropped, never half-written); a second one
aborts at once (SQLite rolls back).  ``kill -9`` is safe for the same reason:
every batch is one transaction together with the source cursors it reached.
What it serves and how it paces retries (settings, jobs, backoff) is in service/jobs.py.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable

from outreach.errors import OutreachError
from outreach.ingest import sync
from outreach.network import cache
from outreach.notes import suggest
from outreach.service.digest import DigestSender
from outreach.service.idle import Idler, IdleUnsupported
from outreach.service.jobs import Job, Settings, backoff, describe, duration
from outreach.service.review import DraftReviewer
from outreach.store.db import Store

log = logging.getLogger("outreach.service.daemon")

IDLE_SLICE = 1.0  # longest wait on IDLE before looking at the stop flag again


class Aborted(BaseException):
    """A second stop signal: leave now (open transactions roll back)."""


# -- the daemon --------------------------------------------------------------------


class Daemon:
    def __init__(
        self,
        store: Store,
        jobs: list[Job],
        settings: Settings,
        *,
        drafts: DraftReviewer | None = None,
        digest: DigestSender | None = None,
        stop: threading.Event | None = None,
    ):
        self.store = store
        self.jobs = jobs
        self.settings = settings
        self.drafts = drafts
        self.digest = digest
        self.stop = stop or threading.Event()
        self._signals = 0
        self.once = False  # one round then exit (cron): no IDLE, no retries

    # -- signals ---------------------------------------------------------------

    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, _frame: object) -> None:
        self._signals += 1
        if self._signals > 1:
            raise Aborted(signal.Signals(signum).name)
        log.info("%s received: stopping (send it again to abort at once)", signal.Signals(signum).name)
        self.stop.set()

    # -- the loop --------------------------------------------------------------

    def run(self, once: bool = False) -> int:
        """Serve until stopped (or one tick with ``once``); the exit status."""
        self.once = once
        names = ", ".join(job.name for job in self.jobs)
        log.info(
            "daemon started (pid %d): %s; %s%s",
            os.getpid(), names, "one round" if once else f"every {duration(self.settings.interval)}",
            "; IDLE on INBOX" if self._idle_wanted() else "",
        )  # fmt: skip
        self._set_meta("daemon.started", str(int(time.time())))
        self._catch_up_relationships()
        if not once:  # IDLE first: mail landing during the first sync is announced
            self._idlers(time.monotonic(), catch_up=False)
        next_tick = time.monotonic()
        try:
            while not self.stop.is_set():
                now = time.monotonic()
                if now >= next_tick:
                    self.tick()
                    if once:
                        break
                    next_tick = max(now + self.settings.interval, time.monotonic() + 0.05)
                else:
                    for job in self.jobs:
                        if job.failures and job.retry_at <= now and not self.stop.is_set():
                            self.sync(job, "retry")
                self.wait(next_tick)
        finally:
            for job in self.jobs:
                self._close_idler(job)
        log.info("daemon stopped")
        if once and any(job.failures for job in self.jobs):
            return 1  # for cron: the log line above says which source failed and why
        return 0

    def tick(self) -> None:
        now = time.monotonic()
        for job in self.jobs:
            if self.stop.is_set():
                return
            if job.failures and job.retry_at > now:
                continue  # backing off; the wait loop retries it on time
            if self.sync(job, "scheduled") and self.drafts is not None:
                self._guard("draft review", lambda job=job: self.drafts.review(self.store, job))
        if self.stop.is_set():
            return
        self._guard("suggestions", self._refresh_suggestions)
        if self.digest is not None:
            self._guard("digest", lambda: self.digest.maybe_send(self.store, self.jobs))
        self._set_meta("daemon.tick", str(int(time.time())))

    def sync(self, job: Job, why: str) -> bool:
        """Sync one source and refresh the contacts it touched; False when it failed or was stopped."""
        if self.stop.is_set():
            return False  # stopping: no new login
        try:
            source = job.current_source()
            report = sync.run(
                self.store,
                source,
                me=self.settings.me,
                store_bodies=self.settings.store_bodies,
                should_stop=self.stop.is_set,
            )
            if report.new:
                self._refresh_relationships(report.touched)
            if report.stopped:
                log.info("%s: sync interrupted; %d new stored, the rest next time", job.name, report.new)
                return False
            self.store.daemon_sync_ok(job.name, job.folders(), report.new, int(time.time()))
        except Exception as exc:
            self._failed(job, exc)
            return False
        if job.failures:
            log.info("%s: recovered after %d failed attempt(s)", job.name, job.failures)
            job.failures = 0
        level = logging.INFO if report.new or report.unreadable or why != "scheduled" else logging.DEBUG
        log.log(
            level, "%s: %s sync: %d new, %d already stored, %d unreadable (%.2fs)",
            job.name, why, report.new, report.duplicates, report.unreadable, report.seconds,
        )  # fmt: skip
        for item, reason in report.problems[:5]:
            log.warning("%s: skipped %s: %s", job.name, item, reason)
        return True

    def _failed(self, job: Job, exc: Exception) -> None:
        job.failures += 1
        if not job.reuse:
            job.source = None
        elif job.failures > 1:
            job.source = None  # e.g. a folder was renamed: discover again
        delay = backoff(job.failures, self.settings.backoff_base, self.settings.backoff_max)
        job.retry_at = time.monotonic() + delay
        message = describe(exc)
        with contextlib.suppress(Exception):  # the store itself may be what failed
            self.store.daemon_sync_failed(job.name, message, int(time.time()))
            self._set_meta("daemon.last_error", f"{int(time.time())} {job.name}: {message}")
        if self.once:
            log.warning("%s: sync failed: %s", job.name, message)
        else:
            log.warning("%s: sync failed: %s; retry %d in %s", job.name, message, job.failures, duration(delay))
        if job.failures == 1 and not isinstance(exc, OutreachError):
            log.debug("details", exc_info=exc)

    def _guard(self, what: str, action: Callable[[], object]) -> None:
        """Run one optional step; a failure is logged and does not stop the daemon."""
        try:
            action()
        except Exception as exc:
            message = describe(exc)
            log.warning("%s failed: %s", what, message)
            if not isinstance(exc, OutreachError):
                log.debug("details", exc_info=exc)
            with contextlib.suppress(Exception):
                self._set_meta("daemon.last_error", f"{int(time.time())} {what}: {message}")

    # -- waiting and IDLE ------------------------------------------------------

    def wait(self, deadline: float) -> None:
        """Until ``deadline``, a due retry, or stop; sync at once when IDLE announces new mail."""
        while not self.stop.is_set():
            now = time.monotonic()
            wake = min([deadline] + [j.retry_at for j in self.jobs if j.failures])
            if now >= wake:
                return
            idlers = self._idlers(now)
            if not idlers:
                retries = [j.idle_retry_at for j in self.jobs if self._wants_idle(j)]
                self.stop.wait(max(0.0, min([wake, *retries]) - now))
                continue
            share = min(IDLE_SLICE, wake - now) / len(idlers)
            for job in idlers:
                if self.stop.is_set():
                    return
                try:
                    announced = job.idler.check(share)
                except Exception as exc:
                    self._idle_failed(job, exc)
                    continue
                if announced:
                    log.info("%s: new mail announced (IDLE)", job.name)
                    self.sync(job, "IDLE")

    def _wants_idle(self, job: Job) -> bool:
        return self.settings.idle and not self.once and job.account is not None and not job.idle_unsupported

    def _idle_wanted(self) -> bool:
        return self.settings.idle and not self.once and any(j.account for j in self.jobs)

    def _idlers(self, now: float, catch_up: bool = True) -> list[Job]:
        """Jobs with an open IDLE session, (re)opening those that are due.

        A session opened anew is followed by a sync (``catch_up``): mail that
        arrived before IDLE started is never announced.
        """
        ready = []
        for job in self.jobs:
            if not self._wants_idle(job):
                continue
            if job.idler is None and now >= job.idle_retry_at:
                idler = Idler(job.account, renew=self.settings.idle_renew)
                try:
                    idler.open()
                except IdleUnsupported as exc:
                    job.idle_unsupported = True
                    log.info("%s: %s; new mail waits for the next tick", job.name, exc)
                    continue
                except Exception as exc:
                    self._idle_failed(job, exc)
                    continue
                if job.idle_failures:
                    log.info("%s: IDLE connection restored", job.name)
                job.idler, job.idle_failures = idler, 0
                if catch_up:
                    self.sync(job, "IDLE start")
            if job.idler is not None:
                ready.append(job)
        return ready

    def _idle_failed(self, job: Job, exc: BaseException) -> None:
        self._close_idler(job)
        job.idle_failures += 1
        delay = backoff(job.idle_failures, self.settings.backoff_base, self.settings.backoff_max)
        job.idle_retry_at = time.monotonic() + delay
        log.warning("%s: IDLE connection failed: %s; retry in %s", job.name, describe(exc), duration(delay))

    def _close_idler(self, job: Job) -> None:
        if job.idler is not None:
            job.idler.close()
            job.idler = None

    # -- other steps -----------------------------------------------------------

    def _refresh_relationships(self, touched: set[str]) -> None:
        self._guard("relationships", lambda: cache.refresh(self.store, touched))

    def _catch_up_relationships(self) -> None:
        """Fold in mail stored by a run that was killed before it refreshed the contacts."""
        self._guard("relationships", lambda: cache.update(self.store))

    def _refresh_suggestions(self) -> None:
        suggest.refresh(self.store)

    def _set_meta(self, key: str, value: str) -> None:
        with contextlib.suppress(Exception):
            self.store.set_meta(key, value)

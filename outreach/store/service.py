"""What the running service records: deliveries, the daemon's syncs, draft reviews, suggestions.

Kept for `outreach status`, the weekly digest and to avoid repeating work (a
draft already linted, a contact already suggested this week); all of it is the
service's own bookkeeping, none of it is read to infer relationships.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from outreach.store.tables import Tables


class ServiceTables(Tables):
    """deliveries, daemon_sync, draft_reviews, suggestions."""

    # -- deliveries (drafts put in Drafts, messages sent) ---------------------

    def record_delivery(
        self, message_id: str, kind: str, target: str, address: str, template: str = "", at: int = 0
    ) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO deliveries (message_id, kind, target, address, template, at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (message_id, kind, target, address.lower(), template, at),
        )

    def deliveries(self, message_id: str, kind: str | None = None) -> list[tuple[str, str, int]]:
        """(kind, target, at) of every delivery of one Message-ID, oldest first."""
        return list(
            self.conn.execute(
                "SELECT kind, target, at FROM deliveries WHERE message_id = ? AND (?2 IS NULL OR kind = ?2)"
                " ORDER BY at",
                (message_id, kind),
            )
        )

    # -- daemon (scheduled sync, draft reviews, status) ----------------------

    def daemon_sync_ok(self, source: str, folders: Iterable[str], new: int, at: int) -> None:
        """Record a successful sync of ``source`` (and of each of its folders) at ``at``."""
        rows = [(source, ""), *((source, f) for f in folders)]
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO daemon_sync (source, folder, last_ok, last_new, failures) VALUES (?, ?, ?, ?, 0)"
                " ON CONFLICT (source, folder) DO UPDATE SET last_ok = excluded.last_ok,"
                " last_new = excluded.last_new, failures = 0",
                [(s, f, at, new) for s, f in rows],
            )

    def daemon_sync_failed(self, source: str, error: str, at: int) -> int:
        """Record a failed sync of ``source``; returns the number of consecutive failures."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO daemon_sync (source, folder, last_error, last_error_at, failures)"
                " VALUES (?, '', ?, ?, 1) ON CONFLICT (source, folder) DO UPDATE SET"
                " last_error = excluded.last_error, last_error_at = excluded.last_error_at,"
                " failures = failures + 1",
                (source, error, at),
            )
            return conn.execute(
                "SELECT failures FROM daemon_sync WHERE source = ? AND folder = ''", (source,)
            ).fetchone()[0]

    def daemon_syncs(self) -> list[sqlite3.Row]:
        """Every recorded source and folder: last_ok, last_new, last_error, last_error_at, failures."""
        return self._rows(
            "SELECT source, folder, last_ok, last_new, last_error, last_error_at, failures"
            " FROM daemon_sync ORDER BY source, folder"
        )

    def draft_reviews(self, scope: str) -> dict[str, tuple[str, int, int]]:
        """item -> (digest, findings, flagged) of the drafts reviewed in ``scope``."""
        rows = self.conn.execute("SELECT item, digest, findings, flagged FROM draft_reviews WHERE scope = ?", (scope,))
        return {item: (digest, findings, flagged) for item, digest, findings, flagged in rows}

    def save_draft_review(
        self,
        scope: str,
        item: str,
        *,
        digest: str,
        subject: str,
        recipient: str,
        findings: int,
        worst: str,
        summary: str,
        at: int,
    ) -> None:
        self.conn.execute(
            "INSERT INTO draft_reviews (scope, item, digest, subject, recipient, findings, worst, summary, linted)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, item) DO UPDATE SET"
            " digest = excluded.digest, subject = excluded.subject, recipient = excluded.recipient,"
            " findings = excluded.findings, worst = excluded.worst, summary = excluded.summary,"
            " linted = excluded.linted",
            (scope, item, digest, subject, recipient, findings, worst, summary, at),
        )

    def set_draft_flagged(self, scope: str, item: str, flagged: bool) -> None:
        self.conn.execute(
            "UPDATE draft_reviews SET flagged = ? WHERE scope = ? AND item = ?", (int(flagged), scope, item)
        )

    def forget_draft_reviews(self, scope: str, items: Iterable[str]) -> None:
        """Drop the reviews of drafts that are gone (sent, deleted, or replaced by an edit)."""
        self.conn.executemany(
            "DELETE FROM draft_reviews WHERE scope = ? AND item = ?", [(scope, item) for item in items]
        )

    def drafts_with_findings(self) -> list[sqlite3.Row]:
        """Reviewed drafts that have findings, worst first, newest first."""
        return self._rows(
            "SELECT scope, item, subject, recipient, findings, worst, summary, linted, flagged FROM draft_reviews"
            " WHERE findings > 0 ORDER BY CASE worst WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,"
            " linted DESC"
        )

    # -- suggestions (weekly give-first suggestions; dismissals are in network.py)

    def suggest_week(self, week: str) -> list[sqlite3.Row]:
        """This week's recorded suggestions: address, template, reason, score, key, at."""
        return self._rows(
            "SELECT address, template, reason, score, key, at FROM suggestions WHERE week = ? ORDER BY score DESC",
            (week,),
        )

    def suggest_recent(self, since: int, before_week: str) -> set[str]:
        """Addresses suggested at or after ``since`` in weeks other than ``before_week``."""
        rows = self.conn.execute("SELECT address FROM suggestions WHERE at >= ? AND week != ?", (since, before_week))
        return {row[0] for row in rows}

    def suggest_record(self, week: str, rows: Iterable[tuple[str, str, str, float, str, int]]) -> None:
        """Remember (address, template, reason, score, key, at) as suggested in ``week``; the first record wins."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO suggestions (week, address, template, reason, score, key, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(week, *row) for row in rows],
            )

"""The relationship cache and the user's edits of the network: SQL for outreach.network.

(The reads of personal mail that the cache is computed from are in personal.py.)

* The cache (``contact_cache``, ``referral_cache``): written whole or per contact by
  ``write_cache``, read by the listings.  It holds only what mail and edits imply,
  so it can always be rebuilt.
* The user's edits, which survive re-syncs: merged addresses, tags, cadence
  overrides, dismissed or snoozed suggestions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from typing import NamedTuple

from outreach.model import Act, Contact
from outreach.store.tables import Tables, chunks


class ReferralRow(NamedTuple):
    """One row of referral_cache: 'referrer introduced the user to person', and what the user did since.

    A NamedTuple: it is written as it is (``executemany``), and compared as a row in tests.
    """

    referrer: str
    referrer_name: str
    person: str | None  # canonical address, None when not resolved
    person_name: str
    date: int | None
    message: int  # messages.id of the introduction
    subject: str
    sentence: str
    thanked: int  # 0 | 1
    met: int | None  # first interaction with person after the introduction
    updated: int  # 0 | 1: the user wrote to referrer after meeting person


class ReferralStatus(NamedTuple):
    """What the user has done since an introduction (the last three columns of referral_cache)."""

    thanked: int  # 0 | 1: the user thanked the referrer
    met: int | None  # the user's first exchange with the person since
    updated: int  # 0 | 1: the user wrote to the referrer after that exchange


class NetworkTables(Tables):
    """contact_cache, referral_cache, aliases, tags, cadence_overrides, suggestion_mutes."""

    def aliases(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT alias, canonical FROM aliases"))

    def cached_meetings(self, referrers: Collection[str]) -> dict[tuple[int, str], int | None]:
        """(introduction message, person) -> cached first exchange, for referrals by ``referrers``."""
        found: dict[tuple[int, str], int | None] = {}
        for chunk in chunks(sorted(referrers), 500):
            marks = ",".join("?" * len(chunk))
            for message, person, met in self.conn.execute(
                f"SELECT message, person, met FROM referral_cache WHERE referrer IN ({marks}) AND person IS NOT NULL",
                chunk,
            ):
                found[message, person] = met
        return found

    def referrals_of(self, persons: Collection[str]) -> list[sqlite3.Row]:
        """Cached referrals whose introduced person is one of ``persons``, with the intro's thread."""
        rows: list[sqlite3.Row] = []
        for chunk in chunks(sorted(persons), 500):
            marks = ",".join("?" * len(chunk))
            rows += self._rows(
                "SELECT c.rowid AS id, c.referrer, c.person, c.message, c.date, m.thread FROM referral_cache c"
                f" JOIN messages m ON m.id = c.message WHERE c.person IN ({marks})",
                chunk,
            )
        return rows

    # In the lookups below '+m.sent' keeps SQLite on the thread and address indexes: the
    # covering index that serves a full recompute starts with 'sent' and would be a scan.
    # -- the cache -------------------------------------------------------------

    def write_cache(
        self,
        contacts: Sequence[Contact],
        referrals: Sequence[ReferralRow],
        *,
        scope: Collection[str] | None,
        meta: dict[str, str],
        statuses: Mapping[int, ReferralStatus] | None = None,
    ) -> None:
        """Replace cached figures: all of them (scope None) or those of the contacts in ``scope``.

        ``statuses``: new statuses of other cached referrals, by referral_cache rowid.
        """
        with self.transaction() as conn:
            if scope is None:
                conn.execute("DELETE FROM contact_cache")
                conn.execute("DELETE FROM referral_cache")
            else:
                for chunk in chunks(sorted(scope), 500):
                    marks = ",".join("?" * len(chunk))
                    conn.execute(f"DELETE FROM contact_cache WHERE address IN ({marks})", chunk)
                    conn.execute(f"DELETE FROM referral_cache WHERE referrer IN ({marks})", chunk)
            conn.executemany(
                "INSERT INTO contact_cache (address, name, base, sent, received, replies, first, last,"
                " last_subject, cadence, balance, given, favours_received, asks_since_give, latest)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_contact_row(c) for c in contacts],
            )
            conn.executemany(
                "INSERT INTO referral_cache (referrer, referrer_name, person, person_name, date, message,"
                " subject, sentence, thanked, met, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                referrals,
            )
            conn.executemany(
                "UPDATE referral_cache SET thanked = ?, met = ?, updated = ? WHERE rowid = ?",
                [(*status, rowid) for rowid, status in (statuses or {}).items()],
            )
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                list(meta.items()),
            )

    _CONTACT_COLUMNS = (
        "address, name, base, sent, received, replies, first, last, last_subject, cadence,"
        " balance, given, favours_received, asks_since_give, latest"
    )

    def cached_contacts(self) -> list[Contact]:
        return [_contact(row) for row in self.conn.execute(f"SELECT {self._CONTACT_COLUMNS} FROM contact_cache")]

    def cached_contact(self, address: str) -> Contact | None:
        row = self.conn.execute(
            f"SELECT {self._CONTACT_COLUMNS} FROM contact_cache WHERE address = ?", (address,)
        ).fetchone()
        return _contact(row) if row else None

    def contact_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM contact_cache").fetchone()[0]

    def max_base(self) -> float:
        return self.conn.execute("SELECT coalesce(max(base), 0) FROM contact_cache").fetchone()[0]

    def cached_referrals(self, *, referrer: str | None = None, person: str | None = None) -> list[sqlite3.Row]:
        """Cached referrals, oldest first; all of them, or those by ``referrer`` or of ``person``."""
        where, params = "", ()
        if referrer is not None:
            where, params = " WHERE referrer = ?", (referrer,)
        elif person is not None:
            where, params = " WHERE person = ?", (person,)
        return self._rows(
            "SELECT referrer, referrer_name, person, person_name, date, message, subject, sentence,"
            f" thanked, met, updated FROM referral_cache{where} ORDER BY date, message",
            params,
        )

    # -- the user's edits -------------------------------------------------------

    def merge_alias(self, canonical: str, alias: str) -> None:
        """Record ``alias`` as the same person as ``canonical``, moving its aliases, tags, cadence."""
        with self.transaction() as conn:
            conn.execute("UPDATE aliases SET canonical = ? WHERE canonical = ?", (canonical, alias))
            conn.execute(
                "INSERT INTO aliases (alias, canonical) VALUES (?, ?)"
                " ON CONFLICT (alias) DO UPDATE SET canonical = excluded.canonical",
                (alias, canonical),
            )
            conn.execute("DELETE FROM aliases WHERE alias = canonical")
            conn.execute("UPDATE OR IGNORE tags SET address = ? WHERE address = ?", (canonical, alias))
            conn.execute("DELETE FROM tags WHERE address = ?", (alias,))
            conn.execute(
                "INSERT OR IGNORE INTO cadence_overrides (target, days)"
                " SELECT ?, days FROM cadence_overrides WHERE target = ?",
                (canonical, alias),
            )
            conn.execute("DELETE FROM cadence_overrides WHERE target = ?", (alias,))

    def unmerge_alias(self, alias: str) -> str | None:
        """Forget that ``alias`` is another address of someone; the canonical it had, or None."""
        row = self.conn.execute("SELECT canonical FROM aliases WHERE alias = ?", (alias,)).fetchone()
        if row is None:
            return None
        self.conn.execute("DELETE FROM aliases WHERE alias = ?", (alias,))
        return row[0]

    def add_tag(self, address: str, tag: str) -> None:
        self.conn.execute("INSERT OR IGNORE INTO tags (address, tag) VALUES (?, ?)", (address, tag))

    def remove_tag(self, address: str, tag: str) -> bool:
        return self.conn.execute("DELETE FROM tags WHERE address = ? AND tag = ?", (address, tag)).rowcount > 0

    def tags(self) -> dict[str, list[str]]:
        """Tags by canonical address."""
        tags: dict[str, list[str]] = {}
        for address, tag in self.conn.execute("SELECT address, tag FROM tags ORDER BY address, tag"):
            tags.setdefault(address, []).append(tag)
        return tags

    def set_cadence(self, target: str, days: float | None) -> None:
        """Set (or with None, clear) the cadence override of an address or 'tag:NAME'."""
        if days is None:
            self.conn.execute("DELETE FROM cadence_overrides WHERE target = ?", (target,))
            return
        self.conn.execute(
            "INSERT INTO cadence_overrides (target, days) VALUES (?, ?)"
            " ON CONFLICT (target) DO UPDATE SET days = excluded.days",
            (target, days),
        )

    def cadence_overrides(self) -> dict[str, float]:
        return dict(self.conn.execute("SELECT target, days FROM cadence_overrides"))

    def suggest_mute(self, address: str, kind: str, at: int, until: int | None = None) -> None:
        self.conn.execute(
            "INSERT INTO suggestion_mutes (address, kind, at, until) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (address) DO UPDATE SET kind = excluded.kind, at = excluded.at, until = excluded.until",
            (address, kind, at, until),
        )

    def suggest_unmute(self, address: str) -> bool:
        return self.conn.execute("DELETE FROM suggestion_mutes WHERE address = ?", (address,)).rowcount > 0

    def suggest_mutes(self) -> dict[str, tuple[str, int, int | None]]:
        """address -> (kind, at, until) of every dismissed or snoozed contact."""
        rows = self.conn.execute("SELECT address, kind, at, until FROM suggestion_mutes")
        return {address: (kind, at, until) for address, kind, at, until in rows}


# contact_cache.latest: JSON, {slot: {kind, subtype, sentence, amount, minutes, person}}
_json = json.JSONEncoder(separators=(",", ":")).encode  # one encoder for 5,000 rows, not one each


def _contact_row(c: Contact) -> tuple:
    latest = {slot: {"kind": a.kind, "subtype": a.subtype, "sentence": a.sentence, "amount": a.amount,
                     "minutes": a.minutes, "person": a.person} for slot, a in c.latest.items()}  # fmt: skip
    return (c.address, c.name, c.base, c.sent, c.received, c.replies, c.first, c.last, c.last_subject, c.cadence,
            c.balance, c.given, c.favours_received, c.asks_since_give, _json(latest) if latest else "{}")  # fmt: skip


def _contact(row: Sequence) -> Contact:
    *figures, latest = row
    acts = {slot: Act(a["kind"], a["subtype"], a["sentence"], a.get("amount"), a.get("minutes"), a.get("person"))
            for slot, a in json.loads(latest).items()}  # fmt: skip
    return Contact(*figures, latest=acts)


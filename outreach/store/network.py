"""The relationship cache and the user's edits of the network: SQL for outreach.network.

* Reads of personal mail for the fold (``personal_rows``: headers, recipients and the
  compact acts column, never bodies), and the few indexed look-ups an incremental
  refresh needs for referral status.
* The cache (``contact_cache``, ``referral_cache``): written whole or per contact by
  ``write_cache``, read by the listings.  It holds only what mail and edits imply,
  so it can always be rebuilt.
* The user's edits, which survive re-syncs: merged addresses, tags, cadence
  overrides, dismissed or snoozed suggestions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from outreach.store.tables import Tables, chunks


@dataclass(frozen=True, slots=True)
class PersonalMail:
    """Which stored messages count as personal correspondence, for outreach.network.relationships."""

    max_audience: int = 1_000_000  # more To + Cc than this: a broadcast
    draft_folders: tuple[str, ...] = ()  # lower-cased folder names that hold unsent drafts

    def sql(self, alias: str) -> str:
        """A WHERE condition on ``alias`` (a messages row); values are inlined as literals."""
        condition = f"{alias}.automated IS NULL AND {alias}.audience <= {int(self.max_audience)}"
        if self.draft_folders:
            names = ", ".join("'" + name.replace("'", "''") + "'" for name in self.draft_folders)
            condition += f" AND lower({alias}.folder) NOT IN ({names})"
        return condition


INTRODUCTION = "introduction"  # the act kind whose messages' recipients are read (see introduction_recipients)
_SCAN_CACHE_KIB = 4096  # page cache while a recompute scans the store (see _page_cache below)


class PersonalRows:
    """Personal mail for outreach.network.tally, read inside one snapshot (see Store.personal_rows).

    Each method runs its query and yields rows as SQLite produces them: a full
    recompute folds 100k messages and 200k acts without holding them all.
    """

    def __init__(self, conn: sqlite3.Connection, mail: PersonalMail, few: bool, last_message_id: int):
        self._conn = conn
        self._personal = mail.sql("m")
        self._few = few  # only the addresses in temp.rel_addr, looked up by address
        self.last_message_id = last_message_id  # the newest message when read

    def _only(self, column: str) -> tuple[str, str]:
        """(the sent column as written, a condition on ``column``) for the addresses in temp.rel_addr.

        '+m.sent' keeps the planner on the address indexes, off messages_people
        (the covering index a whole-mailbox read scans).
        """
        if self._few:
            return "+m.sent", f" AND {column} IN (SELECT address FROM temp.rel_addr)"
        return "m.sent", ""

    def received(self) -> Iterator[tuple]:
        """Mail from someone else: id, date, from_addr, from_name, audience, thread, answered, latency, acts.

        ``answered`` is set when the message answers one of the user's (by In-Reply-To);
        ``latency`` is then the seconds it took (None when either date is unknown);
        ``acts`` is the messages.acts column (see mail.split_acts and mail.decode_act).
        """
        sent, mine = self._only("m.from_addr")
        return self._conn.execute(
            "SELECT m.id, m.date, m.from_addr, m.from_name, m.audience, m.thread, p.id IS NOT NULL, m.date - p.date,"
            " m.acts FROM messages m LEFT JOIN messages p ON p.message_id = m.in_reply_to AND p.sent = 1"
            f" WHERE {self._personal} AND {sent} = 0 AND m.from_addr IS NOT NULL{mine}"
        )

    def sent(self) -> Iterator[tuple]:
        """The user's mail, one row per recipient (To, Cc and Bcc): id, date, audience, thread,
        address, name, answered, latency, the From of the message it answers, and its acts.

        Rows of one message come together, except when a few addresses are read
        (then only their rows are read, in address order).
        """
        sent, theirs = self._only("r.address")
        return self._conn.execute(
            "SELECT m.id, m.date, m.audience, m.thread, r.address, r.name, p.id IS NOT NULL, m.date - p.date,"
            " p.from_addr, m.acts FROM messages m JOIN recipients r ON r.message = m.id"
            " LEFT JOIN messages p ON p.message_id = m.in_reply_to AND p.sent = 0"
            f" WHERE {self._personal} AND {sent} = 1{theirs}"
        )

    def introduction_recipients(self) -> Iterator[tuple]:
        """message, address, name: every recipient of the received mail (as above) that carries an introduction.

        The acts column names each act's kind first, followed by a field separator.
        """
        sent, mine = self._only("m.from_addr")
        return self._conn.execute(
            "SELECT r.message, r.address, r.name FROM messages m JOIN recipients r ON r.message = m.id"
            f" WHERE {self._personal} AND {sent} = 0 AND m.from_addr IS NOT NULL{mine}"
            f" AND m.acts LIKE '%{INTRODUCTION}' || char(31) || '%'"
        )


class NetworkTables(Tables):
    """contact_cache, referral_cache, aliases, tags, cadence_overrides, suggestion_mutes."""

    # -- personal mail, read for the fold ------------------------------------

    @contextmanager
    def personal_rows(
        self,
        mail: PersonalMail,
        addresses: Collection[str] | None = None,
    ) -> Iterator[PersonalRows]:
        """Personal mail as rows for outreach.network.tally, all read in one snapshot (see PersonalRows).

        ``addresses``: only the rows of these addresses, looked up by address (the
        incremental path); None: every row, in a handful of scans.
        """
        with self.snapshot(), self._page_cache(_SCAN_CACHE_KIB if addresses is None else 0):
            if addresses is not None:
                self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS rel_addr (address TEXT PRIMARY KEY)")
                self.conn.execute("DELETE FROM temp.rel_addr")
                self.conn.executemany("INSERT OR IGNORE INTO temp.rel_addr VALUES (?)", [(a,) for a in addresses])
            last_id = self.conn.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]
            yield PersonalRows(self.conn, mail, addresses is not None, last_id)

    @contextmanager
    def _page_cache(self, kib: int) -> Iterator[None]:
        """Another page cache size for the duration (0: leave it).  A recompute scans the indexes
        once, so the 32 MB kept for ingest would hold pages never read again: 4 MB is as fast
        on 100k messages and keeps a recompute 12 MB smaller."""
        if kib <= 0:
            yield
            return
        previous = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = -{int(kib)}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {int(previous)}")  # shrinking frees the pages

    def act_evidence(self, acts: Collection[tuple[int, int]]) -> dict[tuple[int, int], tuple[str, str]]:
        """(message, position of the act in it) -> (the sentence that shows it, the message's subject)."""
        wanted = set(acts)
        messages = sorted({message for message, _ in wanted})
        subjects = self.subjects(messages)  # apart: a join would read a message once per act
        found: dict[tuple[int, int], tuple[str, str]] = {}
        for chunk in chunks(messages, 900):
            marks = ",".join("?" * len(chunk))
            last, position = None, 0
            for message, sentence in self.conn.execute(
                f"SELECT message, sentence FROM acts WHERE message IN ({marks}) ORDER BY message, id", chunk
            ):
                position = position + 1 if message == last else 0
                last = message
                if (message, position) in wanted:
                    found[message, position] = (sentence, subjects.get(message, ""))
        return found

    def subjects(self, ids: Collection[int]) -> dict[int, str]:
        """Subjects of the given messages (the latest one of each contact)."""
        found: dict[int, str] = {}
        for chunk in chunks(sorted(ids), 900):
            marks = ",".join("?" * len(chunk))
            found.update(self.conn.execute(f"SELECT id, subject FROM messages WHERE id IN ({marks})", chunk))
        return found

    def participants_since(self, mail: PersonalMail, message_id: int) -> set[str]:
        """Addresses on personal mail stored after ``message_id`` (not yet in the cache)."""
        rows = self.conn.execute(
            f"SELECT m.from_addr FROM messages m WHERE m.id > ?1 AND {mail.sql('m')} AND m.from_addr IS NOT NULL"
            " UNION SELECT r.address FROM recipients r JOIN messages m ON m.id = r.message"
            f" WHERE m.id > ?1 AND {mail.sql('m')}",
            (message_id,),
        )
        return {row[0] for row in rows}

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

    def thanked_in_thread(self, mail: PersonalMail, thread: str, since: int) -> bool:
        """The user sent a thanks in ``thread`` at or after ``since``."""
        return self.conn.execute(
            "SELECT 1 FROM messages m JOIN acts a ON a.message = m.id WHERE m.thread = ? AND +m.sent = 1"
            f" AND {mail.sql('m')} AND m.date >= ? AND a.kind = 'thanks' LIMIT 1",
            (thread, since),
        ).fetchone() is not None

    def thanked(self, mail: PersonalMail, person: Sequence[str], since: int) -> bool:
        """The user sent a thanks to ``person`` (any of its addresses) at or after ``since``."""
        marks = ",".join("?" * len(person))
        return self.conn.execute(
            "SELECT 1 FROM recipients r JOIN messages m ON m.id = r.message JOIN acts a ON a.message = m.id"
            f" WHERE r.address IN ({marks}) AND +m.sent = 1 AND {mail.sql('m')} AND m.date >= ?"
            " AND a.kind = 'thanks' LIMIT 1",
            (*person, since),
        ).fetchone() is not None

    def first_exchange(self, mail: PersonalMail, person: Sequence[str], since: int) -> int | None:
        """The date of the first personal message from or to ``person`` at or after ``since``."""
        marks = ",".join("?" * len(person))
        return self.conn.execute(
            "SELECT min(d) FROM (SELECT min(m.date) AS d FROM messages m WHERE m.from_addr IN"
            f" ({marks}) AND +m.sent = 0 AND {mail.sql('m')} AND m.date >= ?"
            " UNION ALL SELECT min(m.date) FROM recipients r JOIN messages m ON m.id = r.message"
            f" WHERE r.address IN ({marks}) AND +m.sent = 1 AND {mail.sql('m')} AND m.date >= ?)",
            (*person, since, *person, since),
        ).fetchone()[0]

    def wrote_after(self, mail: PersonalMail, person: Sequence[str], after: int) -> bool:
        """The user sent personal mail to ``person`` after ``after``."""
        marks = ",".join("?" * len(person))
        return self.conn.execute(
            "SELECT 1 FROM recipients r JOIN messages m ON m.id = r.message"
            f" WHERE r.address IN ({marks}) AND +m.sent = 1 AND {mail.sql('m')} AND m.date > ? LIMIT 1",
            (*person, after),
        ).fetchone() is not None

    # -- the cache -------------------------------------------------------------

    def write_cache(
        self,
        contacts: Sequence[tuple],
        referrals: Sequence[tuple],
        *,
        scope: Collection[str] | None,
        meta: dict[str, str],
        statuses: Sequence[tuple[int, int | None, int, int]] = (),
    ) -> None:
        """Replace cached figures: all of them (scope None) or those of the contacts in ``scope``.

        ``statuses`` are (thanked, met, updated, rowid) updates of other cached referrals.
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
                contacts,
            )
            conn.executemany(
                "INSERT INTO referral_cache (referrer, referrer_name, person, person_name, date, message,"
                " subject, sentence, thanked, met, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                referrals,
            )
            conn.executemany("UPDATE referral_cache SET thanked = ?, met = ?, updated = ? WHERE rowid = ?", statuses)
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                list(meta.items()),
            )

    _CONTACT_COLUMNS = (
        "address, name, base, sent, received, replies, first, last, last_subject, cadence,"
        " balance, given, favours_received, asks_since_give, latest"
    )

    def cached_contacts(self) -> list[sqlite3.Row]:
        return self._rows(f"SELECT {self._CONTACT_COLUMNS} FROM contact_cache")

    def cached_contact(self, address: str) -> sqlite3.Row | None:
        rows = self._rows(f"SELECT {self._CONTACT_COLUMNS} FROM contact_cache WHERE address = ?", (address,))
        return rows[0] if rows else None

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



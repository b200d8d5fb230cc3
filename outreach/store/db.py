"""The SQLite store: schema, migrations, and every SQL statement outreach runs.

One file, mode 0600, WAL journal.  Writes happen in batches, one transaction
each, so a crash loses at most the batch in flight and never half of one.
Messages are keyed by ``Message.key`` and inserted with ``INSERT OR IGNORE``,
so ingesting the same mail twice changes nothing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from outreach.errors import StoreError
from outreach.model import Act, Message

# Each migration is (version, SQL script), applied in order inside one
# transaction and recorded in schema_version, so applying twice is a no-op.
# Append new versions; never edit one that has shipped.
MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,      -- Message-ID, or 'sha256:' fallback
            message_id TEXT,
            folder TEXT NOT NULL,
            uid INTEGER,
            date INTEGER,                  -- Unix seconds, UTC; NULL when unknown
            date_problem TEXT,             -- 'missing' | 'unparseable'
            from_addr TEXT,
            from_name TEXT NOT NULL DEFAULT '',
            subject TEXT NOT NULL DEFAULT '',
            in_reply_to TEXT,
            refs TEXT NOT NULL DEFAULT '', -- space-separated Message-IDs
            thread TEXT NOT NULL,
            text TEXT,                     -- NULL in metadata-only mode
            automated TEXT,                -- reason, or NULL for personal mail
            sent INTEGER NOT NULL DEFAULT 0,   -- From is one of the user's addresses
            audience INTEGER NOT NULL DEFAULT 0 -- number of To + Cc addresses
        );
        CREATE INDEX messages_message_id ON messages(message_id);
        CREATE INDEX messages_from ON messages(from_addr);
        CREATE INDEX messages_thread ON messages(thread);
        CREATE TABLE recipients (
            message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            role TEXT NOT NULL,            -- 'to' | 'cc' | 'bcc' (bcc: the sender's own copy)
            address TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX recipients_message ON recipients(message);
        CREATE INDEX recipients_address ON recipients(address);
        CREATE TABLE acts (
            id INTEGER PRIMARY KEY,
            message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,            -- ask | give | thanks | introduction
            subtype TEXT NOT NULL DEFAULT '',
            amount REAL,
            minutes INTEGER,
            person TEXT,
            sentence TEXT NOT NULL
        );
        CREATE INDEX acts_message ON acts(message);
        CREATE TABLE seen (                -- source items already stored or skipped
            scope TEXT NOT NULL,
            item TEXT NOT NULL,
            PRIMARY KEY (scope, item)
        ) WITHOUT ROWID;
        CREATE TABLE skipped (             -- items that could not be ingested, and why
            scope TEXT NOT NULL,
            item TEXT NOT NULL,
            reason TEXT NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (scope, item)
        ) WITHOUT ROWID;
        CREATE TABLE cursors (scope TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE identity (address TEXT PRIMARY KEY, origin TEXT NOT NULL); -- config | inferred
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    ),
    (
        2,
        """
        CREATE TABLE aliases (             -- merged addresses; survive re-syncs
            alias TEXT PRIMARY KEY,
            canonical TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX aliases_canonical ON aliases(canonical);
        CREATE TABLE tags (
            address TEXT NOT NULL,         -- canonical contact address
            tag TEXT NOT NULL,
            PRIMARY KEY (address, tag)
        ) WITHOUT ROWID;
        CREATE INDEX tags_tag ON tags(tag);
        CREATE TABLE cadence_overrides (   -- the user's own cadence for a contact or a tag
            target TEXT PRIMARY KEY,       -- an address, or 'tag:NAME'
            days REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE contact_cache (       -- figures computed from messages and acts; rebuildable
            address TEXT PRIMARY KEY,      -- canonical address
            name TEXT NOT NULL DEFAULT '',
            base REAL NOT NULL DEFAULT 0,  -- decayed interaction sum, relative to ties.EPOCH
            sent INTEGER NOT NULL DEFAULT 0,
            received INTEGER NOT NULL DEFAULT 0,
            replies INTEGER NOT NULL DEFAULT 0,
            first INTEGER,
            last INTEGER,
            last_subject TEXT NOT NULL DEFAULT '',
            cadence REAL,                  -- learned median gap in days; NULL with too few
            balance REAL NOT NULL DEFAULT 0,
            given INTEGER NOT NULL DEFAULT 0,
            favours_received INTEGER NOT NULL DEFAULT 0,
            asks_since_give INTEGER NOT NULL DEFAULT 0,
            latest TEXT NOT NULL DEFAULT '{}'  -- JSON: latest ask/give/thanks each way
        );
        CREATE TABLE referral_cache (      -- 'referrer introduced the user to person'
            referrer TEXT NOT NULL,
            referrer_name TEXT NOT NULL DEFAULT '',
            person TEXT,                   -- canonical address, NULL when not resolved
            person_name TEXT NOT NULL DEFAULT '',
            date INTEGER,
            message INTEGER NOT NULL,
            subject TEXT NOT NULL DEFAULT '',
            sentence TEXT NOT NULL,
            thanked INTEGER NOT NULL DEFAULT 0,
            met INTEGER,                   -- first interaction with person after the introduction
            updated INTEGER NOT NULL DEFAULT 0 -- the user wrote to referrer after meeting person
        );
        CREATE INDEX referral_cache_referrer ON referral_cache(referrer);
        CREATE INDEX referral_cache_person ON referral_cache(person);
        CREATE INDEX messages_people ON messages(  -- covering: a full recompute never reads bodies
            sent, automated, audience, folder, date, from_addr, from_name, thread, in_reply_to);
        CREATE INDEX messages_parent ON messages(message_id, sent, from_addr, date); -- reply links
        """,
    ),
    (
        3,
        """
        CREATE TABLE deliveries (          -- drafts put in IMAP Drafts and messages sent, by Message-ID
            message_id TEXT NOT NULL,
            kind TEXT NOT NULL,            -- 'drafts' | 'sent'
            target TEXT NOT NULL,          -- 'user@host:port/Drafts' or 'smtp:host:port'
            address TEXT NOT NULL,         -- the To address
            template TEXT NOT NULL DEFAULT '',
            at INTEGER NOT NULL,           -- Unix seconds, UTC
            PRIMARY KEY (message_id, kind, target)
        ) WITHOUT ROWID;
        CREATE INDEX deliveries_address ON deliveries(address, at);
        """,
    ),
    (
        4,
        """
        CREATE TABLE daemon_sync (         -- the daemon's last sync of each source and folder
            source TEXT NOT NULL,          -- e.g. 'imap:alex@host:993' or 'maildir:/home/alex/Mail'
            folder TEXT NOT NULL,          -- '' for the source as a whole
            last_ok INTEGER,               -- Unix seconds of the last successful sync
            last_new INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,               -- the newest failure, kept after recovery for `status`
            last_error_at INTEGER,
            failures INTEGER NOT NULL DEFAULT 0, -- consecutive; 0 once a sync succeeds
            PRIMARY KEY (source, folder)
        ) WITHOUT ROWID;
        CREATE TABLE draft_reviews (       -- lint of the drafts in the Drafts folder(s)
            scope TEXT NOT NULL,           -- the source and folder the draft lives in
            item TEXT NOT NULL,            -- 'UIDVALIDITY:UID' on IMAP, the unique file name in a Maildir
            digest TEXT NOT NULL,          -- sha256 of the draft: linted again only when it changes
            subject TEXT NOT NULL DEFAULT '',
            recipient TEXT NOT NULL DEFAULT '',
            findings INTEGER NOT NULL DEFAULT 0,
            worst TEXT NOT NULL DEFAULT '', -- highest severity found, '' when clean
            summary TEXT NOT NULL DEFAULT '[]', -- JSON: [{code, severity, message, line, column}]
            linted INTEGER NOT NULL,       -- Unix seconds
            flagged INTEGER NOT NULL DEFAULT 0, -- the $OutreachReview keyword is set on the server
            PRIMARY KEY (scope, item)
        ) WITHOUT ROWID;
        """,
    ),
    (
        5,
        """
        CREATE TABLE suggestions (         -- what outreach suggest proposed, week by week
            week TEXT NOT NULL,            -- ISO week, e.g. '2026-W47'
            address TEXT NOT NULL,         -- canonical contact address
            template TEXT NOT NULL,
            reason TEXT NOT NULL,
            score REAL NOT NULL,
            key TEXT NOT NULL,             -- the draft's stable key (its Message-ID derives from it)
            at INTEGER NOT NULL,           -- Unix seconds, UTC: first suggested that week
            PRIMARY KEY (week, address)
        ) WITHOUT ROWID;
        CREATE INDEX suggestions_address ON suggestions(address, at);
        CREATE TABLE suggestion_mutes (    -- contacts the user dismissed or snoozed
            address TEXT PRIMARY KEY,      -- canonical contact address
            kind TEXT NOT NULL,            -- 'dismissed' | 'snoozed'
            at INTEGER NOT NULL,           -- when (a dismissal lasts until a newer interaction)
            until INTEGER                  -- end of a snooze; NULL for a dismissal
        ) WITHOUT ROWID;
        """,
    ),
    (
        6,
        """
        -- messages_parent (message_id, ...) serves every lookup by Message-ID; a second
        -- index on random Message-IDs only slowed ingest.
        DROP INDEX IF EXISTS messages_message_id;
        """,
    ),
    (
        7,
        """
        -- Each message's acts, compact (see encode_acts), next to the message: a full recompute
        -- reads them with the message rows instead of 200k act rows.  The acts table keeps
        -- the sentences (evidence), read where shown.
        ALTER TABLE messages ADD COLUMN acts TEXT;     -- NULL: no acts
        UPDATE messages SET acts = (
            SELECT group_concat(one, char(30)) FROM (
                SELECT a.kind || char(31) || a.subtype || char(31) || coalesce(a.amount, '') || char(31)
                       || coalesce(a.minutes, '') || char(31)
                       || replace(replace(coalesce(a.person, ''), char(30), ' '), char(31), ' ') AS one
                FROM acts a WHERE a.message = messages.id ORDER BY a.id))
        WHERE id IN (SELECT message FROM acts);
        DROP INDEX messages_people;
        CREATE INDEX messages_people ON messages(  -- covering, as before, now with the acts
            sent, automated, audience, folder, date, from_addr, from_name, thread, in_reply_to, acts);
        -- covering for the sent mail's recipients; its prefix serves every lookup by message
        DROP INDEX recipients_message;
        CREATE INDEX recipients_message ON recipients(message, address, name);
        """,
    ),
]


# The acts column: per act kind, subtype, amount, minutes and person, fields joined by
# US (0x1f), acts by RS (0x1e), in the order of their ids in the acts table.
_FIELD, _ACT = "\x1f", "\x1e"


def encode_acts(acts: Sequence[Act]) -> str | None:
    """A message's acts for the messages.acts column (None when there are none)."""
    if not acts:
        return None
    return _ACT.join(
        _FIELD.join((a.kind, a.subtype, "" if a.amount is None else repr(float(a.amount)),
                     "" if a.minutes is None else str(int(a.minutes)),
                     (a.person or "").replace(_ACT, " ").replace(_FIELD, " ")))  # fmt: skip
        for a in acts
    )


def split_acts(column: str) -> list[str]:
    """A messages.acts value -> one string per act (see decode_act): the same act, the same string."""
    return column.split(_ACT)


def decode_act(one: str) -> tuple[str, str, float | None, int | None, str | None]:
    """(kind, subtype, amount, minutes, person) of one act from split_acts."""
    kind, subtype, amount, minutes, person = one.split(_FIELD)
    return kind, subtype, float(amount) if amount else None, int(minutes) if minutes else None, person or None


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


_REL_CACHE_KIB = 4096  # page cache while a recompute scans the store (see Store._page_cache)


class RelRows:
    """Personal mail for outreach.network.relationships, read inside one snapshot (see Store.rel_rows).

    Each method runs its query and yields rows as SQLite produces them: a full
    recompute folds 100k messages and 200k acts without holding them all.
    """

    def __init__(self, conn: sqlite3.Connection, mail: PersonalMail, kind: str, last_message_id: int):
        self._conn = conn
        self._personal = mail.sql("m")
        self._kind = kind  # "all", "few" (looked up by address) or "share" (scanned): see Store.rel_rows
        self.last_message_id = last_message_id  # the newest message when read

    def _only(self, column: str) -> tuple[str, str]:
        """(the sent column as written, a condition on ``column``) for the addresses in temp.rel_addr.

        A few addresses: '+m.sent' keeps the planner on the address indexes, off
        messages_people.  A share of the mailbox: '+column' keeps it on the scan.
        """
        if self._kind == "few":
            return "+m.sent", f" AND {column} IN (SELECT address FROM temp.rel_addr)"
        if self._kind == "share":
            return "m.sent", f" AND +{column} IN (SELECT address FROM temp.rel_addr)"
        return "m.sent", ""

    def received(self) -> Iterator[tuple]:
        """Mail from someone else: id, date, from_addr, from_name, audience, thread, answered, latency, acts.

        ``answered`` is set when the message answers one of the user's (by In-Reply-To);
        ``latency`` is then the seconds it took (None when either date is unknown);
        ``acts`` is the messages.acts column (see split_acts and decode_act).
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

    def recipients(self, messages: Collection[int]) -> Iterator[tuple]:
        """message, address, name: every recipient of the given messages (those with an introduction)."""
        for chunk in _chunks(sorted(messages), 900):
            marks = ",".join("?" * len(chunk))
            yield from self._conn.execute(
                f"SELECT message, address, name FROM recipients WHERE message IN ({marks})", chunk
            ).fetchall()


@dataclass(frozen=True, slots=True)
class BatchResult:
    new: int
    duplicates: int
    new_automated: int = 0


class Store:
    """A connection to one outreach database."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, readonly: bool = False) -> Store:
        path = Path(path).expanduser()
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        try:
            if not readonly:
                path.parent.mkdir(parents=True, exist_ok=True)
                # Create the file ourselves so it is private from the first byte.
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
                os.close(fd)
            elif not path.exists():
                raise StoreError(f"{path}: no such database (run 'outreach sync' first)")
            uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        except OSError as exc:
            raise StoreError(f"{path}: cannot open store: {exc.strerror or exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open store: {exc}") from exc
        store = cls(conn, path)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                # Ingest inserts into indexes keyed by random Message-IDs: a 32 MB page cache
                # (filled only as used) and checkpoints every ~40 MB of WAL rather than 4 MB
                # made a 100,000-message sync about a third faster.
                conn.execute("PRAGMA cache_size = -32000")
                conn.execute("PRAGMA wal_autocheckpoint = 10000")
                store.migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{path}: not an outreach database or damaged: {exc}") from exc
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)")
        done = {row[0] for row in self.conn.execute("SELECT version FROM schema_version")}
        for version, script in MIGRATIONS:
            if version in done:
                continue
            with self.transaction():
                for statement in _statements(script):
                    self.conn.execute(statement)
                self.conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))

    @property
    def schema_version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return row[0] or 0

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # -- ingest --------------------------------------------------------------

    def seen_items(self, scope: str) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT item FROM seen WHERE scope = ?", (scope,))}

    def cursor(self, scope: str) -> str | None:
        row = self.conn.execute("SELECT value FROM cursors WHERE scope = ?", (scope,)).fetchone()
        return row[0] if row else None

    def write_batch(
        self,
        messages: Sequence[tuple[Message, Sequence[Act]]],
        *,
        seen: Iterable[tuple[str, str]] = (),
        skipped: Iterable[tuple[str, str, str]] = (),
        cursors: dict[str, str] | None = None,
        store_bodies: bool = True,
        now: int = 0,
    ) -> BatchResult:
        """Store a batch of parsed messages, their acts, and source progress, atomically."""
        me = self.my_addresses()
        new = new_automated = 0
        recipients: list[tuple] = []
        act_rows: list[tuple] = []
        with self.transaction() as conn:
            for message, acts in messages:
                row_id = self._insert_message(conn, message, acts, me, store_bodies)
                if row_id is None:
                    continue
                new += 1
                new_automated += message.automated is not None
                for role, people in (("to", message.to), ("cc", message.cc), ("bcc", message.bcc)):
                    recipients.extend((row_id, role, a.address, a.name) for a in people)
                act_rows.extend((row_id, a.kind, a.subtype, a.amount, a.minutes, a.person, a.sentence) for a in acts)
            # One statement per table for the whole batch: per-message calls cost more than the rows.
            conn.executemany("INSERT INTO recipients (message, role, address, name) VALUES (?, ?, ?, ?)", recipients)
            conn.executemany(
                "INSERT INTO acts (message, kind, subtype, amount, minutes, person, sentence)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                act_rows,
            )
            conn.executemany("INSERT OR IGNORE INTO seen (scope, item) VALUES (?, ?)", seen)
            skipped = list(skipped)
            conn.executemany(
                "INSERT OR REPLACE INTO skipped (scope, item, reason, at) VALUES (?, ?, ?, ?)",
                [(scope, item, reason, now) for scope, item, reason in skipped],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO seen (scope, item) VALUES (?, ?)", [(s, i) for s, i, _ in skipped]
            )
            if cursors:
                conn.executemany(
                    "INSERT INTO cursors (scope, value) VALUES (?, ?)"
                    " ON CONFLICT (scope) DO UPDATE SET value = excluded.value",
                    list(cursors.items()),
                )
        return BatchResult(new=new, duplicates=len(messages) - new, new_automated=new_automated)

    @staticmethod
    def _insert_message(
        conn: sqlite3.Connection, m: Message, acts: Sequence[Act], me: frozenset[str], store_bodies: bool
    ) -> int | None:
        sender = m.sender.address if m.sender else None
        cursor = conn.execute(
            "INSERT OR IGNORE INTO messages (key, message_id, folder, uid, date, date_problem,"
            " from_addr, from_name, subject, in_reply_to, refs, thread, text, automated, sent, audience, acts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                m.key,
                m.message_id,
                m.folder,
                m.uid,
                int(m.date.timestamp()) if m.date else None,
                m.date_problem,
                sender,
                m.sender.name if m.sender else "",
                m.subject,
                m.in_reply_to,
                " ".join(m.references),
                m.thread_id,
                m.text if store_bodies else None,
                m.automated,
                1 if sender in me else 0,
                len(m.to) + len(m.cc) + len(m.bcc),
                encode_acts(acts),
            ),
        )
        return cursor.lastrowid if cursor.rowcount else None

    # -- identity ------------------------------------------------------------

    def my_addresses(self) -> frozenset[str]:
        return frozenset(row[0] for row in self.conn.execute("SELECT address FROM identity"))

    def set_identity(self, addresses: Iterable[str], origin: str) -> None:
        """Replace the user's addresses and recompute which messages are sent."""
        addresses = sorted({a.lower() for a in addresses})
        with self.transaction() as conn:
            conn.execute("DELETE FROM identity")
            conn.executemany(
                "INSERT INTO identity (address, origin) VALUES (?, ?)", [(a, origin) for a in addresses]
            )
            conn.execute(
                "UPDATE messages SET sent = (from_addr IN (SELECT address FROM identity))"
                " WHERE sent != (from_addr IN (SELECT address FROM identity))"
            )

    def frequent_senders(self, folder_names: Iterable[str], limit: int = 3) -> list[tuple[str, int]]:
        """The commonest From addresses in the given folders (for inferring identity)."""
        names = list(folder_names)
        if not names:
            return []
        marks = ",".join("?" * len(names))
        return list(
            self.conn.execute(
                f"SELECT from_addr, count(*) AS n FROM messages WHERE folder IN ({marks})"
                " AND from_addr IS NOT NULL GROUP BY from_addr ORDER BY n DESC LIMIT ?",
                (*names, limit),
            )
        )

    def folders(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT DISTINCT folder FROM messages ORDER BY folder")]

    # -- meta ----------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- reporting -----------------------------------------------------------

    def counts(self) -> dict[str, int]:
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "messages": one("SELECT count(*) FROM messages"),
            "automated": one("SELECT count(*) FROM messages WHERE automated IS NOT NULL"),
            "sent": one("SELECT count(*) FROM messages WHERE sent = 1"),
            "acts": one("SELECT count(*) FROM acts"),
            "skipped": one("SELECT count(*) FROM skipped"),
        }

    def skipped_items(self) -> list[tuple[str, str, str]]:
        return list(self.conn.execute("SELECT scope, item, reason FROM skipped ORDER BY scope, item"))


    # -- relationships -------------------------------------------------------
    # Reads and cache writes for outreach.network.relationships.  ``addresses`` limits a
    # read to messages that involve those addresses (the incremental path); None
    # reads the whole mailbox in a handful of queries.

    @contextmanager
    def rel_rows(
        self,
        mail: PersonalMail,
        addresses: Collection[str] | None = None,
        *,
        among: Callable[[str], bool] | None = None,
    ) -> Iterator[RelRows]:
        """Personal mail as rows for outreach.network.relationships, all read in one snapshot (see RelRows).

        ``addresses``: only the rows of these addresses, looked up by address (a few
        contacts).  ``among``: only the rows of the addresses it accepts, picked out
        of one scan (a large share of the mailbox: one part of a split recompute).
        Neither: every row.
        """
        with self._snapshot(), self._page_cache(_REL_CACHE_KIB if addresses is None else 0):
            if among is not None:  # read here, in the snapshot the rows come from
                addresses = [address for address in self._rel_addresses() if among(address)]
            if addresses is not None:
                self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS rel_addr (address TEXT PRIMARY KEY)")
                self.conn.execute("DELETE FROM temp.rel_addr")
                self.conn.executemany("INSERT OR IGNORE INTO temp.rel_addr VALUES (?)", [(a,) for a in addresses])
            last_id = self.conn.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]
            kind = "all" if addresses is None else "few" if among is None else "share"
            yield RelRows(self.conn, mail, kind, last_id)

    def _rel_addresses(self) -> set[str]:
        """Every address that sent or received a stored message (read from the address indexes)."""
        found = {row[0] for row in self.conn.execute("SELECT DISTINCT from_addr FROM messages")}
        found.update(row[0] for row in self.conn.execute("SELECT DISTINCT address FROM recipients"))
        found.discard(None)
        return found

    @contextmanager
    def _page_cache(self, kib: int) -> Iterator[None]:
        """Another page cache size for the duration (0: leave it).  A recompute scans the indexes
        once, so the 32 MB kept for ingest would hold pages never read again: 4 MB is as fast
        on 100k messages and keeps each recompute process 12 MB smaller."""
        if kib <= 0:
            yield
            return
        previous = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = -{int(kib)}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {int(previous)}")  # shrinking frees the pages

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """A read transaction: every query inside sees the same state, writers are not blocked."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    def rel_evidence(self, acts: Collection[tuple[int, int]]) -> dict[tuple[int, int], tuple[str, str]]:
        """(message, position of the act in it) -> (the sentence that shows it, the message's subject)."""
        wanted = set(acts)
        messages = sorted({message for message, _ in wanted})
        subjects = self.rel_subjects(messages)  # apart: a join would read a message once per act
        found: dict[tuple[int, int], tuple[str, str]] = {}
        for chunk in _chunks(messages, 900):
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

    def rel_subjects(self, ids: Collection[int]) -> dict[int, str]:
        """Subjects of the given messages (the latest one of each contact)."""
        found: dict[int, str] = {}
        for chunk in _chunks(sorted(ids), 900):
            marks = ",".join("?" * len(chunk))
            found.update(self.conn.execute(f"SELECT id, subject FROM messages WHERE id IN ({marks})", chunk))
        return found

    def rel_participants_since(self, mail: PersonalMail, message_id: int) -> set[str]:
        """Addresses on personal mail stored after ``message_id`` (not yet in the cache)."""
        rows = self.conn.execute(
            f"SELECT m.from_addr FROM messages m WHERE m.id > ?1 AND {mail.sql('m')} AND m.from_addr IS NOT NULL"
            " UNION SELECT r.address FROM recipients r JOIN messages m ON m.id = r.message"
            f" WHERE m.id > ?1 AND {mail.sql('m')}",
            (message_id,),
        )
        return {row[0] for row in rows}

    def rel_writable(self) -> bool:
        """False for a store opened read-only (probed with a write that changes nothing)."""
        try:
            self.conn.execute("DELETE FROM meta WHERE 0")
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc):
                return False
            raise
        return True

    def rel_last_message_id(self) -> int:
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]

    def rel_aliases(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT alias, canonical FROM aliases"))

    def rel_cached_meetings(self, referrers: Collection[str]) -> dict[tuple[int, str], int | None]:
        """(introduction message, person) -> cached first exchange, for referrals by ``referrers``."""
        found: dict[tuple[int, str], int | None] = {}
        for chunk in _chunks(sorted(referrers), 500):
            marks = ",".join("?" * len(chunk))
            for message, person, met in self.conn.execute(
                f"SELECT message, person, met FROM referral_cache WHERE referrer IN ({marks}) AND person IS NOT NULL",
                chunk,
            ):
                found[message, person] = met
        return found

    def rel_referrals_of(self, persons: Collection[str]) -> list[sqlite3.Row]:
        """Cached referrals whose introduced person is one of ``persons``, with the intro's thread."""
        rows: list[sqlite3.Row] = []
        for chunk in _chunks(sorted(persons), 500):
            marks = ",".join("?" * len(chunk))
            rows += self._rows(
                "SELECT c.rowid AS id, c.referrer, c.person, c.message, c.date, m.thread FROM referral_cache c"
                f" JOIN messages m ON m.id = c.message WHERE c.person IN ({marks})",
                chunk,
            )
        return rows

    # In the lookups below '+m.sent' keeps SQLite on the thread and address indexes: the
    # covering index that serves a full recompute starts with 'sent' and would be a scan.

    def rel_thanked_in_thread(self, mail: PersonalMail, thread: str, since: int) -> bool:
        """The user sent a thanks in ``thread`` at or after ``since``."""
        return self.conn.execute(
            "SELECT 1 FROM messages m JOIN acts a ON a.message = m.id WHERE m.thread = ? AND +m.sent = 1"
            f" AND {mail.sql('m')} AND m.date >= ? AND a.kind = 'thanks' LIMIT 1",
            (thread, since),
        ).fetchone() is not None

    def rel_thanked(self, mail: PersonalMail, person: Sequence[str], since: int) -> bool:
        """The user sent a thanks to ``person`` (any of its addresses) at or after ``since``."""
        marks = ",".join("?" * len(person))
        return self.conn.execute(
            "SELECT 1 FROM recipients r JOIN messages m ON m.id = r.message JOIN acts a ON a.message = m.id"
            f" WHERE r.address IN ({marks}) AND +m.sent = 1 AND {mail.sql('m')} AND m.date >= ?"
            " AND a.kind = 'thanks' LIMIT 1",
            (*person, since),
        ).fetchone() is not None

    def rel_first_exchange(self, mail: PersonalMail, person: Sequence[str], since: int) -> int | None:
        """The date of the first personal message from or to ``person`` at or after ``since``."""
        marks = ",".join("?" * len(person))
        return self.conn.execute(
            "SELECT min(d) FROM (SELECT min(m.date) AS d FROM messages m WHERE m.from_addr IN"
            f" ({marks}) AND +m.sent = 0 AND {mail.sql('m')} AND m.date >= ?"
            " UNION ALL SELECT min(m.date) FROM recipients r JOIN messages m ON m.id = r.message"
            f" WHERE r.address IN ({marks}) AND +m.sent = 1 AND {mail.sql('m')} AND m.date >= ?)",
            (*person, since, *person, since),
        ).fetchone()[0]

    def rel_wrote_after(self, mail: PersonalMail, person: Sequence[str], after: int) -> bool:
        """The user sent personal mail to ``person`` after ``after``."""
        marks = ",".join("?" * len(person))
        return self.conn.execute(
            "SELECT 1 FROM recipients r JOIN messages m ON m.id = r.message"
            f" WHERE r.address IN ({marks}) AND +m.sent = 1 AND {mail.sql('m')} AND m.date > ? LIMIT 1",
            (*person, after),
        ).fetchone() is not None

    def rel_write(
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
                for chunk in _chunks(sorted(scope), 500):
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

    def rel_contacts(self) -> list[sqlite3.Row]:
        return self._rows(f"SELECT {self._CONTACT_COLUMNS} FROM contact_cache")

    def rel_contact(self, address: str) -> sqlite3.Row | None:
        rows = self._rows(f"SELECT {self._CONTACT_COLUMNS} FROM contact_cache WHERE address = ?", (address,))
        return rows[0] if rows else None

    def rel_contact_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM contact_cache").fetchone()[0]

    def rel_max_base(self) -> float:
        return self.conn.execute("SELECT coalesce(max(base), 0) FROM contact_cache").fetchone()[0]

    def rel_referrals(self, *, referrer: str | None = None, person: str | None = None) -> list[sqlite3.Row]:
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

    def rel_merge(self, canonical: str, alias: str) -> None:
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

    def rel_add_tag(self, address: str, tag: str) -> None:
        self.conn.execute("INSERT OR IGNORE INTO tags (address, tag) VALUES (?, ?)", (address, tag))

    def rel_remove_tag(self, address: str, tag: str) -> bool:
        return self.conn.execute("DELETE FROM tags WHERE address = ? AND tag = ?", (address, tag)).rowcount > 0

    def rel_tags(self) -> dict[str, list[str]]:
        """Tags by canonical address."""
        tags: dict[str, list[str]] = {}
        for address, tag in self.conn.execute("SELECT address, tag FROM tags ORDER BY address, tag"):
            tags.setdefault(address, []).append(tag)
        return tags

    def rel_set_cadence(self, target: str, days: float | None) -> None:
        """Set (or with None, clear) the cadence override of an address or 'tag:NAME'."""
        if days is None:
            self.conn.execute("DELETE FROM cadence_overrides WHERE target = ?", (target,))
            return
        self.conn.execute(
            "INSERT INTO cadence_overrides (target, days) VALUES (?, ?)"
            " ON CONFLICT (target) DO UPDATE SET days = excluded.days",
            (target, days),
        )

    def rel_cadence_overrides(self) -> dict[str, float]:
        return dict(self.conn.execute("SELECT target, days FROM cadence_overrides"))

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        cursor = self.conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params).fetchall()


    # -- delivery (templates, drafts, send) ----------------------------------

    def last_exchange(self, address: str) -> tuple[str, str] | None:
        """(Message-ID, subject) of the newest personal message from or to ``address``, for replies."""
        row = self.conn.execute(
            "SELECT message_id, subject FROM messages WHERE message_id IS NOT NULL AND automated IS NULL"
            " AND (from_addr = ?1 OR id IN (SELECT message FROM recipients WHERE address = ?1))"
            " ORDER BY date DESC, id DESC LIMIT 1",
            (address.lower(),),
        ).fetchone()
        return (row[0], row[1]) if row else None

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

    def contact_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM contact_cache").fetchone()[0]

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

    # -- suggestions (weekly give-first suggestions, dismissals, snoozes) -----

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


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements: comments dropped, then cut at each ';'."""
    code = "\n".join(line.split("--", 1)[0] for line in script.splitlines())
    for statement in code.split(";"):
        if statement.strip():
            yield statement.strip()


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

"""Opening the SQLite store: one file, mode 0600, WAL journal, the schema and its migrations.

``Store`` is the one way into the database.  Its SQL lives with the tables it
touches: mail.py (messages, acts, identity, sync progress), personal.py
(personal mail as the network fold reads it), network.py (the relationship
cache and the user's edits), service.py (the daemon's and suggestions'
bookkeeping); tables.py holds what they share.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from outreach.errors import StoreError
from outreach.store import health
from outreach.store.mail import MailTables
from outreach.store.network import NetworkTables
from outreach.store.personal import PersonalTables
from outreach.store.service import ServiceTables

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
        -- Each message's acts, compact (see mail.encode_acts), next to the message: a full recompute
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


class Store(MailTables, PersonalTables, NetworkTables, ServiceTables):
    """A connection to one outreach database."""

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, readonly: bool = False, create: bool = True) -> Store:
        """Open (and migrate) the store at ``path``; a fault opening it is a one-line StoreError.

        ``create=False`` is for commands that only read: a missing store is an error
        (nothing is created, not even its directory), and a store that cannot be
        written (read-only mount, file not writable) is opened read-only instead.
        A store written by a newer outreach, or one that fails ``PRAGMA quick_check``,
        is refused before anything is written to it (the check is skipped when the file is
        exactly as outreach's last clean close left it: see health.py).
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        if (readonly or not create) and not path.exists():
            raise StoreError(f"{path}: no such database (run 'outreach sync' first)")
        if not create and not readonly and not health.writable(path):
            readonly = True
        unchanged = health.unchanged(path)  # asked before connecting: reading a WAL store makes a WAL
        try:
            if not readonly:
                path.parent.mkdir(parents=True, exist_ok=True)
                # Create the file ourselves so it is private from the first byte.
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
                os.close(fd)
            uri = health.readonly_uri(path) if readonly else f"file:{path}"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        except OSError as exc:
            raise StoreError(f"{path}: cannot open store: {exc.strerror or exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open store: {exc}") from exc
        store = cls(conn, path)
        store.opened_writable = not readonly
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            health.check(store, MIGRATIONS[-1][0], unchanged_since_checked=unchanged)
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                # Ingest inserts into indexes keyed by random Message-IDs: a 32 MB page cache
                # (filled only as used) and checkpoints every ~40 MB of WAL rather than 4 MB
                # made a 100,000-message sync about a third faster.
                conn.execute("PRAGMA cache_size = -32000")
                conn.execute("PRAGMA wal_autocheckpoint = 10000")
                store.migrate()
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{path}: {health.describe_fault(exc)}") from exc
        return store

    opened_writable = False  # opened for writing: a clean close records the file it left (health.py)

    def close(self) -> None:
        self.conn.close()
        if self.opened_writable:
            health.record_clean_close(self.path)

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


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements: comments dropped, then cut at each ';'."""
    code = "\n".join(line.split("--", 1)[0] for line in script.splitlines())
    for statement in code.split(";"):
        if statement.strip():
            yield statement.strip()


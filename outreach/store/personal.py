"""Personal mail as the network fold reads it: headers, recipients and the compact acts column.

Never message bodies.  A whole-mailbox read is a handful of scans of covering
indexes; a few contacts' read goes through the address indexes.  Also the few
indexed look-ups an incremental refresh needs for the status of referrals.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple

from outreach.store.tables import Tables, chunks


class PersonalMail(NamedTuple):
    """Which stored messages count as personal correspondence, for outreach.network.relationships."""

    max_audience: int = 1_000_000  # more To + Cc than this: a broadcast
    draft_folders: tuple[str, ...] = ()  # lower-cased folder names that hold unsent drafts

    def sql(self, alias: str) -> str:
        """A WHERE condition on ``alias`` (a messages row); values are inlined as literals."""
        condition = f"{alias}.automated IS NULL AND {alias}.audience <= {int(self.max_audience)}"
        if self.draft_folders:
            names = ", ".join("'" + name.replace("'", "''") + "'" for name in self.draft_folders)
            # NOCASE folds ASCII letters as lower() does, without calling a function per row
            condition += f" AND {alias}.folder COLLATE NOCASE NOT IN ({names})"
        return condition


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

    def addressed_to_me(self, roles: Collection[str]) -> set[int]:
        """The messages received on which one of the user's addresses is a recipient in one of ``roles``
        ('to', 'cc', 'bcc': as written in the message's headers).

        One pass over the user's rows of the address index, not a look-up per message.
        """
        marks = ",".join("?" * len(roles))
        if self._few:  # only the mail of the senders read; CROSS JOIN: their messages first, by messages_from
            rows = self._conn.execute(
                "SELECT r.message FROM messages m CROSS JOIN recipients r ON r.message = m.id"
                " WHERE m.from_addr IN (SELECT address FROM temp.rel_addr)"
                f" AND r.address IN (SELECT address FROM identity) AND r.role IN ({marks})",
                tuple(roles),
            )
        else:
            rows = self._conn.execute(
                "SELECT message FROM recipients WHERE address IN (SELECT address FROM identity)"
                f" AND role IN ({marks})",
                tuple(roles),
            )
        return {message for (message,) in rows}

    def recipients_of(self, messages: Sequence[int]) -> Iterator[tuple[int, str, str]]:
        """message, address, name: every recipient (To, Cc, Bcc) of the given messages."""
        for chunk in chunks(messages, 900):
            marks = ",".join("?" * len(chunk))
            yield from self._conn.execute(
                f"SELECT message, address, name FROM recipients WHERE message IN ({marks})", chunk
            )


class PersonalTables(Tables):
    """Reads of messages, recipients and acts for outreach.network (nothing written but a temp table)."""

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
        sentences = self.act_sentences(acts)
        subjects = self.subjects({message for message, _ in sentences})  # apart: a join would read a message per act
        return {key: (sentence, subjects.get(key[0], "")) for key, sentence in sentences.items()}

    def act_sentences(self, acts: Collection[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """(message, position of the act in it) -> the sentence that shows it."""
        wanted = set(acts)
        found: dict[tuple[int, int], str] = {}
        for chunk in chunks(sorted({message for message, _ in wanted}), 900):
            marks = ",".join("?" * len(chunk))
            last, position = None, 0
            for message, sentence in self.conn.execute(
                f"SELECT message, sentence FROM acts WHERE message IN ({marks}) ORDER BY message, id", chunk
            ):
                position = position + 1 if message == last else 0
                last = message
                if (message, position) in wanted:
                    found[message, position] = sentence
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


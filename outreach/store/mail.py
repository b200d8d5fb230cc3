"""Messages, their recipients and acts, the user's identity and sync progress (seen items, cursors).

Writes happen in batches, one transaction each, so a crash loses at most the
batch in flight and never half of one.  Messages are keyed by ``Message.key``
and inserted with ``INSERT OR IGNORE``, so ingesting the same mail twice
changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from outreach.model import Act, Message
from outreach.store.tables import Tables, chunks

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


def decode_act(one: str) -> Act:
    """One act from split_acts, without its sentence (that is in the acts table: Store.act_evidence)."""
    kind, subtype, amount, minutes, person = one.split(_FIELD)
    return Act(kind, subtype, "", float(amount) if amount else None, int(minutes) if minutes else None, person or None)


class BatchResult(NamedTuple):
    new: int
    duplicates: int
    new_automated: int = 0


class StoredBody(NamedTuple):
    """A personal message's stored text, by row id: what act detection reads again."""

    id: int
    text: str


class MailTables(Tables):
    """messages, recipients, acts, identity, seen, skipped, cursors."""

    def seen_items(self, scope: str) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT item FROM seen WHERE scope = ?", (scope,))}

    def cursor(self, scope: str) -> str | None:
        row = self.conn.execute("SELECT value FROM cursors WHERE scope = ?", (scope,)).fetchone()
        return row[0] if row else None

    def cursors(self, prefix: str) -> dict[str, str]:
        """Every cursor whose scope starts with ``prefix`` (a source's name), by scope."""
        sql = "SELECT scope, value FROM cursors WHERE substr(scope, 1, ?) = ?"
        return dict(self.conn.execute(sql, (len(prefix), prefix)).fetchall())

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

    # -- re-analysis of stored bodies (ingest/reanalyse.py) ----------------------

    def bodies_after(self, after: int, limit: int) -> list[StoredBody]:
        """Up to ``limit`` personal messages with a stored body and a row id above ``after``, by id."""
        sql = ("SELECT id, text FROM messages WHERE id > ? AND automated IS NULL AND text IS NOT NULL"
               " ORDER BY id LIMIT ?")  # fmt: skip
        return [StoredBody(row_id, text) for row_id, text in self.conn.execute(sql, (after, limit))]

    def acts_between(self, first: int, last: int) -> dict[int, list[Act]]:
        """The stored acts, sentences included, of the messages with row ids first..last, in act order."""
        found: dict[int, list[Act]] = {}
        for message, *fields in self.conn.execute(
            "SELECT message, kind, subtype, sentence, amount, minutes, person FROM acts"
            " WHERE message BETWEEN ? AND ? ORDER BY message, id",
            (first, last),
        ):
            found.setdefault(message, []).append(Act(*fields))
        return found

    def replace_acts(
        self, acts: Mapping[int, Sequence[Act]], *, meta: Mapping[str, str], forget: Iterable[str] = ()
    ) -> None:
        """Give messages (by row id) new acts, set and delete meta keys: all in one transaction."""
        ids = list(acts)
        with self.transaction() as conn:
            for chunk in chunks(ids, 900):
                conn.execute(f"DELETE FROM acts WHERE message IN ({','.join('?' * len(chunk))})", chunk)
            conn.executemany(
                "INSERT INTO acts (message, kind, subtype, amount, minutes, person, sentence)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(i, a.kind, a.subtype, a.amount, a.minutes, a.person, a.sentence) for i in ids for a in acts[i]],
            )
            conn.executemany("UPDATE messages SET acts = ? WHERE id = ?", [(encode_acts(acts[i]), i) for i in ids])
            for key, value in meta.items():
                self.set_meta(key, value)
            conn.executemany("DELETE FROM meta WHERE key = ?", [(key,) for key in forget])

    def act_counts(self) -> dict[str, int]:
        """Stored acts per kind."""
        return dict(self.conn.execute("SELECT kind, count(*) FROM acts GROUP BY kind ORDER BY kind"))

    def personal_bodies(self, after: int = 0) -> tuple[int, int]:
        """(with a stored body, without) among personal messages with a row id above ``after``.

        Without a body (metadata-only mode) a message's acts cannot be found again.
        """
        row = self.conn.execute(
            "SELECT count(text), count(*) - count(text) FROM messages WHERE automated IS NULL AND id > ?", (after,)
        ).fetchone()
        return row[0], row[1]

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

    def identity_origin(self) -> str | None:
        """Where the user's addresses came from: 'config', 'inferred', or None when none are stored."""
        row = self.conn.execute("SELECT origin FROM identity LIMIT 1").fetchone()
        return row[0] if row else None

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

    def last_message_id(self) -> int:
        """The id of the newest stored message (0 when there is none)."""
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]

    def message_ref(self, row: int) -> tuple[str, str] | None:
        """(Message-ID, subject) of the stored message with this row id, for replies to it."""
        found = self.conn.execute("SELECT message_id, subject FROM messages WHERE id = ? AND message_id IS NOT NULL",
                                  (row,)).fetchone()
        return (found[0], found[1] or "") if found else None

    def last_exchange(self, address: str) -> tuple[str, str] | None:
        """(Message-ID, subject) of the newest personal message from or to ``address``, for replies."""
        row = self.conn.execute(
            "SELECT message_id, subject FROM messages WHERE message_id IS NOT NULL AND automated IS NULL"
            " AND (from_addr = ?1 OR id IN (SELECT message FROM recipients WHERE address = ?1))"
            " ORDER BY date DESC, id DESC LIMIT 1",
            (address.lower(),),
        ).fetchone()
        return (row[0], row[1]) if row else None


"""The IMAP source: read INBOX, Sent, Drafts (and named folders) incrementally and read-only.

Per folder the store keeps a cursor ``{"uidvalidity", "uid", "modseq"}``:

* folders are opened with EXAMINE and read with BODY.PEEK, so nothing is ever
  marked read or changed on the server;
* an unchanged folder costs one round trip: EXAMINE reports HIGHESTMODSEQ
  (CONDSTORE) and UIDNEXT, and both match the cursor;
* new mail is found with one UID SEARCH above the cursor, then fetched in
  batches (all headers plus the first ``text_bytes`` of the body, which is
  enough for act detection), each batch followed by a Checkpoint that the
  sync pipeline commits before asking for more;
* a changed UIDVALIDITY restarts the folder from the top (the store drops
  duplicates by Message-ID);
* a dropped connection is retried with exponential backoff and the scan goes
  on from the last checkpoint, so nothing is lost or handed over twice.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from outreach.accounts import ImapAccount, imap_account
from outreach.imap import (
    ImapAuthError,
    ImapConnectionError,
    ImapError,
    ImapFolderError,
    ImapTLSError,
    ImapUnreachableError,
    connect,
    find_role,
    imap_errors,
    is_connection_lost,
    list_folders,
)
from outreach.ingest.sources.imap_fetch import fetch_heads
from outreach.model import Checkpoint, Cursor, RawMessage, Unreadable

if TYPE_CHECKING:
    from imapclient import IMAPClient

__all__ = [
    "ImapAuthError",
    "ImapConnectionError",
    "ImapError",
    "ImapFolderError",
    "ImapSource",
    "ImapTLSError",
    "connect",
    "from_config",
]

log = logging.getLogger(__name__)

BATCH_SIZE = 1000  # messages per FETCH command (and per committed checkpoint)
TEXT_BYTES = 16 * 1024  # body bytes fetched per message: MIME structure plus the opening of the first text part
RETRIES = 5  # consecutive failed reconnects before giving up
BACKOFF = 1.0  # seconds before the first retry; doubles each time
MAX_BACKOFF = 30.0

Item = RawMessage | Checkpoint | Unreadable


@dataclass(frozen=True, slots=True)
class FolderCursor:
    """Where reading a folder got to.  ``modseq`` is set only once the folder was read to the end."""

    uidvalidity: int | None = None
    uid: int = 0
    modseq: int | None = None

    def dump(self) -> str:
        return json.dumps({"uidvalidity": self.uidvalidity, "uid": self.uid, "modseq": self.modseq})

    @classmethod
    def load(cls, value: str | None) -> FolderCursor:
        if not value:
            return cls()
        try:
            data = json.loads(value)
            return cls(data.get("uidvalidity"), int(data.get("uid") or 0), data.get("modseq"))
        except (ValueError, TypeError, AttributeError):
            log.warning("ignoring an unreadable IMAP cursor; the folder is read again")
            return cls()


class ImapSource:
    """One IMAP account as a sync source (see outreach.ingest.sync.Source)."""

    def __init__(
        self,
        account: ImapAccount,
        *,
        batch_size: int = BATCH_SIZE,
        text_bytes: int = TEXT_BYTES,
        retries: int = RETRIES,
        backoff: float = BACKOFF,
        connector: Callable[[ImapAccount], IMAPClient] = connect,
    ):
        self.account = account
        self.name = f"imap:{account.label}"
        self.batch_size = batch_size
        self.text_bytes = text_bytes
        self.retries = retries
        self.backoff = backoff
        self._connector = connector
        self._folders: list[str] | None = None
        self._sent: list[str] = []

    def __repr__(self) -> str:
        return f"ImapSource({self.account.label})"

    def scope(self, folder: str) -> str:
        """The cursor key of one folder: imap:user@host:port/Folder."""
        return f"imap:{self.account.label}/{folder}"

    def sent_folders(self) -> list[str]:
        """The folder(s) holding the user's sent mail (found on the server if not yet known)."""
        if self._folders is None:
            client = self._connect()
            try:
                self._resolve_folders(client)
            finally:
                _logout(client)
        return list(self._sent)

    def folders(self) -> list[str]:
        """The server folders this source reads, in order."""
        if self._folders is None:
            self.sent_folders()
        return list(self._folders or [])

    # -- scanning --------------------------------------------------------------

    def scan(self, cursor: Cursor) -> Iterator[Item]:
        positions: dict[str, FolderCursor] = {}  # last checkpoint handed over, per scope
        finished: set[str] = set()
        failures = 0
        connected = False  # a server that never answered is misconfigured, not restarting
        client: IMAPClient | None = None
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="imap-fetch")
        try:
            while True:
                try:
                    if client is None:
                        client = self._connect()
                        connected = True
                    for folder in self._resolve_folders(client):
                        if folder in finished:
                            continue
                        for item in self._scan_folder(client, folder, cursor, positions, pool):
                            yield item
                            if isinstance(item, Checkpoint):
                                failures = 0  # progress was made: the retry budget starts again
                        finished.add(folder)
                    return
                except Exception as exc:
                    if not is_connection_lost(exc) or (isinstance(exc, ImapUnreachableError) and not connected):
                        raise
                    _logout(client)
                    client = None
                    failures += 1
                    if failures > self.retries:
                        if isinstance(exc, ImapConnectionError):
                            raise
                        raise ImapConnectionError(
                            f"{self.account.label}: connection lost and {self.retries} reconnects failed"
                        ) from exc
                    delay = min(MAX_BACKOFF, self.backoff * 2 ** (failures - 1))
                    log.warning(
                        "%s: connection lost (%s); retry %d of %d in %.1fs",
                        self.account.label, type(exc).__name__, failures, self.retries, delay,
                    )  # fmt: skip
                    time.sleep(delay)
        finally:
            pool.shutdown(wait=True)
            _logout(client)

    def _connect(self) -> IMAPClient:
        client = self._connector(self.account)
        with imap_errors(self.account, "enabling CONDSTORE"):
            if client.has_capability("CONDSTORE"):
                client.enable("CONDSTORE")  # so EXAMINE reports HIGHESTMODSEQ
        return client

    def _resolve_folders(self, client: IMAPClient) -> list[str]:
        if self._folders is not None:
            return self._folders
        with imap_errors(self.account, "listing folders"):
            available = list_folders(client)
        by_lower = {name.lower(): name for name in available}
        folders: list[str] = []
        sent: list[str] = []
        for wanted in self.account.folders:
            if wanted.startswith("\\"):
                name = find_role(available, wanted)
                if name is None:
                    log.info("%s: no %s folder found; not read", self.account.label, wanted)
                    continue
            else:
                name = wanted if wanted in available else None
                if name is None and wanted.upper() == "INBOX":  # the one case-insensitive name
                    name = by_lower.get("inbox")
                if name is None:
                    shown = ", ".join(sorted(available)[:20])
                    raise ImapFolderError(f"{self.account.label}: no folder named {wanted!r} (folders: {shown})")
            if name not in folders:
                folders.append(name)
            if b"\\sent" in {f.lower() for f in available[name]} or wanted.lower() == "\\sent":
                sent.append(name)
        self._folders, self._sent = folders, sorted(set(sent), key=sent.index)
        return folders

    def _scan_folder(
        self,
        client: IMAPClient,
        folder: str,
        before: Cursor,
        positions: dict[str, FolderCursor],
        pool: ThreadPoolExecutor,
    ) -> Iterator[Item]:
        scope = self.scope(folder)
        cursor = positions.get(scope) or FolderCursor.load(before.values.get(scope))
        info = self._examine(client, folder)
        uidvalidity = info.get(b"UIDVALIDITY")
        uidnext = info.get(b"UIDNEXT")
        modseq = info.get(b"HIGHESTMODSEQ")
        if cursor.uidvalidity != uidvalidity:
            if cursor.uidvalidity is not None:
                log.info("%s %s: UIDVALIDITY changed; reading the folder again", self.account.label, folder)
            cursor = FolderCursor(uidvalidity)
        if modseq is not None and cursor.modseq == modseq:
            return  # nothing changed since the folder was last read to the end
        uids: list[int] = []
        if info.get(b"EXISTS", 0) and not (uidnext and uidnext <= cursor.uid + 1):
            with imap_errors(self.account, f"searching {folder}"):
                uids = sorted(u for u in client.search(["UID", f"{cursor.uid + 1}:*"]) if u > cursor.uid)
        chunks = [uids[i : i + self.batch_size] for i in range(0, len(uids), self.batch_size)]
        # The next batch is fetched in the background while the consumer parses and
        # commits this one: Dovecot's work and the network wait overlap with ours.
        pending = pool.submit(self._fetch, client, folder, chunks[0]) if chunks else None
        try:
            for number, chunk in enumerate(chunks):
                fetched = pending.result()
                pending = None
                if number + 1 < len(chunks):
                    pending = pool.submit(self._fetch, client, folder, chunks[number + 1])
                for uid in chunk:
                    data = fetched.get(uid)
                    if data is not None:  # None: expunged since the search
                        yield RawMessage(folder=folder, item=str(uid), data=data, uid=uid)
                last = number + 1 == len(chunks)
                cursor = FolderCursor(uidvalidity, chunk[-1], modseq if last else None)
                positions[scope] = cursor
                yield Checkpoint(scope, cursor.dump())
        finally:
            if pending is not None:  # never leave a fetch running on a connection we hand back
                with contextlib.suppress(Exception):
                    pending.result()
        if not uids:
            done = FolderCursor(uidvalidity, cursor.uid, modseq)
            if done != cursor or scope not in before.values:
                positions[scope] = done
                yield Checkpoint(scope, done.dump())

    def _examine(self, client: IMAPClient, folder: str) -> dict:
        try:
            return client.select_folder(folder, readonly=True)  # EXAMINE
        except IMAPClientAbortError:
            raise
        except IMAPClientError as exc:
            raise ImapFolderError(f"{self.account.label}: cannot open folder {folder!r}: {exc}") from None

    def _fetch(self, client: IMAPClient, folder: str, uids: list[int]) -> dict[int, bytes]:
        with imap_errors(self.account, f"fetching from {folder}"):
            return fetch_heads(client, uids, self.text_bytes)


def from_config(account: str | None = None) -> ImapSource:
    """The IMAP source for a configured account (None: the only one configured)."""
    return ImapSource(imap_account(account))


def _logout(client: IMAPClient | None) -> None:
    if client is None:
        return
    try:
        client.logout()
    except Exception:  # the connection may already be gone; nothing to save
        with contextlib.suppress(Exception):
            client.shutdown()

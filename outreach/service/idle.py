"""Waiting for new INBOX mail with IMAP IDLE (RFC 2177), on a connection of its own.

The daemon polls ``Idler.check`` with short timeouts so it notices a stop
signal within a second; IDLE is re-issued every ``renew`` seconds, well inside
the 29 minutes after which servers may drop an idle client.  A connection the
server closed (BYE, or end of stream) raises, so the daemon reconnects with
backoff instead of waiting forever on a dead socket.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from outreach.imap import ImapConnectionError, ImapError, connect, imap_errors

if TYPE_CHECKING:
    from imapclient import IMAPClient

    from outreach.accounts import ImapAccount

NEW_MAIL = (b"EXISTS", b"RECENT")
FAST_EMPTY_LIMIT = 3  # readable-but-empty returns in a row that mean the peer has gone


class IdleUnsupported(ImapError):
    """The server does not offer IDLE."""


class Idler:
    """One IDLE session on INBOX of ``account``."""

    def __init__(
        self,
        account: ImapAccount,
        *,
        renew: float = 600.0,
        folder: str = "INBOX",
        connector: Callable[[ImapAccount], IMAPClient] = connect,
    ):
        self.account = account
        self.folder = folder
        self.renew = renew
        self._connector = connector
        self._client: IMAPClient | None = None
        self._since = 0.0
        self._fast_empty = 0

    def open(self) -> None:
        client = self._connector(self.account)
        try:
            if not client.has_capability("IDLE"):
                raise IdleUnsupported(f"{self.account.label}: the server does not offer IDLE")
            with imap_errors(self.account, f"opening {self.folder} for IDLE"):
                client.select_folder(self.folder, readonly=True)
                client.idle()
        except BaseException:
            _drop(client)
            raise
        self._client = client
        self._since = time.monotonic()

    def check(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; True when the server announced new mail."""
        client = self._client
        if client is None:
            raise ImapConnectionError(f"{self.account.label}: IDLE is not open")
        responses: list[Any] = []
        with imap_errors(self.account, "waiting in IDLE"):
            if time.monotonic() - self._since >= self.renew:
                _text, pending = client.idle_done()
                responses.extend(pending)
                client.idle()
                self._since = time.monotonic()
            started = time.monotonic()
            got = client.idle_check(timeout=timeout)
            responses.extend(got)
        if not got and time.monotonic() - started < timeout / 2:
            # imapclient returns [] at end of stream instead of raising: count such returns
            self._fast_empty += 1
            if self._fast_empty >= FAST_EMPTY_LIMIT:
                raise ImapConnectionError(f"{self.account.label}: the server closed the IDLE connection")
        else:
            self._fast_empty = 0
        if any(_kind(r) == b"BYE" for r in responses):
            raise ImapConnectionError(f"{self.account.label}: the server ended the IDLE session (BYE)")
        return any(_kind(r) in NEW_MAIL for r in responses)

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        with contextlib.suppress(Exception):
            client.idle_done()
        with contextlib.suppress(Exception):
            client.logout()
        _drop(client)


def _kind(response: Any) -> bytes | None:
    if isinstance(response, tuple) and len(response) >= 2:
        first, second = response[0], response[1]
        return second if isinstance(first, int) else first
    return None


def _drop(client: IMAPClient) -> None:
    with contextlib.suppress(Exception):
        client.shutdown()

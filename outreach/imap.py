"""Connecting to an IMAP account: TLS, login, folder discovery, and one family of errors.

Shared by the IMAP source, delivery to Drafts and the daemon.  ``connect``
returns a logged-in ``imapclient.IMAPClient``; anything that goes wrong while
connecting is an ``ImapError`` whose message names the account and never the
secret.  ``imap_errors`` translates failures of later commands the same way.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import socket
import ssl
from collections.abc import Iterator
from typing import TYPE_CHECKING

from outreach.accounts import ImapAccount
from outreach.errors import SourceError
from outreach.tls import verified_context

if TYPE_CHECKING:
    from imapclient import IMAPClient

log = logging.getLogger(__name__)


# Names tried, in order, when the server does not mark a folder with its SPECIAL-USE role.
FALLBACK_NAMES = {
    "\\Sent": ("Sent", "Sent Items", "Sent Mail", "Sent Messages", "[Gmail]/Sent Mail", "INBOX.Sent"),
    "\\Drafts": ("Drafts", "Draft", "[Gmail]/Drafts", "INBOX.Drafts"),
}


class ImapError(SourceError):
    """Talking to an IMAP server failed; the message says which account and why."""


class ImapConnectionError(ImapError):
    """The server cannot be reached or the connection dropped (worth retrying later)."""


class ImapUnreachableError(ImapConnectionError):
    """Nothing answers at the address (refused, unknown host): a first connection is not retried."""


class ImapTLSError(ImapError):
    """TLS failed: certificate not trusted, wrong host name, or STARTTLS not offered."""


class ImapAuthError(ImapError):
    """The server refused the login."""


class ImapFolderError(ImapError):
    """A folder that was asked for does not exist (or cannot be opened)."""


def is_connection_lost(exc: BaseException) -> bool:
    """True for failures a reconnect may cure: socket errors, timeouts, a dropped session."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return False
    return isinstance(exc, (OSError, EOFError, imaplib.IMAP4.abort, ImapConnectionError))


def tls_context(account: ImapAccount) -> ssl.SSLContext:
    """The system's trusted CAs plus the account's CA file; certificates and names always checked."""
    try:
        return verified_context(account.ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise ImapTLSError(f"{account.label}: cannot load CA file {account.ca_file}: {exc}") from None


def connect(account: ImapAccount) -> IMAPClient:
    """A logged-in client for ``account``.  Raises ImapError (or ConfigError for a missing secret)."""
    from imapclient import IMAPClient
    from imapclient.exceptions import CapabilityError, LoginError

    where = account.label
    secret = account.secret()  # before touching the network: a broken _CMD is a config problem
    try:
        if account.tls == "ssl":
            client = IMAPClient(
                account.host, account.port, ssl=True, ssl_context=tls_context(account), timeout=account.timeout
            )
        else:
            client = IMAPClient(account.host, account.port, ssl=False, timeout=account.timeout)
            if account.tls == "starttls":
                client.starttls(tls_context(account))
    except ssl.SSLCertVerificationError as exc:
        hint = "" if account.ca_file else "; if the server uses a private CA, set its _CA_FILE"
        raise ImapTLSError(f"{where}: server certificate not trusted: {exc.verify_message}{hint}") from None
    except (ssl.SSLEOFError, ssl.SSLZeroReturnError) as exc:
        # The server went away during the handshake (restarting?): worth a retry.
        raise ImapConnectionError(f"{where}: connection closed during TLS handshake: {_describe(exc)}") from None
    except CapabilityError:
        raise ImapTLSError(f"{where}: server does not offer STARTTLS; refusing to log in without TLS") from None
    except ssl.SSLError as exc:
        raise ImapTLSError(f"{where}: TLS handshake failed: {exc.reason or exc}") from None
    except (ConnectionRefusedError, socket.gaierror) as exc:
        raise ImapUnreachableError(f"{where}: cannot connect: {_describe(exc)}") from None
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ImapConnectionError(f"{where}: cannot connect: {_describe(exc)}") from None
    try:
        if account.auth == "xoauth2":
            client.oauth2_login(account.user, secret)
        else:
            client.login(account.user, secret)
    except LoginError as exc:
        _close(client)
        kind = "OAuth2 token" if account.auth == "xoauth2" else "password"
        raise ImapAuthError(f"{where}: login refused (check the user name and {kind}): {_server_text(exc)}") from None
    except (OSError, imaplib.IMAP4.error) as exc:
        _close(client)
        raise ImapConnectionError(f"{where}: connection lost while logging in: {_describe(exc)}") from None
    return client


@contextlib.contextmanager
def imap_errors(account: ImapAccount, doing: str) -> Iterator[None]:
    """Translate failures of IMAP commands into the ImapError family, naming what was being done."""
    from imapclient.exceptions import IMAPClientError

    try:
        yield
    except ImapError:
        raise
    except Exception as exc:
        if is_connection_lost(exc):
            raise ImapConnectionError(f"{account.label}: connection lost while {doing}: {_describe(exc)}") from exc
        if isinstance(exc, IMAPClientError | imaplib.IMAP4.error):
            raise ImapError(f"{account.label}: {doing} failed: {_server_text(exc)}") from exc
        raise


def list_folders(client: IMAPClient) -> dict[str, tuple[bytes, ...]]:
    """Every selectable folder with its flags (SPECIAL-USE roles included where offered)."""
    folders = {}
    for flags, _delimiter, name in client.list_folders():
        if b"\\Noselect" in flags or b"\\NonExistent" in flags:
            continue
        folders[name] = tuple(flags)
    return folders


def find_role(folders: dict[str, tuple[bytes, ...]], role: str) -> str | None:
    """The folder marked with SPECIAL-USE ``role`` (e.g. "\\Sent"), else the first common name present."""
    wanted = role.encode().lower()
    for name, flags in folders.items():
        if any(flag.lower() == wanted for flag in flags):
            return name
    by_lower = {name.lower(): name for name in folders}
    for candidate in FALLBACK_NAMES.get("\\" + role.lstrip("\\").capitalize(), ()):
        if candidate.lower() in by_lower:
            return by_lower[candidate.lower()]
    return None


def _close(client: IMAPClient) -> None:
    with contextlib.suppress(Exception):
        client.shutdown()


def _server_text(exc: BaseException) -> str:
    text = str(exc)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return text.strip() or type(exc).__name__


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return _server_text(exc)

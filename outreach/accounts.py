"""The mail servers: one SMTP server to send through and the IMAP accounts to read, as values,
read from the settings (outreach.settings) and validated here.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path

from outreach.errors import ConfigError
from outreach.settings import file_setting, get, read_secret

IMAP_TLS_MODES = ("ssl", "starttls", "off")
IMAP_AUTH_MODES = ("password", "xoauth2")
# "\Sent" and "\Drafts" name folders by their SPECIAL-USE role (RFC 6154), found on the server.
IMAP_DEFAULT_FOLDERS = ("INBOX", "\\Sent", "\\Drafts")
_ACCOUNT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
SMTP_TLS_MODES = ("ssl", "starttls", "off")
_SMTP_DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "off": 25}


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how to send; the password is kept out of repr and logs."""

    host: str
    port: int
    tls: str  # ssl | starttls | off
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: Path | None = None
    timeout: float = 60.0


@dataclass(frozen=True, slots=True)
class ImapAccount:
    """One IMAP account.  The secret is read only when logging in, and never shown.

    ``password`` may be given directly (API, tests); otherwise ``secret_setting``
    names the variable to read at each login (``IMAP_PASSWORD`` means
    OUTREACH_IMAP_PASSWORD or OUTREACH_IMAP_PASSWORD_CMD), so a token command
    is run again on every reconnect and an expired OAuth2 token is replaced.
    """

    name: str
    host: str
    user: str
    port: int = 0  # 0: 993 for ssl, 143 for starttls and off
    tls: str = "ssl"
    auth: str = "password"  # password | xoauth2 (the secret is then an OAuth2 access token)
    password: str | None = field(default=None, repr=False, compare=False)
    secret_setting: str | None = None
    ca_file: Path | None = None
    folders: tuple[str, ...] = IMAP_DEFAULT_FOLDERS
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.tls not in IMAP_TLS_MODES:
            raise ConfigError(f"IMAP account {self.name}: TLS mode {self.tls!r}: expected one of ssl, starttls, off")
        if self.tls == "off" and not is_loopback(self.host):
            raise ConfigError(
                f"IMAP account {self.name}: TLS off is only allowed for a loopback host, not {self.host!r}"
            )
        if self.auth not in IMAP_AUTH_MODES:
            raise ConfigError(f"IMAP account {self.name}: auth {self.auth!r}: expected password or xoauth2")
        if not self.port:
            object.__setattr__(self, "port", 993 if self.tls == "ssl" else 143)

    @property
    def label(self) -> str:
        """user@host:port, for messages and cursor scopes (no secret in it)."""
        return f"{self.user}@{self.host}:{self.port}"

    def secret(self) -> str:
        """The password or access token, read now (runs the _CMD command if configured)."""
        value = self.password
        if value is None and self.secret_setting:
            value = read_secret(self.secret_setting)
        if not value:
            what = "access token" if self.auth == "xoauth2" else "password"
            where = f"OUTREACH_{self.secret_setting} or OUTREACH_{self.secret_setting}_CMD"
            raise ConfigError(f"IMAP account {self.name}: no {what} ({where} is not set)")
        return value


# -- reading them from the settings ------------------------------------------------


def smtp_settings(*, secret: bool = True) -> SmtpSettings:
    """OUTREACH_SMTP_* validated: TLS is required except towards a loopback host.

    With ``secret=False`` the password (or its command) is not read: for previews.
    """
    host = get("SMTP_HOST")
    if not host:
        raise ConfigError("OUTREACH_SMTP_HOST is not set (the SMTP server to send through)")
    tls = (get("SMTP_TLS") or "starttls").lower()
    if tls not in SMTP_TLS_MODES:
        raise ConfigError(f"OUTREACH_SMTP_TLS={tls!r}: expected one of {', '.join(SMTP_TLS_MODES)}")
    if tls == "off" and not is_loopback(host):
        raise ConfigError(f"OUTREACH_SMTP_TLS=off is only allowed for a loopback host, not {host!r}")
    port_text = get("SMTP_PORT")
    try:
        port = int(port_text) if port_text else _SMTP_DEFAULT_PORTS[tls]
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise ConfigError(f"OUTREACH_SMTP_PORT={port_text!r}: expected a port number")
    ca_file = file_setting("SMTP_CA_FILE")
    user = get("SMTP_USER")
    password = read_secret("SMTP_PASSWORD") if secret else None
    if (get("SMTP_PASSWORD") or get("SMTP_PASSWORD_CMD")) and not user:
        raise ConfigError("OUTREACH_SMTP_PASSWORD is set but OUTREACH_SMTP_USER is not")
    return SmtpSettings(host=host, port=port, tls=tls, user=user, password=password, ca_file=ca_file)


def imap_account_names() -> list[str]:
    """Configured IMAP accounts: the names in OUTREACH_ACCOUNTS, else ["default"] when
    OUTREACH_IMAP_HOST is set, else none."""
    listed = get("ACCOUNTS")
    if listed:
        names = [n.strip() for n in listed.split(",") if n.strip()]
        for name in names:
            if not _ACCOUNT_NAME.match(name):
                raise ConfigError(f"OUTREACH_ACCOUNTS: {name!r} is not a valid account name (letters, digits, _)")
        return names
    return ["default"] if get("IMAP_HOST") else []


def imap_account(name: str | None = None) -> ImapAccount:
    """The settings of one IMAP account, validated.  ``None`` picks the only one configured.

    The default account reads OUTREACH_IMAP_*; an account NAME listed in
    OUTREACH_ACCOUNTS reads OUTREACH_<NAME>_IMAP_* (e.g. OUTREACH_WORK_IMAP_HOST).
    """
    names = imap_account_names()
    if not names:
        raise ConfigError(
            "no IMAP account configured: set OUTREACH_IMAP_HOST, OUTREACH_IMAP_USER and OUTREACH_IMAP_PASSWORD"
            " ('outreach config' shows what is set; see 'Configure an account' in the README),"
            " or name a local mailbox (--maildir, --mbox, --eml-dir)"
        )
    if name is None:
        if len(names) > 1:
            raise ConfigError(f"several IMAP accounts are configured ({', '.join(names)}): choose one with --account")
        name = names[0]
    if name not in names:
        raise ConfigError(f"no IMAP account named {name!r} (configured: {', '.join(names)})")
    prefix = "IMAP_" if name == "default" and not get("ACCOUNTS") else f"{name.upper()}_IMAP_"

    def setting(key: str) -> str | None:
        return get(prefix + key)

    host, user = setting("HOST"), setting("USER")
    if not host:
        raise ConfigError(f"OUTREACH_{prefix}HOST is not set (the IMAP server of account {name})")
    if not user:
        raise ConfigError(f"OUTREACH_{prefix}USER is not set (the login name of account {name})")
    tls = (setting("TLS") or "ssl").lower()
    port_text = setting("PORT")
    try:
        port = int(port_text) if port_text else 0
    except ValueError:
        port = -1
    if not 0 <= port < 65536:
        raise ConfigError(f"OUTREACH_{prefix}PORT={port_text!r}: expected a port number")
    auth = (setting("AUTH") or "password").lower()
    secret_setting = prefix + ("TOKEN" if auth == "xoauth2" else "PASSWORD")
    if not (get(secret_setting) or get(secret_setting + "_CMD")):
        raise ConfigError(f"set OUTREACH_{secret_setting} or OUTREACH_{secret_setting}_CMD for account {name}")
    ca = setting("CA_FILE")
    ca_file = Path(ca).expanduser() if ca else None
    if ca_file is not None and not ca_file.is_file():
        raise ConfigError(f"OUTREACH_{prefix}CA_FILE: {ca_file}: no such file")
    folders_text = setting("FOLDERS")
    folders = tuple(f.strip() for f in folders_text.split(",") if f.strip()) if folders_text else None
    timeout_text = setting("TIMEOUT")
    try:
        timeout = float(timeout_text) if timeout_text else 30.0
    except ValueError:
        timeout = 0.0
    if timeout <= 0:
        raise ConfigError(f"OUTREACH_{prefix}TIMEOUT={timeout_text!r}: expected seconds, e.g. 30")
    return ImapAccount(
        name=name,
        host=host,
        user=user,
        port=port,
        tls=tls,
        auth=auth,
        secret_setting=secret_setting,
        ca_file=ca_file,
        folders=folders or IMAP_DEFAULT_FOLDERS,
        timeout=timeout,
    )


def is_loopback(host: str) -> bool:
    if host.lower() in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False

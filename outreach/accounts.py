"""The settings of one SMTP server and of one IMAP account, as values (read by outreach.config).

They live apart from config.py so that reading a setting does not import dataclasses (about
9 ms of start-up, more than ``outreach lint`` spends linting); ``outreach.config.ImapAccount``
and ``outreach.config.SmtpSettings`` still name these classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from outreach.config import IMAP_AUTH_MODES, IMAP_DEFAULT_FOLDERS, IMAP_TLS_MODES, is_loopback, read_secret
from outreach.errors import ConfigError


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

"""Settings from the environment and an optional ``.env`` file.

Every variable is prefixed ``OUTREACH_`` and documented in ``.env.example``.
Values are read and validated here once; the rest of the code receives plain
values and never looks at the environment itself.  Secrets are never printed.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from outreach.errors import ConfigError

if TYPE_CHECKING:
    from outreach.accounts import ImapAccount, SmtpSettings

_loaded = False


def __getattr__(name: str):
    # The account settings are dataclasses, defined in outreach/accounts.py and loaded on first
    # use: importing dataclasses costs about 9 ms, and `outreach lint` (a pre-send hook) reads
    # its settings here without ever needing an account.  config.ImapAccount still works.
    if name in ("ImapAccount", "SmtpSettings"):
        from outreach import accounts

        return getattr(accounts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_env() -> None:
    """Load ``.env`` from the working directory (or $OUTREACH_ENV_FILE) once.

    Real environment variables win over the file.
    """
    global _loaded
    if _loaded:
        return
    _loaded = True
    path = os.environ.get("OUTREACH_ENV_FILE") or ".env"
    if Path(path).is_file():
        from dotenv import load_dotenv

        load_dotenv(path, override=False)


def get(name: str, default: str | None = None) -> str | None:
    """The value of OUTREACH_<name>, stripped; empty counts as unset."""
    load_env()
    value = os.environ.get(f"OUTREACH_{name}", "").strip()
    return value or default


def get_bool(name: str, default: bool) -> bool:
    value = get(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"OUTREACH_{name}={value!r}: expected 1/0, true/false, yes/no or on/off")


def data_dir() -> Path:
    """Where outreach keeps its files: $XDG_DATA_HOME/outreach or ~/.local/share/outreach."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "outreach"


def default_db_path() -> Path:
    value = get("DB")
    return Path(value).expanduser() if value else data_dir() / "outreach.db"


def my_addresses() -> list[str]:
    """The user's own addresses from OUTREACH_ME (comma-separated), lower-cased."""
    value = get("ME") or ""
    addresses = [a.strip().lower() for a in value.split(",") if a.strip()]
    for address in addresses:
        if "@" not in address:
            raise ConfigError(f"OUTREACH_ME: {address!r} is not an email address")
    return addresses


def store_bodies() -> bool:
    """False in metadata-only mode (OUTREACH_STORE_BODIES=0): keep evidence sentences only."""
    return get_bool("STORE_BODIES", True)


# -- templates and delivery ----------------------------------------------------


def templates_dir() -> Path:
    """The user's own templates (they override library ones by name)."""
    value = get("TEMPLATES_DIR")
    return Path(value).expanduser() if value else data_dir() / "templates"


def user_name() -> str:
    """The user's display name for From and signatures (OUTREACH_NAME), or ''."""
    return _single_line(get("NAME") or "")


def from_address() -> str | None:
    """The address drafts are written from: OUTREACH_FROM, else the first of OUTREACH_ME."""
    value = get("FROM")
    if value:
        if "@" not in value or any(c in value for c in "\r\n <>,"):
            raise ConfigError(f"OUTREACH_FROM: {value!r} is not a bare email address")
        return value.lower()
    mine = my_addresses()
    return mine[0] if mine else None


def read_secret(name: str) -> str | None:
    """OUTREACH_<name>, or the first line printed by the command in OUTREACH_<name>_CMD.

    The command runs without a shell; its output is never logged.
    """
    import shlex
    import subprocess

    value, command = get(name), get(f"{name}_CMD")
    if value and command:
        raise ConfigError(f"set only one of OUTREACH_{name} and OUTREACH_{name}_CMD")
    if not command:
        return value
    try:
        done = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=60, check=False)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"OUTREACH_{name}_CMD could not run: {type(exc).__name__}") from None
    if done.returncode != 0:
        raise ConfigError(f"OUTREACH_{name}_CMD failed with exit status {done.returncode}")
    lines = done.stdout.splitlines()
    if not lines or not lines[0]:
        raise ConfigError(f"OUTREACH_{name}_CMD printed nothing")
    return lines[0]


SMTP_TLS_MODES = ("ssl", "starttls", "off")
_SMTP_DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "off": 25}


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
    from outreach.accounts import SmtpSettings

    return SmtpSettings(host=host, port=port, tls=tls, user=user, password=password, ca_file=ca_file)


def file_setting(name: str) -> Path | None:
    """OUTREACH_<name> as the path of an existing file (``~`` expanded), or None when unset."""
    value = get(name)
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_file():
        raise ConfigError(f"OUTREACH_{name}: {path}: no such file")
    return path


def is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _single_line(value: str) -> str:
    return " ".join(value.split())


# -- IMAP accounts -------------------------------------------------------------

IMAP_TLS_MODES = ("ssl", "starttls", "off")
IMAP_AUTH_MODES = ("password", "xoauth2")
# "\Sent" and "\Drafts" name folders by their SPECIAL-USE role (RFC 6154), found on the server.
IMAP_DEFAULT_FOLDERS = ("INBOX", "\\Sent", "\\Drafts")
_ACCOUNT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")


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
            " (see .env.example), or name a local mailbox (--maildir, --mbox, --eml-dir)"
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
    from outreach.accounts import ImapAccount

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


# -- daemon --------------------------------------------------------------------

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)", re.I)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DIGEST_DELIVERIES = ("inbox", "smtp", "off")


def parse_duration(text: str, setting: str) -> float:
    """Seconds in "90", "30s", "15m", "1h30m" or "1d"; ConfigError names ``setting`` otherwise."""
    compact = text.strip().replace(" ", "")
    parts = _DURATION.findall(compact)
    if not compact or "".join(n + u for n, u in parts).lower() != compact.lower():
        raise ConfigError(f"OUTREACH_{setting}={text!r}: expected a duration such as 30s, 15m or 1h")
    seconds = sum(float(n) * _UNIT_SECONDS[u.lower()] for n, u in parts)
    if seconds <= 0:
        raise ConfigError(f"OUTREACH_{setting}={text!r}: must be longer than zero")
    return seconds


def daemon_interval() -> float:
    """Seconds between the daemon's scheduled syncs (OUTREACH_DAEMON_INTERVAL, default 15m)."""
    return parse_duration(get("DAEMON_INTERVAL") or "15m", "DAEMON_INTERVAL")


def daemon_backoff_max() -> float:
    """The longest wait before retrying a failing account (OUTREACH_DAEMON_BACKOFF_MAX, default 15m)."""
    return parse_duration(get("DAEMON_BACKOFF_MAX") or "15m", "DAEMON_BACKOFF_MAX")


def daemon_idle() -> bool:
    """Wait for new INBOX mail with IMAP IDLE between syncs (OUTREACH_DAEMON_IDLE, default on)."""
    return get_bool("DAEMON_IDLE", True)


def draft_keyword() -> bool:
    """Mark drafts with lint findings with the IMAP keyword $OutreachReview (OUTREACH_DRAFT_KEYWORD)."""
    return get_bool("DRAFT_KEYWORD", False)


def digest_schedule() -> tuple[int, int, int] | None:
    """(weekday 0=Monday, hour, minute) of the weekly digest from OUTREACH_DIGEST ("mon 08:00"); None if off."""
    text = (get("DIGEST") or "mon 08:00").strip().lower()
    if text in {"off", "no", "0", "never"}:
        return None
    match = re.fullmatch(r"([a-z]{3})[a-z]*\s+(\d{1,2}):(\d{2})", text)
    if not match or match[1] not in WEEKDAYS or int(match[2]) > 23 or int(match[3]) > 59:
        raise ConfigError(f"OUTREACH_DIGEST={text!r}: expected a day and a time such as 'mon 08:00', or 'off'")
    return WEEKDAYS.index(match[1]), int(match[2]), int(match[3])


def digest_delivery() -> str:
    """Where the weekly digest goes: inbox (IMAP APPEND to your INBOX), smtp (to yourself), or off."""
    value = (get("DIGEST_DELIVERY") or "inbox").lower()
    if value not in DIGEST_DELIVERIES:
        raise ConfigError(f"OUTREACH_DIGEST_DELIVERY={value!r}: expected one of {', '.join(DIGEST_DELIVERIES)}")
    return value


SENT_COPIES = ("auto", "on", "off")


def sendmail_command() -> list[str]:
    """The MTA `outreach sendmail` hands checked mail to (OUTREACH_SENDMAIL, e.g. 'msmtp -a work')."""
    text = get("SENDMAIL") or "/usr/sbin/sendmail"
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ConfigError(f"OUTREACH_SENDMAIL={text!r}: {exc}") from None
    if not words:
        raise ConfigError("OUTREACH_SENDMAIL is empty: name the mail transfer program, e.g. 'msmtp -a work'")
    return words


def sent_copy() -> str:
    """Who files a copy in Sent (OUTREACH_SENT_COPY): auto (outreach send does, sendmail leaves it to the
    mail client), on (outreach always does), off (the server or the MTA does)."""
    value = (get("SENT_COPY") or "auto").lower()
    if value not in SENT_COPIES:
        raise ConfigError(f"OUTREACH_SENT_COPY={value!r}: expected one of {', '.join(SENT_COPIES)}")
    return value


def local_maildir() -> Path | None:
    """The user's own Maildir (OUTREACH_MAILDIR) for Drafts, Sent and the digest, when mail is local."""
    value = get("MAILDIR")
    return Path(value).expanduser() if value else None


def time_zone():
    """The user's zone (OUTREACH_TZ, e.g. Europe/Berlin), else the system's; a tzinfo."""
    from datetime import datetime
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = get("TZ")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"OUTREACH_TZ={name!r}: not a known time zone (e.g. Europe/Berlin)") from None
    for candidate in _system_zone_names():
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return datetime.now().astimezone().tzinfo  # a fixed offset: right today, maybe not after a DST change


def _system_zone_names() -> list[str]:
    import contextlib

    names = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        names.append(Path("/etc/timezone").read_text().strip())
    try:
        target = os.readlink("/etc/localtime")
        names.append(target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "")
    except OSError:
        pass
    return [n for n in names if n]


# --- lint ----------------------------------------------------------------------


def lint_readability() -> str:
    """How the linter counts syllables for the reading grade (OUTREACH_LINT_READABILITY).

    "fast" (default): a built-in estimate, no start-up cost.  "textstat": textstat's count from
    the CMU dictionary, exact but about half a second to load on first use.
    """
    value = (get("LINT_READABILITY") or "fast").lower()
    if value not in ("fast", "textstat"):
        raise ConfigError(f"OUTREACH_LINT_READABILITY={value!r}: expected fast or textstat")
    return value


# -- suggestions ---------------------------------------------------------------


def suggest_budget() -> int:
    """How many people `outreach suggest` proposes per week (OUTREACH_SUGGEST_BUDGET, default 5)."""
    text = get("SUGGEST_BUDGET") or "5"
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 100:
        raise ConfigError(f"OUTREACH_SUGGEST_BUDGET={text!r}: expected a whole number from 0 to 100")
    return value


def cache_dir() -> Path:
    """Where outreach keeps caches it can rebuild (OUTREACH_CACHE_DIR, else $XDG_CACHE_HOME/outreach)."""
    value = get("CACHE_DIR")
    if value:
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "outreach"

"""The checked values of the settings: who the user is, where the store and templates are, and
how the daemon, digest, sending, lint and suggestions behave.

Each function reads its OUTREACH_ variable (see settings.py for where from, and the README's
configuration reference for every one) and validates it; the rest of the code receives plain values
and never looks at the environment itself.  Mail-server settings are in accounts.py.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
from datetime import datetime, tzinfo
from pathlib import Path

from outreach import paths
from outreach.errors import ConfigError
from outreach.settings import get, get_bool

# -- where the store and the user's templates are ---------------------------------


def default_db_path() -> Path:
    value = get("DB")
    return Path(value).expanduser() if value else paths.data_dir() / "outreach.db"


def templates_dir() -> Path:
    """The user's own templates (they override library ones by name)."""
    value = get("TEMPLATES_DIR")
    path = Path(value).expanduser() if value else paths.data_dir() / "templates"
    if path.exists() and not path.is_dir():
        raise ConfigError(f"OUTREACH_TEMPLATES_DIR: {path} is a file, not a folder of templates")
    return path


# -- you -------------------------------------------------------------------------

_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+$")  # one @, something on each side, no spaces


def my_addresses() -> list[str]:
    """The user's own addresses from OUTREACH_ME (comma-separated), lower-cased."""
    value = get("ME")
    if value is None:
        return []
    addresses = [a.strip().lower() for a in value.split(",") if a.strip()]
    if not addresses:
        raise ConfigError(f"OUTREACH_ME={value!r}: no address in it (comma-separated, e.g. alex@example.com)")
    for address in addresses:
        if not _ADDRESS.match(address):
            raise ConfigError(f"OUTREACH_ME: {address!r} is not an email address")
    return addresses


def user_name() -> str:
    """The user's display name for From and signatures (OUTREACH_NAME), or ''."""
    return " ".join((get("NAME") or "").split())


def from_address() -> str | None:
    """The address drafts are written from: OUTREACH_FROM, else the first of OUTREACH_ME."""
    value = get("FROM")
    if value:
        if not _ADDRESS.match(value.lower()):
            raise ConfigError(f"OUTREACH_FROM: {value!r} is not a bare email address")
        return value.lower()
    mine = my_addresses()
    return mine[0] if mine else None


def store_bodies() -> bool:
    """False in metadata-only mode (OUTREACH_STORE_BODIES=0): keep evidence sentences only."""
    return get_bool("STORE_BODIES", True)


def time_zone() -> tzinfo:
    """The user's zone (OUTREACH_TZ, e.g. Europe/Berlin), else the system's."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only commands that show local times need it

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
    zone = datetime.now().astimezone().tzinfo  # a fixed offset: right today, maybe not after a DST change
    assert zone is not None
    return zone


def _system_zone_names() -> list[str]:
    names = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        names.append(Path("/etc/timezone").read_text().strip())
    try:
        target = os.readlink("/etc/localtime")
        names.append(target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "")
    except OSError:
        pass
    return [n for n in names if n]


# -- daemon, digest, lint, suggestions ----------------------------------------------

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


def lint_readability() -> str:
    """How the linter counts syllables for the reading grade (OUTREACH_LINT_READABILITY).

    "fast" (default): a built-in estimate, no start-up cost.  "textstat": textstat's count from
    the CMU dictionary, exact but about half a second to load on first use.
    """
    value = (get("LINT_READABILITY") or "fast").lower()
    if value not in ("fast", "textstat"):
        raise ConfigError(f"OUTREACH_LINT_READABILITY={value!r}: expected fast or textstat")
    return value


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

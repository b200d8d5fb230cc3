"""Settings: the environment, then ``./.env``, then ``$XDG_CONFIG_HOME/outreach/config``.

Every variable is prefixed ``OUTREACH_`` and documented in ``.env.example``; the first of the
three places that sets a variable wins, and ``outreach config`` shows which one it was.  Values
are validated where they are read (here, and in accounts.py for the mail servers); the rest of
the code receives plain values and never looks at the environment itself.  Secrets are never
printed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shlex
import stat
import subprocess
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv.parser import parse_stream

from outreach.errors import ConfigError

PREFIX = "OUTREACH_"
ENVIRONMENT = "environment"
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SECRET_WORDS = ("PASSWORD", "TOKEN", "SECRET")


@dataclass(frozen=True, slots=True)
class Setting:
    """One variable as found: its full name, its raw value and where it came from."""

    name: str
    value: str
    origin: str  # "environment", or the path of the file that set it

    @property
    def secret(self) -> bool:
        """A password or token (a ``_CMD`` names a command, which is not itself secret)."""
        return is_secret(self.name)

    def shown(self) -> str:
        """The value as it may be printed: secrets masked."""
        return "********" if self.secret and self.value else self.value


def is_secret(name: str) -> bool:
    return not name.endswith("_CMD") and any(word in name for word in _SECRET_WORDS)


# -- where settings come from ----------------------------------------------------


def env_file() -> Path | None:
    """The .env in use: $OUTREACH_ENV_FILE (which must exist), else ./.env when there is one."""
    named = os.environ.get(PREFIX + "ENV_FILE", "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.exists() or path.is_dir():
            raise ConfigError(f"OUTREACH_ENV_FILE={named!r}: no such file")
        return path
    local = Path(".env")
    return local.absolute() if local.is_file() else None


def config_file() -> Path:
    """The user's settings file: $XDG_CONFIG_HOME/outreach/config, i.e. ~/.config/outreach/config."""
    return _xdg("XDG_CONFIG_HOME", ".config") / "outreach" / "config"


def read_file(path: Path, *, own: bool) -> dict[str, str]:
    """The KEY=value lines of a settings file; anything else is a ConfigError naming the line.

    ``own`` is outreach's own config file: every key there must be an OUTREACH_ setting, and a
    file holding a password must not be readable by everyone.  A .env may be shared with other
    tools, so its other keys are ignored.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a text file of KEY=value lines") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    values: dict[str, str] = {}
    for binding in parse_stream(io.StringIO(text)):
        line = binding.original.line
        if binding.error or (binding.key is not None and (binding.value is None or not _KEY.match(binding.key))):
            raise ConfigError(f"{path}:{line}: not a KEY=value line")
        if binding.key is None:  # a blank line or a comment
            continue
        if binding.key.startswith(PREFIX):
            values[binding.key] = binding.value or ""
        elif own:
            raise ConfigError(f"{path}:{line}: {binding.key} is not an outreach setting (they start with {PREFIX})")
    if own and path.stat().st_mode & stat.S_IROTH and any(is_secret(k) and v for k, v in values.items()):
        raise ConfigError(f"{path}: holds a password and anyone on this machine can read it; run chmod 600 {path}")
    return values


_layers: tuple[tuple[object, ...], list[tuple[str, dict[str, str]]]] | None = None


def _files() -> list[tuple[str, dict[str, str]]]:
    """(origin, values) of the .env and the config file, read again only when which files apply changes."""
    global _layers
    dotenv, own = env_file(), config_file()
    key = (dotenv, own, _stamp(dotenv), _stamp(own))
    if _layers is None or _layers[0] != key:
        layers = [(str(dotenv), read_file(dotenv, own=False))] if dotenv else []
        if own.is_file():
            layers.append((str(own), read_file(own, own=True)))
        _layers = (key, layers)
    return _layers[1]


def _stamp(path: Path | None) -> tuple[int, int] | None:
    try:
        status = path.stat() if path else None
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size) if status else None


def lookup(name: str) -> Setting | None:
    """OUTREACH_<name> from the first place that sets it (an empty value counts as set there)."""
    key = PREFIX + name
    if key in os.environ:
        return Setting(key, os.environ[key], ENVIRONMENT)
    for origin, values in _files():
        if key in values:
            return Setting(key, values[key], origin)
    return None


def settings() -> list[Setting]:
    """Every OUTREACH_ variable that is set, as it is seen (first place wins), sorted by name."""
    seen = {k: Setting(k, v, ENVIRONMENT) for k, v in os.environ.items() if k.startswith(PREFIX)}
    for origin, values in _files():
        for key, value in values.items():
            seen.setdefault(key, Setting(key, value, origin))
    return sorted(seen.values(), key=lambda s: s.name)


def get(name: str, default: str | None = None) -> str | None:
    """The value of OUTREACH_<name>, stripped; empty counts as unset."""
    found = lookup(name)
    value = found.value.strip() if found else ""
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


def read_secret(name: str) -> str | None:
    """OUTREACH_<name>, or the first line printed by the command in OUTREACH_<name>_CMD.

    The command runs without a shell; its output is never logged.
    """
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


def file_setting(name: str) -> Path | None:
    """OUTREACH_<name> as the path of an existing file (``~`` expanded), or None when unset."""
    value = get(name)
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_file():
        raise ConfigError(f"OUTREACH_{name}: {path}: no such file")
    return path


# -- where outreach keeps its files ------------------------------------------------


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else Path.home() / fallback  # relative values are ignored


def data_dir() -> Path:
    """Where outreach keeps its files: $XDG_DATA_HOME/outreach or ~/.local/share/outreach."""
    return _xdg("XDG_DATA_HOME", ".local/share") / "outreach"


def state_dir() -> Path:
    """Where outreach keeps run state (locks): $XDG_STATE_HOME/outreach or ~/.local/state/outreach."""
    return _xdg("XDG_STATE_HOME", ".local/state") / "outreach"


def default_db_path() -> Path:
    value = get("DB")
    return Path(value).expanduser() if value else data_dir() / "outreach.db"


def lock_path(db: Path) -> Path:
    """The lock of the daemon and syncs of one store, in the state directory, named after the store."""
    resolved = Path(db).expanduser().absolute()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:12]  # two stores of one name get two locks
    return state_dir() / "locks" / f"{resolved.name}-{digest}.lock"


def templates_dir() -> Path:
    """The user's own templates (they override library ones by name)."""
    value = get("TEMPLATES_DIR")
    path = Path(value).expanduser() if value else data_dir() / "templates"
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

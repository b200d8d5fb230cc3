"""Settings from the environment and an optional ``.env`` file.

Every variable is prefixed ``OUTREACH_`` and documented in ``.env.example``.
Values are read and validated here once; the rest of the code receives plain
values and never looks at the environment itself.  Secrets are never printed.
"""

from __future__ import annotations

import os
from pathlib import Path

from outreach.errors import ConfigError

_loaded = False


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

"""The XDG directories outreach keeps its files in (settings, data, run state), and its lock files."""

from __future__ import annotations

import os
from pathlib import Path


def xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else Path.home() / fallback  # relative values are ignored


def data_dir() -> Path:
    """Where outreach keeps its files: $XDG_DATA_HOME/outreach or ~/.local/share/outreach."""
    return xdg("XDG_DATA_HOME", ".local/share") / "outreach"


def state_dir() -> Path:
    """Where outreach keeps run state (locks): $XDG_STATE_HOME/outreach or ~/.local/state/outreach."""
    return xdg("XDG_STATE_HOME", ".local/state") / "outreach"


def config_file() -> Path:
    """The user's settings file: $XDG_CONFIG_HOME/outreach/config, i.e. ~/.config/outreach/config."""
    return xdg("XDG_CONFIG_HOME", ".config") / "outreach" / "config"


def lock_path(db: Path) -> Path:
    """The daemon's lock file of one store, in the state directory, named after the store."""
    import hashlib  # only the daemon takes a lock: other commands start without it

    resolved = Path(db).expanduser().absolute()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:12]  # two stores of one name get two locks
    return state_dir() / "locks" / f"{resolved.name}-{digest}.lock"

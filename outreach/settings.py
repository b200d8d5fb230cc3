"""Where settings come from: the environment, then ``./.env``, then ``$XDG_CONFIG_HOME/outreach/config``.

Every variable is prefixed ``OUTREACH_``; the first of the three places that sets a variable
wins, and ``outreach config`` shows which one it was.  This module finds and reads them;
config.py and accounts.py turn them into checked values.  Secrets are never printed.
"""

import io
import os
import re
import shlex
import stat
from pathlib import Path
from typing import NamedTuple

from outreach import paths
from outreach.errors import ConfigError

PREFIX = "OUTREACH_"
ENVIRONMENT = "environment"
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SECRET_WORDS = ("PASSWORD", "TOKEN", "SECRET")


class Setting(NamedTuple):
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
    # python-dotenv's parser brings logging, tempfile and more: loaded only when there is a file
    from dotenv.parser import parse_stream

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
    dotenv, own = env_file(), paths.config_file()
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
    import subprocess  # only a _CMD setting runs a command

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

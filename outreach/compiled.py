"""A disk cache of compiled regular expressions and parsed rule files.

``outreach lint`` runs as a pre-send hook, where start-up is most of the cost: compiling
the act vocabulary and the lint rules takes longer than linting.  Python cannot pickle a
compiled pattern, but it can rebuild one from the code list its compiler produced; this
module keeps those code lists (and the parsed TOML of rule files) in one marshal file under
config.cache_dir(), keyed by Python version and the exact pattern text or file stamp.  Any
problem with the cache (missing, stale, unwritable, another Python) falls back to the
ordinary compiler, so the cache can only make things faster, never different.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:  # the pieces of re that compile(); present in CPython 3.11-3.13
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another implementation: no cache
    _sre = None

_VERSION = 2
_patterns: dict[tuple[str, int], tuple] | None = None
_tomls: dict[str, tuple[tuple[int, int], Any]] = {}
_texts: dict[str, str] = {}
_dirty = False
_MAX_ENTRIES = 5000


def regex(pattern: str, flags: int = 0, validate=None) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the cache when this exact pattern was seen before.

    ``validate(pattern)`` runs only when the pattern is not cached (it passed before).
    """
    global _dirty
    entries = _load()
    key = (pattern, flags)
    hit = entries.get(key) if entries is not None else None
    if hit is not None:
        try:
            flags_, code, groups, groupindex, indexgroup = hit
            return _sre.compile(pattern, flags_, array("I", code).tolist(), groups, groupindex, indexgroup)
        except Exception:  # a damaged entry: recompile below
            pass
    if validate is not None:
        validate(pattern)
    if entries is None:
        return re.compile(pattern, flags)
    tree = _parser.parse(pattern, flags)
    code = _compiler._code(tree, flags)
    groupindex = dict(tree.state.groupdict)
    indexgroup = [None] * tree.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    code = [int(op) for op in code]  # opcodes are int subclasses marshal cannot store
    args = (int(flags | tree.state.flags), code, tree.state.groups - 1, groupindex, tuple(indexgroup))
    compiled = _sre.compile(pattern, *args)
    if len(entries) < _MAX_ENTRIES:
        # The code as packed 32-bit words (SRE_CODE): many times faster to load than a list.
        entries[key] = (args[0], array("I", code).tobytes(), *args[2:])
        _dirty = True
    return compiled


def built(key: str, build: Callable[[], str]) -> str:
    """``build()``, remembered under ``key``: for pattern text that is costly to assemble."""
    global _dirty
    _load()
    text = _texts.get(key)
    if text is None:
        text = _texts[key] = build()
        _dirty = True
    return text


def toml(path: Path) -> dict[str, Any]:
    """The parsed TOML file, from the cache when the file has not changed (size and mtime)."""
    global _dirty
    _load()
    stat = os.stat(path)
    stamp = (stat.st_mtime_ns, stat.st_size)
    hit = _tomls.get(str(path))
    if hit is not None and tuple(hit[0]) == stamp:
        return hit[1]
    import tomllib

    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    try:
        marshal.dumps(data)  # only plain values can be cached (no dates)
    except ValueError:
        return data
    _tomls[str(path)] = (stamp, data)
    _dirty = True
    return data


def _file() -> Path:
    from outreach import config

    tag = sys.implementation.cache_tag or "python"
    return config.cache_dir() / f"compiled-{tag}.marshal"


def _load() -> dict | None:
    global _patterns
    if _patterns is not None or _sre is None:
        return _patterns
    _patterns = {}
    atexit.register(_save)
    try:
        with open(_file(), "rb") as handle:
            stored = marshal.load(handle)
        if stored.get("version") == (_VERSION, sys.version, _sre.MAGIC):
            _patterns.update(stored["patterns"])
            _tomls.update(stored["tomls"])
            _texts.update(stored["texts"])
    except Exception:  # missing, unreadable or from another version: start afresh
        pass
    return _patterns


def _save() -> None:
    if not _dirty or _patterns is None:
        return
    try:
        path = _file()
        path.parent.mkdir(parents=True, exist_ok=True)
        data = marshal.dumps({"version": (_VERSION, sys.version, _sre.MAGIC), "patterns": _patterns, "tomls": _tomls,
                             "texts": _texts})
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except Exception:  # a read-only home or a full disk must not break linting
        pass

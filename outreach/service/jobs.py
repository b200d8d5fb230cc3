"""What the daemon serves and how it paces itself: its settings, one job per source, backoff."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from outreach import config
from outreach.errors import OutreachError

BACKOFF_BASE = 2.0  # seconds before the first retry of a failing source
IDLE_RENEW = 600.0  # re-issue IDLE well before the 29-minute limit of RFC 2177


@dataclass(slots=True)
class Settings:
    interval: float = 900.0
    backoff_base: float = BACKOFF_BASE
    backoff_max: float = 900.0
    idle: bool = True
    idle_renew: float = IDLE_RENEW
    draft_keyword: bool = False
    me: list[str] = field(default_factory=list)
    store_bodies: bool = True

    @classmethod
    def from_config(cls, **overrides: Any) -> Settings:
        values = dict(
            interval=config.daemon_interval(),
            backoff_max=config.daemon_backoff_max(),
            idle=config.daemon_idle(),
            draft_keyword=config.draft_keyword(),
            me=config.my_addresses(),
            store_bodies=config.store_bodies(),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass(slots=True)
class Job:
    """One source the daemon serves, with its own failure count and backoff."""

    make_source: Callable[[], Any]  # a fresh source (local ones re-discover their folders)
    name: str
    account: Any = None  # ImapAccount for IMAP sources
    reuse: bool = False  # keep the source between syncs (IMAP caches its folder list)
    source: Any = None
    failures: int = 0
    retry_at: float = 0.0
    idler: Any = None
    idle_failures: int = 0
    idle_retry_at: float = 0.0
    idle_unsupported: bool = False

    def current_source(self) -> Any:
        if self.source is None or not self.reuse:
            self.source = self.make_source()
        return self.source

    def folders(self) -> list[str]:
        source = self.source
        found = getattr(source, "folders", None)
        if callable(found):
            return list(found())
        if isinstance(found, dict):
            return list(found)
        folder = getattr(source, "folder", None)
        return [folder] if folder else []


def backoff(failures: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds to wait after ``failures`` consecutive failures: doubling from ``base``, capped, jittered."""
    delay = min(cap, base * 2 ** max(0, failures - 1))
    return delay * (0.5 + (rng or random).random() / 2)  # never less than half: a crowd of clients spreads out


def describe(exc: BaseException) -> str:
    """One line about a failure, for the log and `outreach status` (never a secret: errors omit them)."""
    if isinstance(exc, OutreachError):
        return str(exc)
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f}s" if seconds >= 10 else f"{seconds:.1f}s"
    if seconds < 5400:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"

"""Where mail comes from: local Maildirs, mbox files and .eml folders (local.py), IMAP (imap.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from outreach.ingest.sources.local import EmlDirSource, MaildirSource, MboxSource

if TYPE_CHECKING:
    from outreach.ingest.sync import Source


def chosen(maildirs: Iterable[str], mboxes: Iterable[str], eml_dirs: Iterable[str],
           account: str | None) -> list[Source]:  # fmt: skip
    """The local sources named, in that order; none named: the configured IMAP account."""
    sources: list[Source] = [MaildirSource(p) for p in maildirs]
    sources += [MboxSource(p) for p in mboxes]
    sources += [EmlDirSource(p) for p in eml_dirs]
    if not sources:
        # imapclient and TLS load only for an IMAP account: a local sync starts without them
        from outreach.ingest.sources.imap import from_config

        sources.append(from_config(account))
    return sources

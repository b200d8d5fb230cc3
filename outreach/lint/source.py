"""The one draft reader: plain text or a mail message, for `outreach lint`, the daemon's
Drafts review and sending (`outreach send`, `outreach sendmail`).

A message (an .eml, or bytes that start with mail headers) is read by ``outreach.lint.mime``:
every text part a recipient may read, its To and Cc, its subject and suppressions.  Text it
cannot read is named in ``unread``: a draft is never reported clean only because its words
were out of reach.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from outreach.errors import OutreachError
from outreach.lint.draft import Draft, DraftInput, TextPart
from outreach.lint.engine import Rule, recipient_context, run
from outreach.lint.report import Finding, Report

if TYPE_CHECKING:
    from outreach.model import RecipientContext

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]?")


def read(path: str) -> DraftInput:
    """The draft at ``path`` ('-' = standard input); OutreachError when it cannot be read."""
    if path == "-":
        return read_bytes(sys.stdin.buffer.read(), "<stdin>")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise OutreachError(f"{path}: cannot read draft: {exc.strerror or exc}") from None
    return read_bytes(data, path, message=path.lower().endswith(".eml") or None)


def read_bytes(data: bytes, name: str, *, message: bool | None = None) -> DraftInput:
    """A draft from bytes; ``message`` None: a message when it starts with mail headers."""
    if message is None:
        message = looks_like_message(data)
    if not message:
        return DraftInput(name, (TextPart("plain", _decode(data)),))
    # the email package and the HTML reader load only for a message: a text draft starts without them
    from outreach.lint import mime

    return mime.read_message(name, data)


def looks_like_message(data: bytes) -> bool:
    head = data[:4096].replace(b"\r\n", b"\n")
    end = head.find(b"\n\n")
    if end <= 0:
        return False
    lines = head[:end].split(b"\n")
    return all(_HEADER_LINE.match(line) or line[:1] in (b" ", b"\t") for line in lines)


def _decode(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")


# -- linting what was read ---------------------------------------------------------------------


def check(
    draft: DraftInput,
    rules: list[Rule],
    context_for: Callable[[str], RecipientContext | None] = lambda address: None,
    to: str | None = None,
) -> list[Report]:
    """Lint every text part for every recipient (``to`` overrides the draft's To and Cc).

    One report per part; a finding is shown once however many recipients it holds for, and
    a later part (the HTML twin of the plain text) repeats no finding of an earlier one.
    """
    recipients: list[str | None] = [to] if to else list(draft.to) or [None]
    contexts = {r: context_for(r) if r else None for r in recipients}
    reports: list[Report] = []
    shown: set[tuple[str, str]] = set()
    for index, part in enumerate(draft.parts or (TextPart("plain", ""),)):
        path = draft.path if index == 0 else f"{draft.path} ({part.kind} part {index + 1})"
        findings: dict[tuple, Finding] = {}
        first: Report | None = None
        for recipient in recipients:
            prepared = Draft(
                text=part.text, to=recipient, subject=draft.subject, context=contexts[recipient],
                ignored=[*draft.ignored, *part.ignored], line_offset=part.line_offset,
            )
            report = run(prepared, rules, path)
            first = first or report
            for f in report.findings:
                findings.setdefault((f.code, f.line, f.column, f.message), f)
        fresh = [f for f in findings.values() if (f.code, f.span) not in shown]
        shown.update((f.code, f.span) for f in fresh)
        fresh.sort(key=lambda f: (f.line, f.column, f.code))
        reports.append(Report(path, fresh, first.metrics, recipients[0],
                              any(c is not None for c in contexts.values())))
    return reports


def store_context(db: str | Path, warn: Callable[[str], None]) -> Callable[[str], RecipientContext | None]:
    """address -> what the store at ``db`` knows of it; a store that cannot be read is warned
    about once and then left alone: a damaged store must not stop a pre-send check."""
    failed: list[Exception] = []

    def lookup(address: str) -> RecipientContext | None:
        if failed:
            return None
        try:
            return recipient_context(db, address)
        except Exception as exc:  # any store fault: lint without context, and say so
            failed.append(exc)
            warn(f"no recipient context ({exc})")
            return None

    return lookup

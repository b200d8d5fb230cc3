"""Read a draft to lint from a file or standard input: plain text or an .eml message.

For a message (an .eml file, or input that starts with mail headers), the body comes from
outreach.ingest.parse (quoted replies and signature removed), the recipient from To, and
suppressions from ``X-Outreach-Ignore: OUT201, money``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import NamedTuple

from outreach.errors import OutreachError

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]")
_IGNORE_HEADER = re.compile(rb"(?im)^x-outreach-ignore:[ \t]*([^\r\n]{0,500})")


class DraftInput(NamedTuple):
    path: str
    text: str
    to: str | None = None
    subject: str = ""
    ignored: tuple[str, ...] = ()
    line_offset: int = 0


def read(path: str) -> DraftInput:
    """The draft at ``path`` ('-' = standard input); OutreachError when it cannot be read."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise OutreachError(f"{path}: cannot read draft: {exc.strerror or exc}") from None
        name = path
    if path.lower().endswith(".eml") or _looks_like_message(data):
        return _from_message(name, data)
    return DraftInput(name, _decode(data))


def _decode(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")


def _looks_like_message(data: bytes) -> bool:
    head = data[:4096].replace(b"\r\n", b"\n")
    end = head.find(b"\n\n")
    if end <= 0:
        return False
    lines = head[:end].split(b"\n")
    return all(_HEADER_LINE.match(line) or line[:1] in (b" ", b"\t") for line in lines)


def _from_message(name: str, data: bytes) -> DraftInput:
    from outreach.ingest.parse import ParseError, read_draft

    try:
        text, to, subject = read_draft(data)
    except ParseError as exc:
        raise OutreachError(f"{name}: not a readable message: {exc}") from None
    ignored: list[str] = []
    for match in _IGNORE_HEADER.finditer(data.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]):
        ignored.extend(match.group(1).decode("ascii", "replace").replace(",", " ").split())
    return DraftInput(name, text, to, subject, tuple(ignored), _body_line_offset(data, text))


def _body_line_offset(data: bytes, text: str) -> int:
    """Lines before the body in the file, when the body is stored as plain text (else 0)."""
    raw = _decode(data)
    head_end = raw.find("\n\n")
    first = text.lstrip("\n").split("\n", 1)[0]
    if head_end < 0 or not first:
        return 0
    at = raw.find(first, head_end)
    if at < 0:
        return 0
    return raw.count("\n", 0, at) - text[: len(text) - len(text.lstrip("\n"))].count("\n")

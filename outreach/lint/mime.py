"""A draft that is a mail message: its text parts, recipients, subject and suppressions.

Every text part a recipient may read (text/plain and text/html that are not attachments) is
taken, each cut at the quoted reply and the signature; the To and Cc recipients; the subject;
suppressions from ``X-Outreach-Ignore: OUT201, money`` and from ``outreach: ignore`` lines
inside HTML comments.  Text it cannot read (parts nested too deep, broken base64, too many
parts) is named in ``unread``.  Plain-text drafts never load this module or the email package.
"""

from __future__ import annotations

import binascii
import codecs
import quopri
import re
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from outreach.errors import OutreachError
from outreach.ingest.parse import html_to_text, strip_quotes_and_signature
from outreach.lint.draft import DraftInput, TextPart

MAX_DEPTH = 12  # multipart nesting a mail client writes is 3 or 4 deep
MAX_PARTS = 100
_IGNORE_WORDS = re.compile(r"[\s,]+")
_HTML_COMMENT_DIRECTIVE = re.compile(r"<!--[ \t]{0,5}outreach:[ \t]{0,5}ignore\b([^>]{0,300}?)-->", re.I)


def _normalise(data: bytes) -> bytes:
    data = data.removeprefix(b"\xef\xbb\xbf")
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if data.startswith(b"From "):  # an mbox separator left in a one-message file
        data = data[data.find(b"\n") + 1 :]
    return data


def _split(data: bytes) -> tuple[bytes, bytes]:
    if data.startswith(b"\n"):
        return b"", data[1:]
    end = data.find(b"\n\n")
    return (data, b"") if end < 0 else (data[: end + 1], data[end + 2 :])


def _headers(head: bytes) -> Message:
    return BytesHeaderParser().parsebytes(head + b"\n")


def header_text(value: object) -> str:
    """A header value with RFC 2047 encoded-words decoded (left as written when broken)."""
    text = str(value or "")
    if "=?" not in text:
        return " ".join(text.split())
    try:
        return " ".join(str(make_header(decode_header(text))).split())
    except (ValueError, LookupError, UnicodeError, binascii.Error):
        return " ".join(text.split())


def addresses(headers: Message, *names: str) -> tuple[str, ...]:
    """The addresses in these headers, lower-case, in order, each once."""
    values = [header_text(v) for name in names for v in headers.get_all(name, [])]
    seen: dict[str, None] = {}
    for _, address in getaddresses(values):
        address = address.strip().lower()
        if "@" in address:
            seen.setdefault(address, None)
    return tuple(seen)


def ignore_words(text: str) -> list[str]:
    return [w for w in _IGNORE_WORDS.split(text.replace("-->", " ")) if w]


def read_message(name: str, data: bytes) -> DraftInput:
    """A draft from the bytes of a mail message: every text part a recipient may read."""
    data = _normalise(data)
    head, body = _split(data)
    headers = _headers(head)
    if not any(headers.get(h) for h in ("From", "To", "Cc", "Subject", "Date", "Message-ID")):
        raise OutreachError(f"{name}: not a readable message: no mail headers found")
    ignored = [w for v in headers.get_all("X-Outreach-Ignore", []) for w in ignore_words(str(v))]
    walk = _Walk(data)
    walk.visit(headers, body, 0)
    parts = tuple(walk.parts)
    if not parts and not walk.unread:
        walk.unread.append("no text part (text/plain or text/html) to read")
    return DraftInput(
        path=name, parts=parts, to=addresses(headers, "To", "Cc"), subject=header_text(headers.get("Subject")),
        ignored=tuple(ignored), unread=tuple(dict.fromkeys(walk.unread)), is_message=True,
    )


class _Walk:
    """Collects the text parts of a MIME tree, iteratively bounded in depth and count."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.parts: list[TextPart] = []
        self.unread: list[str] = []
        self.count = 0

    def visit(self, headers: Message, body: bytes, depth: int) -> None:
        pending = [(headers, body, depth)]
        while pending:
            headers, body, depth = pending.pop()
            self.count += 1
            if self.count > MAX_PARTS:
                self.unread.append(f"more than {MAX_PARTS} MIME parts; the rest was not read")
                return
            kind = headers.get_content_type()
            if (headers.get_content_disposition() or "") == "attachment":
                continue
            if kind.startswith("multipart/"):
                boundary = headers.get_param("boundary")
                if not isinstance(boundary, str) or not boundary:
                    self.unread.append(f"a {kind} part without a boundary")
                elif depth >= MAX_DEPTH:
                    self.unread.append(f"MIME parts nested more than {MAX_DEPTH} deep")
                else:
                    children = [_split(p) for p in _split_parts(body, boundary.encode("utf-8", "replace"))]
                    pending.extend((_headers(h), b, depth + 1) for h, b in reversed(children))
            elif kind in ("text/plain", "text/html"):
                self._text(headers, body, kind)

    def _text(self, headers: Message, body: bytes, kind: str) -> None:
        encoding = str(headers.get("Content-Transfer-Encoding", "")).strip().lower()
        raw = _transfer_decode(body, encoding)
        if raw is None:
            self.unread.append(f"a {kind} part whose {encoding} encoding is broken")
            return
        charset = headers.get_content_charset() or "utf-8"
        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            self.unread.append(f"a {kind} part in an unknown charset {charset!r} (read as UTF-8)")
            codec = "utf-8"
        text = raw.decode(codec, errors="replace")
        if kind == "text/html":
            comments = _HTML_COMMENT_DIRECTIVE.finditer(text)
            ignored = tuple(w for m in comments for w in ignore_words(m.group(1)) or ["all"])
            self.parts.append(TextPart("html", strip_quotes_and_signature(html_to_text(text)), 0, ignored))
            return
        text = strip_quotes_and_signature(text)
        offset = _line_offset(self.data, text) if encoding in ("", "7bit", "8bit", "binary") else 0
        self.parts.append(TextPart("plain", text, offset))


def _split_parts(body: bytes, boundary: bytes) -> list[bytes]:
    """Body parts between ``--boundary`` lines (a truncated body yields what it has)."""
    chunks = (b"\n" + body).split(b"\n--" + boundary)
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):  # the closing delimiter
            break
        newline = chunk.find(b"\n")  # the rest of the delimiter line
        parts.append(chunk[newline + 1 :] if newline >= 0 else b"")
    return parts


def _transfer_decode(body: bytes, encoding: str) -> bytes | None:
    """The decoded bytes; None when base64 is not base64."""
    if encoding == "quoted-printable":
        return quopri.decodestring(body)
    if encoding == "base64":
        try:
            return binascii.a2b_base64(b"".join(body.split()), strict_mode=True)
        except binascii.Error:
            return None
    return body


def _line_offset(data: bytes, text: str) -> int:
    """Lines before ``text`` in the file, found by its first line after the headers (else 0)."""
    first = text.split("\n", 1)[0]
    if not first:
        return 0
    raw = data.decode("utf-8", "replace")
    at = raw.find(first, raw.find("\n\n"))
    return raw.count("\n", 0, at) if at >= 0 else 0

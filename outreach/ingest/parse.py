"""Raw message bytes → ``Message``.

A purpose-built reader rather than ``email.message_from_bytes``: outreach needs a
dozen headers and the first readable text part, not a full MIME tree, and it
must survive anything a real mailbox holds (8-bit headers, bare CR line ends,
broken charsets, truncated bodies from a partial IMAP fetch).  It never raises
for odd input except ``ParseError`` when the bytes are not a mail message at all.
"""

from __future__ import annotations

import binascii
import codecs
import hashlib
import html
import re
from datetime import datetime
from email.utils import getaddresses

from outreach.ingest.headers import decode_words, parse_date, strip_controls
from outreach.judge.ownership import own_words
from outreach.judge.vocabulary import vocabulary
from outreach.model import Address, Message

MAX_TEXT_CHARS = 20_000  # act detection reads the opening of a note; the rest is not kept
FALLBACK_BODY_BYTES = 4096
MAX_MIME_DEPTH = 6
MAX_MIME_PARTS = 64

# Headers only mailing-list software sets (its admin notices often carry no List-Id).
_LIST_HEADERS = ("list-subscribe", "list-help", "list-post", "list-owner", "mailing-list", "x-mlserver", "x-ml-name")
# Headers outreach reads; everything else is skipped without decoding.
_WANTED = frozenset(
    {
        "from", "to", "cc", "bcc", "date", "subject", "message-id", "in-reply-to", "references",
        "content-type", "content-transfer-encoding", "content-disposition",
        "list-id", "list-unsubscribe", "precedence", "auto-submitted", "x-autoreply",
        "x-autorespond", "return-path", "received", "feedback-type",
        *_LIST_HEADERS,
    }
)  # fmt: skip

_WANTED_LINE = re.compile(r"^(" + "|".join(sorted(_WANTED, key=len, reverse=True)) + r"):(.*)$", re.M | re.I)
_IDENTIFYING = frozenset({"from", "date", "subject", "message-id", "received"})
_NO_REPLY_LOCAL = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|post[-_.]?master|bounces?)(?:[-+._].*)?$"
    r"|^owner-.|.-(?:owner|request|bounces)$",  # mailing-list software's own addresses
    re.I,
)
_MAILER_DAEMON = re.compile(r"\b(?:mailer[-_.]?daemon|post[-_.]?master)\b", re.I)
# Subjects that delivery reports and vacation replies use when their headers say nothing.
_AUTOMATED_SUBJECT = re.compile(
    r"^(?:auto(?:matic)?[- ]?reply|out of (?:the )?office|undeliver(?:able|ed)|delivery status notification"
    r"|mail delivery (?:failed|failure)|returned mail|delivery failure|failure notice|undelivered mail"
    r"|delivery status|complaint about message from|abuse report|spam report)\b",
    re.I,
)
_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
_UNFOLD = re.compile(r"\n[ \t]+")
_MSGID = re.compile(r"<([^<>\s]{1,998})>")
_PARAM = re.compile(r';\s*([A-Za-z0-9_.*-]+)\s*=\s*(?:"((?:[^"\\]|\\.){0,500})"|([^;\s]{0,500}))')
_HTML_DROP = re.compile(r"<(script|style|head)\b[^>]{0,1000}>.*?</\1\s*>", re.I | re.S)
_HTML_BREAK = re.compile(r"<(?:br|/p|/div|/li|/tr|/h[1-6]|p|div|li|tr)\b[^>]{0,1000}>", re.I)
_HTML_TAG = re.compile(r"<[^>]{0,2000}>")
_HTML_QUOTE = re.compile(r"<blockquote\b[^>]{0,1000}>.*?</blockquote\s*>", re.I | re.S)
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class ParseError(ValueError):
    """The bytes are not an email message; the reason says why."""


def parse(data: bytes, folder: str, uid: int | None = None) -> Message:
    """Parse one message.  ``folder`` and ``uid`` are recorded as given."""
    headers, body = _headers_and_body(data)
    sender_list = [Address(*pair) for pair in _addresses(headers.get("from"))]
    sender = sender_list[0] if sender_list else None
    date, date_problem = _date(headers)
    message_id = _first_id(headers.get("message-id"))
    key = message_id or _fallback_key(headers, body)
    return Message(
        key=key,
        message_id=message_id,
        folder=folder,
        date=date,
        date_problem=date_problem,
        sender=sender,
        to=[Address(*pair) for pair in _addresses(headers.get("to"))],
        cc=[Address(*pair) for pair in _addresses(headers.get("cc"))],
        bcc=[Address(*pair) for pair in _addresses(headers.get("bcc"))],
        subject=decode_words(headers.get("subject", "")).strip(),
        in_reply_to=_first_id(headers.get("in-reply-to")),
        references=_MSGID.findall(headers.get("references", "")),
        text=_text(headers, body),
        automated=_automated(headers, sender.address if sender else None),
        uid=uid,
    )


def _headers_and_body(data: bytes) -> tuple[dict[str, str], bytes]:
    if not data or not data.strip():
        raise ParseError("empty message")
    data = _normalise_newlines(data)
    if data.startswith(b"From "):  # mbox separator line left in a single-message file
        data = data[data.find(b"\n") + 1 :]
    head, body = _split(data)
    headers = _read_headers(head)
    if not _IDENTIFYING.intersection(headers):
        raise ParseError("no mail headers found (From, Date, Subject, Message-ID or Received)")
    return headers, body


def _text(headers: dict[str, str], body: bytes) -> str:
    return strip_quotes_and_signature(_body_text(headers, body))[:MAX_TEXT_CHARS]


# -- structure -----------------------------------------------------------------


def _normalise_newlines(data: bytes) -> bytes:
    if b"\r" not in data:
        return data
    data = data.replace(b"\r\n", b"\n")
    return data.replace(b"\r", b"\n") if b"\r" in data else data


def _split(data: bytes) -> tuple[bytes, bytes]:
    if data.startswith(b"\n"):
        return b"", data[1:]
    end = data.find(b"\n\n")
    if end < 0:
        return data, b""
    return data[:end], data[end + 2 :]


def _read_headers(head: bytes) -> dict[str, str]:
    """Wanted headers, unfolded and decoded; the first occurrence wins (Received: the topmost)."""
    text = _bytes_to_text(head)
    text = strip_controls(text)  # a NUL or other control character never reaches a stored value
    if "\n " in text or "\n\t" in text:
        text = _UNFOLD.sub(" ", text)
    headers: dict[str, str] = {}
    for name, value in _WANTED_LINE.findall(text):
        name = name.lower()
        if name not in headers:
            headers[name] = value.strip()
    return headers


def _bytes_to_text(raw: bytes, charset: str = "utf-8") -> str:
    """Decode with the declared charset, falling back to UTF-8 and then Latin-1 (which never fails)."""
    try:
        return raw.decode(charset)
    except (UnicodeDecodeError, LookupError):
        pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace") if charset != "cp1252" else raw.decode("latin-1")


def _addresses(value: str | None) -> list[tuple[str, str]]:
    """(address, display name) pairs: addresses lower-cased, names decoded, repeats dropped."""
    if not value:
        return []
    result = []
    seen = set()
    for name, address in _split_addresses(value):
        address = address.strip().strip("<>").lower()
        if "@" not in address or address in seen or len(address) > 320:
            continue
        seen.add(address)
        name = decode_words(name).strip().strip('"').strip()
        result.append((address, "" if name.lower() == address else name))
    return result


def _split_addresses(value: str) -> list[tuple[str, str]]:
    """(name, address) pairs.  The common shapes are split here; quoting, comments
    and groups go to the standard library's full RFC 5322 parser (ten times slower)."""
    if '"' in value or "(" in value or ":" in value or ";" in value:
        return getaddresses([value])
    pairs = []
    for piece in value.split(","):
        open_at = piece.find("<")
        if open_at >= 0:
            close_at = piece.find(">", open_at)
            address = piece[open_at + 1 : close_at if close_at > 0 else None]
            pairs.append((piece[:open_at].strip(), address.strip()))
        elif piece.strip():
            pairs.append(("", piece.strip()))
    return pairs


def _first_id(value: str | None) -> str | None:
    if not value:
        return None
    match = _MSGID.search(value)
    if match:
        return match.group(1)
    token = value.strip().split()[0] if value.strip() else ""
    return token[:998] or None


def _date(headers: dict[str, str]) -> tuple[datetime | None, str | None]:
    """The Date header in UTC; when missing, the topmost Received stamp, and say so."""
    raw = headers.get("date")
    if raw:
        when = parse_date(raw)
        return (when, None) if when else (None, "unparseable")
    received = headers.get("received", "")
    if ";" in received:
        when = parse_date(received.rsplit(";", 1)[1])
        if when:
            return when, "missing; taken from Received"
    return None, "missing"


def _fallback_key(headers: dict[str, str], body: bytes) -> str:
    """A stable key for a message without Message-ID: the headers that survive copying and
    the opening of the body, so two different notes with the same headers stay two.  Only
    the first ``FALLBACK_BODY_BYTES`` count (an IMAP fetch is cut after more than that), with
    trailing blank lines dropped (an mbox copy ends with one)."""
    basis = "\x1f".join(headers.get(h, "") for h in ("from", "to", "cc", "date", "subject"))
    digest = hashlib.sha256(basis.encode("utf-8", "surrogatepass"))
    digest.update(b"\x1e" + body[:FALLBACK_BODY_BYTES].rstrip())
    return "sha256:" + digest.hexdigest()[:40]


# -- automated mail ------------------------------------------------------------


def _automated(headers: dict[str, str], sender: str | None) -> str | None:
    """Why a message is machine-sent or bulk (and so says nothing about a relationship)."""
    if "list-id" in headers:
        return "list-id"
    if "list-unsubscribe" in headers:
        return "list-unsubscribe"
    if any(name in headers for name in _LIST_HEADERS):
        return "list-admin"
    if headers.get("precedence", "").strip().lower() in _BULK_PRECEDENCE:
        return "precedence"
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and not auto.startswith("no"):
        return "auto-submitted"
    if "x-autoreply" in headers or "x-autorespond" in headers:
        return "auto-reply"
    if headers.get("content-type", "").lower().startswith("multipart/report"):
        return "delivery-report"
    if "feedback-type" in headers:
        return "feedback-report"
    if headers.get("return-path", "").replace(" ", "") == "<>":
        return "null-return-path"
    if sender and _NO_REPLY_LOCAL.match(sender.partition("@")[0]):
        return "no-reply"
    if not sender and _MAILER_DAEMON.search(headers.get("from", "")):
        return "no-reply"
    if not sender and headers.get("from", "").replace(" ", "") == "<>":
        return "null-sender"
    if _AUTOMATED_SUBJECT.match(decode_words(headers.get("subject", "")).strip()):
        return "automated-subject"
    return None


# -- body ------------------------------------------------------------------------


def _content_type(value: str | None) -> tuple[str, dict[str, str]]:
    if not value:
        return "text/plain", {}
    main = value.split(";", 1)[0].strip().lower() or "text/plain"
    params = {}
    for name, quoted, bare in _PARAM.findall(value):
        params[name.lower()] = quoted.replace('\\"', '"') if quoted else bare
    return main, params


def _body_text(headers: dict[str, str], body: bytes) -> str:
    found = _find_text(headers, body, depth=0, budget=[MAX_MIME_PARTS])
    if found is None:
        return ""
    kind, text = found
    return html_to_text(text) if kind == "text/html" else text


def _find_text(headers: dict[str, str], body: bytes, depth: int, budget: list[int]) -> tuple[str, str] | None:
    """The first text/plain part, else the first text/html part, decoded."""
    budget[0] -= 1
    kind, params = _content_type(headers.get("content-type"))
    if headers.get("content-disposition", "").lower().startswith("attachment"):
        return None
    if kind.startswith("multipart/"):
        boundary = params.get("boundary")
        if not boundary or depth >= MAX_MIME_DEPTH:
            return None
        html_part = None
        for part in _split_parts(body, boundary.encode("utf-8", "replace")):
            if budget[0] <= 0:
                break
            part_head, part_body = _split(part)
            found = _find_text(_read_headers(part_head), part_body, depth + 1, budget)
            if found is None:
                continue
            if found[0] == "text/plain":
                return found
            html_part = html_part or found
        return html_part
    if kind not in ("text/plain", "text/html"):
        return None
    raw = _transfer_decode(body, headers.get("content-transfer-encoding", ""))
    return kind, _bytes_to_text(raw, _charset(params.get("charset")))


def _split_parts(body: bytes, boundary: bytes) -> list[bytes]:
    """Body parts between ``--boundary`` lines (a truncated body yields what it has)."""
    delimiter = b"\n--" + boundary
    chunks = (b"\n" + body).split(delimiter)
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):  # the closing delimiter
            break
        newline = chunk.find(b"\n")  # rest of the delimiter line (transport padding)
        parts.append(chunk[newline + 1 :] if newline >= 0 else b"")
    return parts


def _transfer_decode(body: bytes, encoding: str) -> bytes:
    encoding = encoding.strip().lower()
    try:
        if encoding == "quoted-printable":
            return binascii.a2b_qp(body)
        if encoding == "base64":
            return binascii.a2b_base64(_base64_whole(body))
    except (binascii.Error, ValueError):
        return body
    return body


def _base64_whole(body: bytes) -> bytes:
    """Drop a trailing partial quantum (a truncated fetch) so decoding still succeeds."""
    compact = b"".join(body.split())
    return compact[: len(compact) - len(compact) % 4]


def _charset(name: str | None) -> str:
    if not name:
        return "utf-8"
    name = name.strip().strip('"').lower()
    if name in ("us-ascii", "ascii", "utf-8", "utf8"):
        return "utf-8"  # ASCII labels often carry UTF-8 in practice; UTF-8 is a superset
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def html_to_text(markup: str) -> str:
    """Readable text from an HTML body: no scripts, styles or quoted blocks, one line per block."""
    markup = _HTML_DROP.sub(" ", markup)
    markup = _HTML_QUOTE.sub("\n", markup)
    markup = _HTML_BREAK.sub("\n", markup)
    text = html.unescape(_HTML_TAG.sub("", markup))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def strip_quotes_and_signature(text: str) -> str:
    """The author's own words, as stored: without quotes, the attribution line above a quote,
    forwarded or original messages, mobile footers and the signature (``ownership.own_words``,
    with the act vocabulary's ``[writer]`` markers)."""
    return own_words(text, vocabulary())


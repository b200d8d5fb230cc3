"""The one send path of `outreach send` and `outreach sendmail`: lint gate, header hygiene, hand-over.

``check`` lints a message as `outreach lint` does (every text part, every To and Cc recipient,
store context, X-Outreach-Ignore and ``outreach: ignore`` lines).  ``prepare`` makes what
leaves: envelope recipients exactly the To, Cc and Bcc (or the ones the mail client named),
no Bcc, ``Resent-*`` or ``X-Outreach-*`` header and no ignore line in what is transmitted, a
Date and Message-ID, threading ids in angle brackets.  ``to_mta`` and ``to_smtp`` hand it over
with those recipients, never letting a program or library pick them from headers.  After a
send, outreach.sent records it (store, suggestions, Sent copy).
"""

from __future__ import annotations

import asyncio
import email.policy
import re
import ssl
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING

from outreach.accounts import SmtpSettings
from outreach.errors import DeliveryError
from outreach.lint import engine, mime, source
from outreach.lint.draft import DIRECTIVE
from outreach.lint.report import Finding, Report, format_text

if TYPE_CHECKING:
    import aiosmtplib

# An ignore line as bytes (with its line end), and one inside an HTML comment anywhere.
_DIRECTIVE_LINE = re.compile(DIRECTIVE.pattern.encode() + rb"\n?")
_HTML_DIRECTIVE = re.compile(rb"(?i)<!--[ \t]{0,5}outreach:[ \t]{0,5}ignore\b[^>]{0,300}?-->")
_STRIPPED = re.compile(r"(?i)^(?:resent-|x-outreach-)")
_MSGID = re.compile(r"<[^<>\s]{1,998}>|[^<>\s]{1,500}@[^<>\s]{1,500}")  # bracketed, or bare with an @


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the lint gate found: a message passes without error findings and unread text."""

    reports: list[Report]
    unread: tuple[str, ...]
    name: str

    @property
    def failing(self) -> list[Finding]:
        return [f for r in self.reports for f in r.failing("error")]

    @property
    def passes(self) -> bool:
        return not self.failing and not self.unread

    def text(self) -> str:
        """The findings as `outreach lint` prints them, then what could not be read."""
        lines = [f"{self.name}: error: not linted: {why}" for why in self.unread]
        return format_text(self.reports) + "".join(line + "\n" for line in lines)


def check(data: bytes, name: str, db: str | Path | None, warn: Callable[[str], None],
          recipients: tuple[str, ...] = ()) -> Verdict:
    """Lint a message; ``recipients`` (the envelope) stand in when it has no To or Cc."""
    draft = source.read_bytes(data, name, message=True)
    lookup = source.store_context(db, warn) if db else (lambda address: None)
    rules = engine.load_rules()
    if draft.to or not recipients:
        reports = source.check(draft, rules, lookup)
    else:
        reports = [r for address in recipients for r in source.check(draft, rules, lookup, address)]
    return Verdict(reports, draft.unread, name)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message ready to leave: ``data`` is transmitted, ``copy`` (with Bcc) is what Sent keeps."""

    data: bytes
    copy: bytes
    envelope: tuple[str, ...]
    sender: str
    message_id: str
    removed: tuple[str, ...]  # names of the headers taken out (Resent-*, X-Outreach-*)


def prepare(data: bytes, *, envelope: tuple[str, ...] = (), from_headers: bool = False, sender: str = "",
            fresh: bool = False, now: datetime | None = None) -> Outgoing:
    """The message as it leaves.  ``envelope``: the recipients a mail client named (none: To, Cc
    and Bcc; ``from_headers``: those as well); ``fresh``: a new Date and Message-ID (a saved
    draft's are old)."""
    data = data.replace(b"\r\n", b"\n")
    head, body = _split(data)
    fields = _fields(head)
    values = {name: [_value(f) for f in fields if _name(f) == name] for name in ("from", "to", "cc", "bcc")}
    headed = _addresses(values["to"] + values["cc"] + values["bcc"])
    envelope = _unique((*headed, *envelope)) if from_headers or not envelope else _unique(envelope)
    if not envelope:
        raise DeliveryError("no recipients: the message has no To, Cc or Bcc and none were named")
    sender = sender or next(iter(_addresses(values["from"])), "")
    if not sender:
        raise DeliveryError("no sender: the message has no From address")
    removed = tuple(dict.fromkeys(_display(f) for f in fields if _STRIPPED.match(_name(f))))
    kept = [f for f in fields if not _STRIPPED.match(_name(f))]
    if fresh:
        kept = [f for f in kept if _name(f) not in ("date", "message-id")]
    names = {_name(f) for f in kept}
    if "date" not in names:
        kept.append(f"Date: {format_datetime((now or datetime.now()).astimezone())}\n".encode())
    if "message-id" not in names:
        kept.append(f"Message-ID: {make_msgid(domain=sender.rpartition('@')[2] or 'localhost')}\n".encode())
    kept = [_bracketed(f) if _name(f) in ("in-reply-to", "references") else f for f in kept]
    message_id = next(_value(f).strip() for f in kept if _name(f) == "message-id")
    head, body = _without_ignores(b"".join(kept), body)
    kept = _fields(head)
    copy = b"".join(kept) + b"\n" + body
    sent = b"".join(f for f in kept if _name(f) != "bcc") + b"\n" + body
    return Outgoing(sent, copy, envelope, sender, message_id, removed)


def to_mta(outgoing: Outgoing, command: list[str]) -> int:
    """Pipe to a sendmail-compatible program with explicit recipients; its exit status."""
    argv = [*command, "-i", "-f", outgoing.sender, "--", *outgoing.envelope]
    try:
        return subprocess.run(argv, input=outgoing.data, check=False).returncode
    except OSError as exc:
        raise DeliveryError(f"OUTREACH_SENDMAIL {command[0]}: cannot run: {exc.strerror or exc}") from None


def to_smtp(outgoing: Outgoing, settings: SmtpSettings) -> list[str]:
    """Send over SMTP to exactly ``outgoing.envelope``; the recipients the server accepted."""
    return asyncio.run(_smtp(outgoing, settings))


# Tried once, in this order: a second guess after a refused password only earns a server's
# tarpit (a read timeout instead of "login refused").
_AUTH_METHODS = ("plain", "login", "cram-md5")


async def _smtp(outgoing: Outgoing, settings: SmtpSettings) -> list[str]:
    import aiosmtplib

    where = f"SMTP {settings.host}:{settings.port}"
    client = aiosmtplib.SMTP(
        hostname=settings.host, port=settings.port, use_tls=settings.tls == "ssl",
        start_tls=settings.tls == "starttls", timeout=settings.timeout,
        tls_context=tls_context(settings) if settings.tls != "off" else None,
    )
    try:
        await client.connect()
    except ssl.SSLCertVerificationError as exc:
        raise DeliveryError(_cert_problem(where, exc)) from None
    except aiosmtplib.SMTPConnectError as exc:
        raise DeliveryError(_not_connected(where, exc)) from None
    except (aiosmtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise DeliveryError(_lost(where, "connecting", exc)) from None
    try:
        if settings.user:
            await _login(client, settings, where)
        refused, _ = await client.sendmail(outgoing.sender, list(outgoing.envelope), outgoing.data)
    except aiosmtplib.SMTPRecipientsRefused as exc:
        names = ", ".join(r.recipient for r in exc.recipients)
        raise DeliveryError(f"{where}: every recipient refused: {names}") from None
    except aiosmtplib.SMTPResponseException as exc:
        raise DeliveryError(f"{where}: refused: {exc.code} {exc.message}") from None
    except (aiosmtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise DeliveryError(_lost(where, "sending", exc)) from None
    finally:
        client.close()
    return [r for r in outgoing.envelope if r not in refused]


async def _login(client: aiosmtplib.SMTP, settings: SmtpSettings, where: str) -> None:
    import aiosmtplib

    if client.is_ehlo_or_helo_needed:  # the methods offered are in the EHLO answer (after STARTTLS)
        await client.ehlo()
    offered = [m for m in _AUTH_METHODS if m in client.supported_auth_methods]
    if not offered:
        raise DeliveryError(f"{where}: the server offers no login this client speaks (PLAIN, LOGIN, CRAM-MD5)")
    method = getattr(client, "auth_" + offered[0].replace("-", ""))
    try:
        await method(settings.user, settings.password or "")
    except aiosmtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"{where}: login as {settings.user} refused ({exc.code} {exc.message})") from None


def _not_connected(where: str, exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, ssl.SSLCertVerificationError):
        return _cert_problem(where, cause)
    if isinstance(cause, ConnectionRefusedError):
        return f"{where}: connection refused (is the server running, and is the port right?)"
    return f"{where}: cannot connect: {cause or exc}"


def _lost(where: str, doing: str, exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, ssl.SSLCertVerificationError):
        return _cert_problem(where, cause)
    if isinstance(exc, TimeoutError) or type(exc).__name__ == "SMTPTimeoutError":
        return f"{where}: no answer within {doing} (timed out)"
    return f"{where}: connection lost while {doing}: {exc}"


def tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """Certificates and host names always verified: the system CAs plus OUTREACH_SMTP_CA_FILE (as for IMAP)."""
    from outreach.tls import verified_context

    try:
        return verified_context(settings.ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise DeliveryError(f"OUTREACH_SMTP_CA_FILE {settings.ca_file}: not usable: {exc}") from None


def _cert_problem(where: str, exc: ssl.SSLCertVerificationError) -> str:
    return (f"{where}: certificate not trusted ({exc.verify_message}); "
            "set OUTREACH_SMTP_CA_FILE to the CA that issued it")


# -- headers, as bytes: what is not changed stays exactly as written -------------------------------


def _split(data: bytes) -> tuple[bytes, bytes]:
    end = data.find(b"\n\n")
    return (data + b"\n", b"") if end < 0 else (data[: end + 1], data[end + 2 :])


def _fields(head: bytes) -> list[bytes]:
    """Header fields with their continuation lines, each ending in a newline."""
    fields: list[bytes] = []
    for line in head.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += line
        elif line.strip():
            fields.append(line if line.endswith(b"\n") else line + b"\n")
    return fields


def _name(field: bytes) -> str:
    return field.split(b":", 1)[0].strip().decode("ascii", "replace").lower()


def _display(field: bytes) -> str:
    return field.split(b":", 1)[0].strip().decode("ascii", "replace")


def _value(field: bytes) -> str:
    raw = field.split(b":", 1)[1] if b":" in field else b""
    return mime.header_text(raw.decode("utf-8", "replace"))


def _addresses(values: list[str]) -> tuple[str, ...]:
    return _unique(tuple(address for _, address in getaddresses(values) if "@" in address))


def _unique(addresses: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for address in addresses:
        seen.setdefault(address.strip().lower(), address.strip())
    return tuple(seen.values())


def _bracketed(field: bytes) -> bytes:
    """In-Reply-To / References with every id in angle brackets (RFC 5322 msg-id)."""
    value = _value(field)
    ids = [token if token.startswith("<") else f"<{token}>" for token in _MSGID.findall(value)]
    return f"{_display(field)}: {' '.join(ids)}\n".encode() if ids else field


# -- the body: ignore lines never reach the recipient ----------------------------------------------


def _without_ignores(head: bytes, body: bytes) -> tuple[bytes, bytes]:
    """The message without ``outreach: ignore`` lines: removed as written where they are plain
    text; an encoded part (base64) is decoded, cleaned and encoded again."""
    body = _HTML_DIRECTIVE.sub(b"", _DIRECTIVE_LINE.sub(b"", body))
    left = source.read_bytes(head + b"\n" + body, "message", message=True)
    if not any(DIRECTIVE.search(p.text) or p.ignored for p in left.parts):
        return head, body
    message = BytesParser(policy=email.policy.default).parsebytes(head + b"\n" + body)
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "text/html") and part.get_content_disposition() != "attachment":
            text = part.get_content()
            cleaner = _HTML_DIRECTIVE.sub(b"", _DIRECTIVE_LINE.sub(b"", text.encode("utf-8"))).decode("utf-8")
            if cleaner != text:
                part.set_content(cleaner, subtype=part.get_content_subtype())
    return _split(message.as_bytes(policy=email.policy.default.clone(linesep="\n")))

"""Delivery of rendered drafts: RFC 5322 messages, .eml files, IMAP Drafts, SMTP.

Nothing here decides *whether* to deliver; the CLI asks the user first.  The
Message-ID of a draft is derived from a key (by default its content), so the
same suggestion always yields the same Message-ID and every delivery path can
be idempotent: a file already written is kept, a draft already in Drafts is not
appended again.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.policy
import hashlib
import os
import re
import ssl
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses
from pathlib import Path
from typing import TYPE_CHECKING

from outreach.config import ImapAccount, SmtpSettings
from outreach.errors import DeliveryError
from outreach.model import Address
from outreach.notes.compose import Note
from outreach.notes.templates import safe_header

if TYPE_CHECKING:
    from outreach.store.db import Store

ID_PREFIX = "outreach."


# -- building ------------------------------------------------------------------


def draft_key(draft: Note) -> str:
    """The default identity of a draft: what it says and to whom."""
    return "\x1f".join([draft.template, draft.to.address.lower(), draft.subject, draft.body])


def message_id_for(key: str, sender: str) -> str:
    """A stable Message-ID for ``key``, in the sender's domain."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<{ID_PREFIX}{digest}@{domain}>"


def build_message(draft: Note, sender: Address, *, key: str | None = None,
                  date: datetime | None = None) -> EmailMessage:
    """The RFC 5322 message for a draft, From the user, with a stable Message-ID."""
    msg = EmailMessage(policy=email.policy.default)
    try:
        msg["From"] = _header_address(sender)
        msg["To"] = _header_address(draft.to)
        if draft.bcc:
            msg["Bcc"] = [_header_address(Address(a)) for a in draft.bcc]
    except (ValueError, IndexError) as exc:
        raise DeliveryError(f"invalid address in draft: {exc}") from None
    msg["Subject"] = safe_header(draft.subject)
    msg["Date"] = format_datetime((date or datetime.now()).astimezone())
    msg["Message-ID"] = message_id_for(key or draft_key(draft), sender.address)
    if draft.in_reply_to:
        msg["In-Reply-To"] = safe_header(draft.in_reply_to)
        msg["References"] = safe_header(" ".join(draft.references or (draft.in_reply_to,)))
    # Plain 7bit keeps the file readable and editable; quoted-printable only when it must.
    ascii_short = draft.body.isascii() and all(len(line) <= 998 for line in draft.body.splitlines())
    msg.set_content(draft.body, cte="7bit" if ascii_short else "quoted-printable")
    return msg


def readable(msg: EmailMessage) -> str:
    """The message as a person reads it: the main headers, a blank line, the decoded body."""
    heads = [f"{h}: {v}" for h in ("From", "To", "Cc", "Bcc", "Subject") for v in msg.get_all(h, [])]
    return "\n".join(heads) + "\n\n" + body_text(msg).rstrip("\n") + "\n"


def _header_address(a: Address) -> HeaderAddress:
    address = safe_header(a.address)
    if address.count("@") != 1 or " " in address:
        raise ValueError(f"{address!r} is not an email address")
    return HeaderAddress(display_name=safe_header(a.name), addr_spec=address)


def recipients(msg: EmailMessage) -> list[str]:
    """Every envelope recipient: To, Cc and Bcc addresses."""
    fields = [str(v) for name in ("To", "Cc", "Bcc") for v in msg.get_all(name, [])]
    return [addr for _, addr in getaddresses(fields) if addr]


def read_eml(path: Path) -> EmailMessage:
    """Parse a draft file; it must have From, at least one recipient, and a Subject."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DeliveryError(f"{path}: cannot read: {exc.strerror or exc}") from None
    msg = BytesParser(policy=email.policy.default).parsebytes(data)
    try:
        problems = [h for h in ("From", "Subject") if not msg.get(h)]
        if not recipients(msg):
            problems.append("To")
    except (ValueError, IndexError) as exc:  # a header too broken to parse
        raise DeliveryError(f"{path}: malformed header: {exc}") from None
    if problems:
        raise DeliveryError(f"{path}: not a draft: missing {', '.join(problems)}")
    if not msg.get("Message-ID"):  # the ID makes a second send detectable
        sender = getaddresses([str(msg["From"])])[0][1]
        msg["Message-ID"] = message_id_for(data.decode("utf-8", "replace"), sender)
    return msg


def body_text(msg: EmailMessage) -> str:
    """The plain-text body of a message (what the linter reads)."""
    part = msg.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    try:
        return part.get_content()
    except (LookupError, ValueError):  # unknown charset, broken encoding
        return part.get_payload(decode=True).decode("utf-8", "replace")


def first_address(msg: EmailMessage, header: str) -> str:
    found = getaddresses([str(v) for v in msg.get_all(header, [])])
    return found[0][1] if found else ""


# -- .eml files ----------------------------------------------------------------


def eml_name(msg: EmailMessage, label: str = "draft") -> str:
    """A file name that is the same for the same Message-ID."""
    digest = hashlib.sha256(str(msg["Message-ID"]).encode()).hexdigest()[:10]
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:60] or "draft"
    return f"{slug}-{digest}.eml"


def write_eml(msg: EmailMessage, directory: Path, label: str = "draft") -> tuple[Path, bool]:
    """Write msg into directory; returns (path, written).

    Never overwrites: if the file is already there (the same draft, perhaps
    edited since) it is kept and ``written`` is False.  The file appears whole
    or not at all, readable by the user only.
    """
    directory = Path(directory).expanduser()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeliveryError(f"{directory}: cannot create directory: {exc.strerror or exc}") from None
    path = directory / eml_name(msg, label)
    if path.exists():
        return path, False
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".draft-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(msg.as_bytes())
            out.flush()
            os.fsync(out.fileno())
        os.link(tmp, path)  # fails rather than replace a file that appeared meanwhile
    except FileExistsError:
        return path, False
    except OSError as exc:
        raise DeliveryError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path, True


# -- IMAP Drafts ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DraftsResult:
    target: str  # user@host:port/Folder
    appended: bool  # False: it was there already (or appended before), nothing written
    why: str = ""


def save_to_drafts(msg: EmailMessage, account: ImapAccount, store: Store | None = None,
                   template: str = "") -> DraftsResult:
    """APPEND msg to the account's Drafts folder (found by SPECIAL-USE) with \\Draft, at most once.

    Idempotent by Message-ID: a draft the store remembers appending, or one the
    Drafts folder already holds, is not appended again (so a draft the user
    deleted or sent stays gone).  The store records every append.
    """
    from outreach.imap import connect, find_role, imap_errors, list_folders

    message_id = str(msg["Message-ID"] or "")
    if not message_id:
        raise DeliveryError("draft has no Message-ID; cannot append it idempotently")
    if store is not None:
        for _kind, target, at in store.deliveries(message_id, "drafts"):
            if target.startswith(account.label + "/"):
                return DraftsResult(target, False, f"appended before, on {_day(at)}")
    client = connect(account)
    try:
        with imap_errors(account, "listing folders"):
            folder = find_role(list_folders(client), "\\Drafts")
        if folder is None:
            raise DeliveryError(f"{account.label}: no Drafts folder (none marked \\Drafts, none named Drafts)")
        target = f"{account.label}/{folder}"
        with imap_errors(account, f"searching {folder}"):
            client.select_folder(folder, readonly=True)
            found = client.search(["HEADER", "Message-ID", message_id])
        if found:
            why = "already in the Drafts folder"
        else:
            with imap_errors(account, f"appending to {folder}"):
                date = msg["Date"].datetime if msg["Date"] else None
                client.append(folder, msg.as_bytes(policy=email.policy.SMTP), flags=(b"\\Draft", b"\\Seen"),
                              msg_time=date)
            why = ""
    finally:
        with contextlib.suppress(Exception):
            client.logout()
    if store is not None:
        store.record_delivery(message_id, "drafts", target, first_address(msg, "To"), template, int(time.time()))
    return DraftsResult(target, not found, why)


def _day(at: int) -> str:
    return time.strftime("%Y-%m-%d", time.localtime(at))


# -- SMTP ----------------------------------------------------------------------


def tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """Certificates and host names always verified: the system CAs plus OUTREACH_SMTP_CA_FILE (as for IMAP)."""
    from outreach.tls import verified_context

    try:
        return verified_context(settings.ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise DeliveryError(f"OUTREACH_SMTP_CA_FILE {settings.ca_file}: not usable: {exc}") from None


def send(msg: EmailMessage, settings: SmtpSettings) -> list[str]:
    """Send over SMTP; returns the recipients the server accepted. Bcc is not transmitted."""
    return asyncio.run(send_async(msg, settings))


async def send_async(msg: EmailMessage, settings: SmtpSettings) -> list[str]:
    import aiosmtplib

    where = f"{settings.host}:{settings.port}"
    client = aiosmtplib.SMTP(
        hostname=settings.host,
        port=settings.port,
        use_tls=settings.tls == "ssl",
        start_tls=settings.tls == "starttls",
        tls_context=tls_context(settings) if settings.tls != "off" else None,
        timeout=settings.timeout,
    )
    try:
        async with client:
            if settings.user:
                await client.login(settings.user, settings.password or "")
            refused, _ = await client.send_message(msg)
    except aiosmtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"SMTP {where}: login as {settings.user} refused ({exc.code} {exc.message})") from None
    except aiosmtplib.SMTPRecipientsRefused as exc:
        names = ", ".join(r.recipient for r in exc.recipients)
        raise DeliveryError(f"SMTP {where}: every recipient refused: {names}") from None
    except ssl.SSLCertVerificationError as exc:
        raise DeliveryError(_cert_problem(where, exc)) from None
    except (aiosmtplib.SMTPException, OSError, ssl.SSLError) as exc:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, ssl.SSLCertVerificationError):
            raise DeliveryError(_cert_problem(where, cause)) from None
        raise DeliveryError(f"SMTP {where}: {type(exc).__name__}: {exc}") from None
    accepted = [r for r in recipients(msg) if r not in refused]
    return accepted


def _cert_problem(where: str, exc: ssl.SSLCertVerificationError) -> str:
    return (f"SMTP {where}: certificate not trusted ({exc.verify_message}); "
            "set OUTREACH_SMTP_CA_FILE to the CA that issued it")

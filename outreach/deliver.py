"""Delivery of rendered drafts: RFC 5322 messages, .eml files, IMAP Drafts, SMTP.

Nothing here decides *whether* to deliver; the CLI asks the user first.  The
Message-ID of a draft is derived from a key (by default its content), so the
same suggestion always yields the same Message-ID and every delivery path can
be idempotent: a file already written is kept, a draft already in Drafts is not
appended again.
"""

from __future__ import annotations

import contextlib
import email.policy
import hashlib
import os
import re
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

from outreach import accounts
from outreach.accounts import ImapAccount, SmtpSettings
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
    if draft.in_reply_to:  # the store keeps ids bare; RFC 5322 wants them in angle brackets
        msg["In-Reply-To"] = bracketed(draft.in_reply_to)
        msg["References"] = " ".join(bracketed(i) for i in draft.references or (draft.in_reply_to,))
    # Plain 7bit keeps the file readable and editable; quoted-printable only when it must.
    ascii_short = draft.body.isascii() and all(len(line) <= 998 for line in draft.body.splitlines())
    msg.set_content(draft.body, cte="7bit" if ascii_short else "quoted-printable")
    return msg


def bracketed(message_id: str) -> str:
    """A Message-ID as a header writes it: '<id@host>'."""
    return f"<{safe_header(message_id).strip().strip('<>')}>"


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
    if directory.exists() and not directory.is_dir():
        raise DeliveryError(f"{directory}: is a file, not a folder for drafts")
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


def append_to_folder(data: bytes, account: ImapAccount, role: str, flags: tuple[bytes, ...] = ()) -> str:
    """APPEND a message to the account's folder with this SPECIAL-USE role (e.g. ``\\Sent``);
    the folder's name, as account/folder."""
    from outreach.imap import connect, find_role, imap_errors, list_folders

    client = connect(account)
    try:
        with imap_errors(account, "listing folders"):
            folder = find_role(list_folders(client), role)
        if folder is None:
            raise DeliveryError(f"{account.label}: no {role.lstrip(chr(92))} folder (none marked {role})")
        with imap_errors(account, f"appending to {folder}"):
            client.append(folder, data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), flags=flags)
    finally:
        with contextlib.suppress(Exception):
            client.logout()
    return f"{account.label}/{folder}"


def save_draft(msg: EmailMessage, store: Store | None = None, template: str = "",
               account: str | None = None) -> DraftsResult:
    """Into Drafts, at most once: the IMAP account's (``account``, or the only one configured),
    else the local Maildir's (OUTREACH_MAILDIR)."""
    from outreach import config

    if account or accounts.imap_account_names():
        return save_to_drafts(msg, accounts.imap_account(account), store, template)
    root = config.local_maildir()
    if root is None:
        raise DeliveryError("no Drafts folder to put it in: configure an IMAP account (OUTREACH_IMAP_HOST, ...)"
                            " or name your local Maildir (OUTREACH_MAILDIR=~/Mail)")
    return save_to_maildir_drafts(msg, root, store, template)


# -- a local Maildir -----------------------------------------------------------


def maildir_folder(root: Path, name: str) -> Path:
    """The Maildir folder for a role name ('Drafts', 'Sent'; '' = INBOX, the root), made
    (Maildir++ ``.Name``) when missing; an existing folder of that name, in any case, wins."""
    root = Path(root).expanduser()
    if not (root / "cur").is_dir() and not any(root.glob(".*/cur")):
        raise DeliveryError(f"{root}: not a Maildir (no cur/ and new/ directories): check OUTREACH_MAILDIR")
    if not name:
        return root
    for candidate in sorted(root.iterdir()):
        if candidate.name.lstrip(".").lower() == name.lower() and (candidate / "cur").is_dir():
            return candidate
    folder = root / f".{name}"
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def save_to_maildir(data: bytes, root: Path, name: str, flags: str = "") -> Path:
    """Write a message into a Maildir folder the way an MDA does (tmp/, then a rename), unread
    mail into new/, mail with flags ('S' seen, 'D' draft) into cur/; the file's path."""
    folder = maildir_folder(root, name)
    unique = f"{time.time_ns()}.P{os.getpid()}.outreach"
    tmp = folder / "tmp" / unique
    target = folder / "cur" / f"{unique}:2,{''.join(sorted(flags))}" if flags else folder / "new" / unique
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data.replace(b"\r\n", b"\n"))
            out.flush()
            os.fsync(out.fileno())
        os.rename(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DeliveryError(f"{folder}: cannot write: {exc.strerror or exc}") from None
    return target


def maildir_holds(root: Path, name: str, message_id: str) -> bool:
    """True when the Maildir folder already has a message with this Message-ID."""
    folder = maildir_folder(root, name)
    needle = message_id.encode()
    for sub in ("cur", "new"):
        for path in (folder / sub).iterdir():
            with contextlib.suppress(OSError), path.open("rb") as f:
                head = f.read(65536).split(b"\n\n", 1)[0]
                if needle in head:
                    return True
    return False


def save_to_maildir_drafts(msg: EmailMessage, root: Path, store: Store | None = None,
                           template: str = "") -> DraftsResult:
    """Put a draft in the local Maildir's Drafts (flags D and S), at most once, as for IMAP."""
    message_id = str(msg["Message-ID"] or "")
    if not message_id:
        raise DeliveryError("draft has no Message-ID; cannot save it idempotently")
    target = f"maildir:{maildir_folder(root, 'Drafts')}"
    if store is not None:
        for _kind, where, at in store.deliveries(message_id, "drafts"):
            if where == target:
                return DraftsResult(target, False, f"saved before, on {_day(at)}")
    if maildir_holds(root, "Drafts", message_id):
        why = "already in the Drafts folder"
    else:
        save_to_maildir(msg.as_bytes(policy=email.policy.default), root, "Drafts", flags="DS")
        why = ""
    if store is not None:
        store.record_delivery(message_id, "drafts", target, first_address(msg, "To"), template, int(time.time()))
    return DraftsResult(target, not why, why)


# -- SMTP ----------------------------------------------------------------------


def send(msg: EmailMessage, settings: SmtpSettings) -> list[str]:
    """Send a built message over SMTP to its To, Cc and Bcc (never to Resent-* addresses);
    the recipients the server accepted.  Bcc is not transmitted."""
    from outreach.sending import prepare, to_smtp

    return to_smtp(prepare(msg.as_bytes(policy=email.policy.default)), settings)

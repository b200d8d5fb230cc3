"""outreach templates | render | send: the template library and delivery of drafts.

Nothing is sent without an explicit confirmation: ``send`` lints first, shows
the message, and asks; with no terminal to ask on and no --yes it is a dry run.
"""

from __future__ import annotations

import argparse
import email.policy
import sys
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from outreach import accounts, config, deliver, recipient, sending, sent
from outreach.cli.common import emit, open_store
from outreach.config import default_db_path
from outreach.deliver import build_message, readable, save_draft, write_eml
from outreach.errors import OutreachError
from outreach.model import Address
from outreach.notes.compose import first_name, known_variables_at, note_from
from outreach.notes.templates import available, render, safe_header

# -- templates -----------------------------------------------------------------


def templates_command(args: argparse.Namespace) -> int:
    rows = [
        {
            "name": t.name,
            "origin": t.origin,
            "purpose": t.purpose,
            "fits": t.fits,
            "subject": t.subject,
            "required": ", ".join(t.required) if args.format != "json" else list(t.required),
            "optional": ", ".join(t.optional) if args.format != "json" else list(t.optional),
            "path": str(t.path),
        }
        for t in available().values()
    ]
    columns = ("name", "origin", "required", "purpose")
    if args.format != "table":
        columns = ("name", "origin", "purpose", "fits", "subject", "required", "optional", "path")
    emit(rows, columns, args.format)
    return 0


# -- render --------------------------------------------------------------------


def render_command(args: argparse.Namespace) -> int:
    to = parse_recipient(args.to)
    given = parse_vars(args.var)
    known = contact_variables(args, to)
    if not to.name and known.get("name"):
        to = Address(to.address, str(known["name"]))
    values = {"my_name": config.user_name(), **known, **given}
    rendered = render(args.template, values)
    draft = note_from(rendered, to, in_reply_to=str(values.get("last_message_id") or "") or None)
    sender = config.from_address()
    if sender is None:
        if args.out or args.to_drafts:
            raise OutreachError("set OUTREACH_FROM (or OUTREACH_ME) to save drafts: it is their From address")
        bcc = f"Bcc: {', '.join(draft.bcc)}\n" if draft.bcc else ""  # as build_message would write them
        shown = HeaderAddress(display_name=to.name, addr_spec=to.address)  # quoted, not RFC 2047-encoded
        print(f"To: {shown}\n{bcc}Subject: {draft.subject}\n\n{draft.body}", end="")
        return 0
    msg = build_message(draft, Address(sender, config.user_name()))
    if not (args.out or args.to_drafts):
        sys.stdout.write(readable(msg))
        return 0
    if args.out:
        path, written = write_eml(msg, args.out, f"{rendered.template}-{to.address.partition('@')[0]}")
        if written:
            print(f"wrote {path}")
        else:
            print(f"kept {path}: the same draft is already there (delete it to write it again)")
    if args.to_drafts:
        save_drafts(args, msg, rendered.template)
    return 0


def save_drafts(args: argparse.Namespace, msg: EmailMessage, template: str) -> None:
    with open_store(args) as store:
        result = save_draft(msg, store, template, args.account)
    if result.appended:
        print(f"appended to {result.target}")
    else:
        print(f"not appended to {result.target}: {result.why}")


def parse_recipient(text: str) -> Address:
    """The --to of render: one address, its display name made safe for a header."""
    to = recipient.parse_recipient(text)
    return Address(to.address, safe_header(to.name))


def parse_vars(items: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not name.strip().isidentifier():
            raise OutreachError(f"--var {item!r}: expected NAME=VALUE, NAME a variable name")
        values[name.strip()] = value
    return values


def contact_variables(args: argparse.Namespace, to: Address) -> dict[str, object]:
    """What the store knows of the recipient; a display name given with --to wins over it."""
    values: dict[str, object] = dict(known_variables_at(args.db, to.address, template=args.template))
    if to.name:
        values.update(name=to.name, first_name=first_name(to.name))
    return values


# -- send ----------------------------------------------------------------------


def send_command(args: argparse.Namespace) -> int:
    path = Path(args.draft)
    msg = deliver.read_eml(path)  # a draft: From, To and Subject, and a Message-ID to know it by
    data = path.read_bytes()
    draft_id = str(msg["Message-ID"])
    verdict = sending.check(data, str(path), _existing_db(args), _warn)
    sys.stdout.write(verdict.text())
    if not verdict.passes and not args.force:
        print(f"outreach: not sent: the linter reports {len(verdict.failing)} error(s)"
              + (" and text it could not read" if verdict.unread else "") + "; fix the draft or use --force",
              file=sys.stderr)
        return 1
    with open_store(args) as store:
        before = sent.sent_on(store, draft_id)
    if before and not args.force:
        print(f"outreach: not sent: {draft_id} was already sent on {before.astimezone():%Y-%m-%d %H:%M};"
              " use --force to send it again", file=sys.stderr)
        return 1
    outgoing = sending.prepare(data, fresh=True)  # a fresh Date and Message-ID: the draft's are old
    to = ", ".join(outgoing.envelope)
    print(_preview(outgoing.copy))
    if outgoing.removed:
        print(f"Removed before sending: {', '.join(outgoing.removed)} (they never choose the recipients).")
    try:
        settings = accounts.smtp_settings(secret=False)
        via = f"{settings.host}:{settings.port} ({settings.tls})" + (f" as {settings.user}" if settings.user else "")
    except OutreachError as exc:
        settings, via = None, f"(SMTP not configured: {exc})"
    if not args.yes and not sys.stdin.isatty():
        print(f"Dry run: nothing sent. Would send to {to} via {via}.")
        print(f"To send, run it in a terminal to confirm, or: outreach send {path} --yes")
        return 0
    if settings is None:
        accounts.smtp_settings(secret=False)  # raise the configuration error for the user
    if not args.yes and not _confirm(f"Send to {to} via {via}? [y/N] "):
        print("Not sent.")
        return 1
    settings = accounts.smtp_settings()
    accepted = sending.to_smtp(outgoing, settings)
    print(f"Sent {outgoing.message_id} to {', '.join(accepted)}.")
    with open_store(args) as store:
        done = sent.record(store, outgoing, draft_id=draft_id, via=f"smtp:{settings.host}:{settings.port}",
                           filed_by_outreach=True, account=args.account)
    print(("Filed a copy in " if done.filed else "") + done.copy + ".")
    return 0


def _existing_db(args: argparse.Namespace) -> str | None:
    """The store to take recipient context from, when there is one (a first send may precede sync)."""
    path = Path(args.db) if args.db else default_db_path()
    return str(path) if path.is_file() else None


def _warn(message: str) -> None:
    print(f"outreach: warning: {message}", file=sys.stderr)


def _preview(data: bytes) -> str:
    rule = "-" * 60
    return f"{rule}\n{readable(BytesParser(policy=email.policy.default).parsebytes(data))}{rule}"


def _confirm(question: str) -> bool:
    try:
        answer = input(question)
    except EOFError:
        return False
    return answer.strip().lower() in {"y", "yes"}

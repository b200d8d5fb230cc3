"""After a send: what outreach remembers of it, and the copy in Sent.

``record`` stores the message as one the user sent (so the ledger, cadence and this week's
suggestions change at once: a thank-you that went out is no longer owed, and a suggestion it
fulfils leaves the slate), remembers the delivery under the draft's Message-ID (so the same
draft is not sent twice by mistake) and files a copy in Sent: an IMAP APPEND to the folder
marked ``\\Sent``, or the local Maildir's Sent (OUTREACH_MAILDIR).  OUTREACH_SENT_COPY says
who files that copy: ``auto`` (`outreach send` does; behind `outreach sendmail` the mail
client does, as mutt's ``record`` or aerc's ``copy-to``), ``on`` (outreach always does) or
``off`` (the server or the MTA does, as Gmail and msmtp with a Sent-saving server do).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from outreach import accounts, config
from outreach.errors import OutreachError
from outreach.model import RawMessage
from outreach.sending import Outgoing
from outreach.store.db import Store

SENT_FOLDER = "Sent"


@dataclass(frozen=True, slots=True)
class Recorded:
    """What was done after a send: the contacts it touched and where its copy went."""

    contacts: tuple[str, ...]
    copy: str  # "imap:alex@host/Sent", "maildir:/home/alex/Mail/.Sent", or why there is none
    filed: bool


def record(store: Store, outgoing: Outgoing, *, draft_id: str, via: str, filed_by_outreach: bool,
           account: str | None = None) -> Recorded:
    """Remember a message that left (see the module docstring); ``filed_by_outreach``: the
    command's default for the Sent copy when OUTREACH_SENT_COPY is auto."""
    from outreach.ingest.sync import analyse
    from outreach.network import cache

    now = int(time.time())
    mine = store.my_addresses()
    if outgoing.sender.lower() not in mine:  # a message from the user, whatever identity sync inferred
        store.set_identity({*mine, outgoing.sender}, "config")
    store.record_delivery(draft_id or outgoing.message_id, "sent", via, outgoing.envelope[0], at=now)
    analysed = analyse(RawMessage(SENT_FOLDER, outgoing.message_id, outgoing.copy), "sent")
    if analysed.message is not None:
        store.write_batch([(analysed.message, analysed.acts)], now=now)
    touched = {a.lower() for a in outgoing.envelope}
    cache.refresh(store, touched)
    where, filed = copy_to_sent(outgoing, filed_by_outreach=filed_by_outreach, account=account)
    return Recorded(tuple(sorted(touched)), where, filed)


def copy_to_sent(outgoing: Outgoing, *, filed_by_outreach: bool, account: str | None = None) -> tuple[str, bool]:
    """File the Sent copy if OUTREACH_SENT_COPY says outreach does (``filed_by_outreach``: the
    command's default under auto); (where, True), or (why not, False).  Needs no store."""
    setting = config.sent_copy()
    if setting == "off" or (setting == "auto" and not filed_by_outreach):
        return "left to the mail client or server (OUTREACH_SENT_COPY)", False
    return file_in_sent(outgoing.copy, account)


def file_in_sent(data: bytes, account: str | None = None) -> tuple[str, bool]:
    """APPEND ``data`` to the IMAP account's Sent folder, or write it into the local Maildir's
    Sent; (where, True), or (why not, False) when there is neither or it failed."""
    from outreach.deliver import append_to_folder, save_to_maildir

    try:
        if account or accounts.imap_account_names():
            imap = accounts.imap_account(account)
            folder = append_to_folder(data, imap, "\\Sent", flags=(b"\\Seen",))
            return f"imap:{folder}", True
        maildir = config.local_maildir()
        if maildir is not None:
            path = save_to_maildir(data, maildir, SENT_FOLDER, flags="S")
            return f"maildir:{path.parent.parent}", True
    except OutreachError as exc:  # the message has left: a missing copy is news, not a failure
        return f"no copy in Sent: {exc}", False
    return "no copy in Sent: no IMAP account and no OUTREACH_MAILDIR to file it in", False


def sent_on(store: Store, draft_id: str) -> datetime | None:
    """When this draft was sent before, or None."""
    found = store.deliveries(draft_id, "sent") if draft_id else []
    return datetime.fromtimestamp(found[-1][2], tz=UTC) if found else None

"""The weekly digest: this week's suggestions and the drafts that need another look.

A multipart/alternative message: the plain text, and an HTML part with the
report's pictures (inline SVG and CSS: no remote image, no script).

Sent once per weekly slot (OUTREACH_DIGEST, e.g. "mon 08:00" in OUTREACH_TZ)
to the user and nobody else: APPENDed to the user's own INBOX (IMAP, or written into a
local Maildir's INBOX), or sent over SMTP to the user's own address.  The slot delivered last is kept in the store,
so a daemon that was down at the time sends the missed digest once when it
comes back, and a restart never sends one twice.  The Message-ID is derived
from the slot, and an INBOX that already holds it is not appended to again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.message import EmailMessage
from html import escape
from pathlib import Path
from typing import Any

from outreach import accounts, config
from outreach.deliver import build_message, maildir_holds, recipients, save_to_maildir, send
from outreach.errors import DeliveryError
from outreach.imap import connect, imap_errors
from outreach.ingest.sources.local import MaildirSource
from outreach.model import Address
from outreach.notes import suggest
from outreach.notes.compose import Note
from outreach.report import gather, page
from outreach.store.db import Store

log = logging.getLogger("outreach.service.daemon")

LAST_KEY = "digest.last"  # ISO time of the newest slot delivered (or skipped on first start)
SUGGESTIONS = 5


# -- when ------------------------------------------------------------------------------


def _at(day: date, hour: int, minute: int, tz: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def slot_before(now: datetime, schedule: tuple[int, int, int], tz: tzinfo) -> datetime:
    """The newest weekly slot at or before ``now`` (wall-clock time in ``tz``, so DST is followed)."""
    weekday, hour, minute = schedule
    local = now.astimezone(tz)
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    slot = _at(day, hour, minute, tz)
    if slot > now:
        slot = _at(day - timedelta(days=7), hour, minute, tz)
    return slot


def next_slot(slot: datetime, schedule: tuple[int, int, int], tz: tzinfo) -> datetime:
    return _at(slot.astimezone(tz).date() + timedelta(days=7), schedule[1], schedule[2], tz)


def next_digest(store: Store, schedule: tuple[int, int, int] | None, tz: tzinfo, now: datetime) -> datetime | None:
    """When the next digest is due (the past when one is overdue); None when digests are off."""
    if schedule is None:
        return None
    current = slot_before(now, schedule, tz)
    last = store.get_meta(LAST_KEY)
    if last is not None and datetime.fromisoformat(last) < current:
        return current
    return next_slot(current, schedule, tz)


# -- what ------------------------------------------------------------------------------


def suggestions(store: Store, limit: int = SUGGESTIONS, now: datetime | None = None) -> list[tuple[str, str]]:
    """(who, why) of this week's suggestions (outreach.notes.suggest keeps the weekly slate)."""
    return [(_label(s.name, s.address), s.reason) for s in _slate(store, limit, now)]


def _slate(store: Store, limit: int, now: datetime | None) -> list:
    return suggest.suggestions(store, now)[:limit]


def _label(name: str, address: str) -> str:
    return f"{name} <{address}>" if name else address


def build(store: Store, slot: datetime, me: str, my_name: str = "", now: datetime | None = None) -> EmailMessage:
    """The digest message for the week starting at ``slot``, from and to the user, as of ``now`` (the clock)."""
    slate = _slate(store, SUGGESTIONS, now)
    people = [(_label(s.name, s.address), s.reason) for s in slate]
    drafts = store.drafts_with_findings()
    lines = [f"Your outreach week of {slot:%A %d %B %Y}.", ""]
    lines.append("Reach out this week" if people else "No one to reach out to this week.")
    for who, why in people:
        lines += [f"  - {who}", f"    {why}"]
    if people:
        lines += ["", "  Drafts for these: outreach suggest (add --to-drafts to save them in Drafts)."]
    lines.append("")
    heading = "Drafts that need another look" if drafts else "No draft needs another look."
    lines.append(heading)
    looks = [_draft_line(row) for row in drafts]
    lines += [f"  - {line}" for line in looks]
    footer = "outreach never sends, deletes or changes your mail; this note went only to you."
    lines += ["", footer, ""]
    subject = f"outreach: your week ({len(people)} to reach out to, {len(drafts)} draft(s) to look at)"
    self_address = Address(me, my_name)
    draft = Note(to=self_address, subject=subject, body="\n".join(lines))
    msg = build_message(draft, self_address, key=f"digest:{slot.isoformat()}:{me}")
    pictures = gather.gather(store, now, suggestions=slate)
    items = "".join(f"<li>{escape(line)}</li>" for line in looks)
    extra = f"<h2>{heading}</h2>" + (f"<ul>{items}</ul>" if items else "") + f'<p class="muted">{footer}</p>'
    html = page.render(pictures, notes=False, title=f"Your outreach week of {slot:%A %d %B %Y}", extra=extra)
    msg.add_alternative(html, subtype="html")
    return msg


def _draft_line(row: Any) -> str:
    codes = ", ".join(sorted({f["code"] for f in _summary(row["summary"]) if f.get("code")}))
    subject = row["subject"] or "(no subject)"
    to = row["recipient"] or "no recipient yet"
    return f"{subject!r} to {to}: {row['findings']} finding(s), worst {row['worst']} ({codes})"


def _summary(text: str) -> list[dict]:
    try:
        return [f for f in json.loads(text) if isinstance(f, dict)]
    except ValueError:
        return []


# -- how -------------------------------------------------------------------------------


def only_to(msg: EmailMessage, me: str) -> None:
    """Refuse a digest addressed to anyone but the user."""
    if [r.lower() for r in recipients(msg)] != [me.lower()]:
        raise DeliveryError(f"refusing to deliver the digest to anyone but {me}")


def append_to_inbox(msg: EmailMessage, account: Any) -> bool:
    """APPEND to the account's own INBOX unless a message with this Message-ID is there; True if appended."""
    client = connect(account)
    try:
        with imap_errors(account, "delivering the digest to INBOX"):
            client.select_folder("INBOX", readonly=True)
            if client.search(["HEADER", "Message-ID", str(msg["Message-ID"])]):
                return False
            client.append("INBOX", msg.as_bytes(), flags=(), msg_time=datetime.now(UTC))
        return True
    finally:
        with contextlib.suppress(Exception):  # the append is done; a failed goodbye is not news
            client.logout()


def inbox_of(jobs: Sequence[Any]) -> Any:
    """Where an 'inbox' digest goes: the first IMAP account the daemon serves, else the local
    Maildir (OUTREACH_MAILDIR, else the first --maildir the daemon reads); None: nowhere."""
    account = next((j.account for j in jobs if getattr(j, "account", None) is not None), None)
    if account is not None:
        return account
    local = config.local_maildir()
    if local is not None:
        return local
    return next((j.source.root for j in jobs if isinstance(getattr(j, "source", None), MaildirSource)), None)


def append_to_maildir(msg: EmailMessage, root: Path) -> bool:
    """Deliver into the Maildir's INBOX (new/, unread) unless this Message-ID is there; True if written."""
    if maildir_holds(root, "", str(msg["Message-ID"])):
        return False
    save_to_maildir(msg.as_bytes(), root, "")
    return True


class DigestSender:
    """Decides whether a digest is due and delivers it (used by the daemon each tick)."""

    def __init__(
        self,
        schedule: tuple[int, int, int] | None,
        delivery: str,
        tz: tzinfo,
        me: str | None,
        my_name: str = "",
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        smtp: Callable[[], Any] | None = None,
    ):
        self.schedule = schedule
        self.delivery = delivery
        self.tz = tz
        self.me = me
        self.my_name = my_name
        self.now = now
        self._smtp = smtp

    @classmethod
    def from_config(cls) -> DigestSender:
        return cls(
            config.digest_schedule(),
            config.digest_delivery(),
            config.time_zone(),
            config.from_address(),
            config.user_name(),
            smtp=lambda: accounts.smtp_settings(),
        )

    def maybe_send(self, store: Store, jobs: Sequence[Any]) -> bool:
        if self.schedule is None or self.delivery == "off":
            return False
        now = self.now()
        slot = slot_before(now, self.schedule, self.tz)
        last = store.get_meta(LAST_KEY)
        if last is None:  # first start: begin with the next slot, not one already past
            store.set_meta(LAST_KEY, slot.isoformat())
            log.info("weekly digest: first one %s", f"{next_slot(slot, self.schedule, self.tz):%a %Y-%m-%d %H:%M %Z}")
            return False
        if datetime.fromisoformat(last) >= slot:
            return False
        self._deliver(store, slot, jobs)
        store.set_meta(LAST_KEY, slot.isoformat())
        return True

    def _deliver(self, store: Store, slot: datetime, jobs: Sequence[Any]) -> None:
        if not self.me:
            log.warning("weekly digest skipped: set OUTREACH_FROM or OUTREACH_ME to your own address")
            return
        msg = build(store, slot, self.me, self.my_name, self.now())
        only_to(msg, self.me)
        started = time.monotonic()
        if self.delivery == "inbox":
            target = inbox_of(jobs)
            if target is None:
                log.warning("weekly digest skipped: delivery 'inbox' needs an IMAP account or a local Maildir"
                            " (OUTREACH_MAILDIR, or the daemon's --maildir); or set it to smtp")
                return
            if isinstance(target, Path):
                appended = append_to_maildir(msg, target)
                where = f"INBOX of the Maildir {target}"
            else:
                appended = append_to_inbox(msg, target)
                where = f"INBOX of {target.label}"
            where += "" if appended else " (already there)"
        else:
            send(msg, self._smtp())
            where = f"{self.me} by SMTP"
        log.info("weekly digest delivered to %s in %.1fs", where, time.monotonic() - started)

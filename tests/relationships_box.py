"""A tiny mailbox builder for the relationships tests: messages straight into a Store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from outreach.model import Act, Address, Message
from outreach.store.db import Store

ME = "me@example.org"
T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)


def addr(text: str) -> Address:
    """'Name <a@b>' or 'a@b' -> Address."""
    if "<" in text:
        name, _, rest = text.partition("<")
        return Address(rest.rstrip(">").strip().lower(), name.strip())
    return Address(text.strip().lower())


class Box:
    def __init__(self, path: Path, *, store_bodies: bool = True):
        self.store = Store.open(path)
        self.store.set_identity([ME], "config")
        self.store_bodies = store_bodies
        self.count = 0

    def mail(
        self,
        sender: str,
        to: str | list[str],
        day: float,
        *,
        cc: list[str] = (),
        bcc: list[str] = (),
        subject: str = "hello",
        acts: list[Act] = (),
        automated: str | None = None,
        reply_to: str | None = None,
        thread: str | None = None,
        date: datetime | None | bool = True,
        folder: str | None = None,
    ) -> str:
        """Store one message ``day`` days after T0; returns its Message-ID."""
        self.count += 1
        mid = f"<m{self.count}@test>"
        when = T0 + timedelta(days=day) if date is True else (date or None)
        refs = [thread] if thread else ([reply_to] if reply_to else [])
        message = Message(
            key=mid,
            message_id=mid,
            folder=folder or ("Sent" if addr(sender).address == ME else "INBOX"),
            date=when,
            date_problem=None if when else "missing",
            sender=addr(sender),
            to=[addr(t) for t in ([to] if isinstance(to, str) else to)],
            cc=[addr(c) for c in cc],
            bcc=[addr(b) for b in bcc],
            subject=subject,
            in_reply_to=reply_to,
            references=refs,
            text="" if not self.store_bodies else "body",
            automated=automated,
        )
        self.store.write_batch([(message, list(acts))], store_bodies=self.store_bodies)
        return mid

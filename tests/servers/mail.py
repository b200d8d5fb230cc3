"""Small, realistic test messages (multipart text + HTML, optional attachment)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

_EPOCH = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def make_message(
    n: int,
    *,
    sender: str,
    to: str,
    subject: str | None = None,
    body: str | None = None,
    message_id: str | None = None,
    attachment: bytes | None = None,
) -> bytes:
    """Message number ``n``: unique Message-ID and date, text/plain then text/html, CRLF line ends."""
    body = body or f"Hi,\n\nThanks for the notes on the launch plan (#{n}). I read them twice.\n\nBest,\nSam"
    html = "<p>" + body.replace("\n\n", "</p><p>").replace("\n", "<br>") + "</p>"
    date = format_datetime(_EPOCH + timedelta(minutes=7 * n))
    parts = [
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + body,
        "Content-Type: text/html; charset=utf-8\n\n" + html,
    ]
    inner = "\n".join(f"--alt{n}\n{part}" for part in parts) + f"\n--alt{n}--\n"
    if attachment is None:
        top_type, payload = f'multipart/alternative; boundary="alt{n}"', inner
    else:
        encoded = base64.encodebytes(attachment).decode()
        payload = (
            f"--mix{n}\nContent-Type: multipart/alternative; boundary=\"alt{n}\"\n\n{inner}"
            f"--mix{n}\nContent-Type: application/pdf; name=\"deck.pdf\"\n"
            f"Content-Disposition: attachment; filename=\"deck.pdf\"\nContent-Transfer-Encoding: base64\n\n"
            f"{encoded}--mix{n}--\n"
        )
        top_type = f'multipart/mixed; boundary="mix{n}"'
    text = (
        f"From: {sender}\nTo: {to}\nSubject: {subject or f'Launch plan, round {n}'}\nDate: {date}\n"
        f"Message-ID: {message_id or f'<msg{n}.{sender}@example.test>'}\nMIME-Version: 1.0\n"
        f"Content-Type: {top_type}\n\n{payload}"
    )
    return text.replace("\n", "\r\n").encode()

"""Building blocks for the sample mailbox: people, messages, threads, and how each sender writes.

The story itself (who writes what, when) lives in ``sample_story.py``; this module turns
it into RFC 5322 bytes, byte for byte the same on every run, through the mail writer it
shares with the benchmarks (``tests/support/mail.py``).
"""

from __future__ import annotations

import base64
import random
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape

from tests.support import mail

NOW = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
HOST = "morgan-laptop"


@dataclass(eq=False)  # identity: each Person object is one person
class Person:
    """Someone who writes or receives mail in the sample.

    style: how their mail client formats a message: "plain" (7bit or QP), "wrap"
    (plain, hard-wrapped at 72), "alt" (multipart/alternative, Gmail-like),
    "html" (HTML only, Outlook-like), "b64" (base64 text/plain).
    """

    key: str
    name: str
    address: str
    tz: int = 0  # minutes east of UTC, standard time
    dst: str | None = None  # "us" or "eu" daylight-saving rules, None for none
    style: str = "plain"
    sig: str = ""
    sig_dash: bool = True  # signature introduced by the "-- " delimiter
    name_encoding: str | None = None  # "Q" or "B" to RFC 2047-encode the display name
    role: str = ""
    demonstrates: str = ""
    latency: tuple[float, float] = (2.0, 30.0)  # hours to answer, low..high

    @property
    def domain(self) -> str:
        return self.address.split("@", 1)[1]


@dataclass
class Act:
    """An act planted in a message (ground truth for act detection)."""

    kind: str
    subtype: str
    sentence: str
    amount: float | None = None
    minutes: int | None = None
    person: str | None = None  # key of a third person (introductions)
    counterpart: str | None = None  # key of the other party when not obvious


@dataclass
class Mail:
    when: datetime | None  # local wall time of the sender (tz-aware after build)
    sender: Person
    to: list[Person]
    body: str
    cc: list[Person] = field(default_factory=list)
    bcc: list[Person] = field(default_factory=list)
    subject: str | None = None  # None: "Re: " + thread subject
    acts: list[Act] = field(default_factory=list)
    quote: str = "gmail"  # "gmail" | "outlook" | "none"
    sig: bool = True
    phone: bool = False  # "Sent from my phone" instead of the signature
    date_header: str | None = "auto"  # "auto", None (no Date) or a literal broken value
    message_id: bool = True
    headers: list[tuple[str, str]] = field(default_factory=list)
    folder: str | None = None  # override the folder the sample files it in
    html: str | None = None  # literal HTML part (newsletters)
    automated: str | None = None  # ground truth: why this is not a relationship
    filler: bool = False  # act-free chit-chat (checked for act vocabulary)
    # filled in by Thread/Mailbox
    msgid: str = ""
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    parent: Mail | None = None
    full_subject: str = ""
    file: str = ""
    replied: bool = False

    @property
    def utc(self) -> datetime:
        assert self.when is not None
        return self.when.astimezone(UTC)


Titles = Callable[[Mail], str]  # Alex's signature title for a message (it changes in March 2026)


def _sunday(year: int, month: int, nth: int) -> date:
    """The nth Sunday of a month (nth=-1: the last one)."""
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def _zone(day: date, who: Person) -> timezone:
    """who's UTC offset on that day (to the day: changeover hours don't matter here)."""
    summer = False
    if who.dst == "us":
        summer = _sunday(day.year, 3, 2) <= day < _sunday(day.year, 11, 1)
    elif who.dst == "eu":
        summer = _sunday(day.year, 3, -1) <= day < _sunday(day.year, 10, -1)
    return timezone(timedelta(minutes=who.tz + (60 if summer else 0)))


def local(spec: str, who: Person) -> datetime:
    """'2026-10-26 09:14' on who's wall clock."""
    naive = datetime.strptime(spec, "%Y-%m-%d %H:%M")
    return naive.replace(tzinfo=_zone(naive.date(), who))


def to_local(when: datetime, who: Person) -> datetime:
    """The same instant on who's wall clock."""
    return when.astimezone(_zone(when.astimezone(UTC).date(), who))


# --- addresses -----------------------------------------------------------------------


def fmt_addr(p: Person) -> str:
    return mail.mailbox(p.name, p.address, p.name_encoding or "Q")


def fmt_list(people: list[Person]) -> str:
    return mail.address_list(fmt_addr(p) for p in people)


# --- bodies --------------------------------------------------------------------------


def _paras(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def attribution(m: Mail) -> str:
    assert m.when is not None
    stamp = m.when.strftime("%a, %-d %b %Y at %H:%M")
    return f"On {stamp}, {m.sender.name} <{m.sender.address}> wrote:"


def visible_text(m: Mail, me: Person, title: str) -> str:
    """The text a sender typed plus their signature (no quote)."""
    body = _paras(m.body)
    if m.sender.style == "wrap":
        body = "\n\n".join(textwrap.fill(p, 72) if not p.startswith((">", "-", "*", " ")) else p
                           for p in body.split("\n\n"))
    if m.phone:
        return body + "\n\nSent from my phone"
    if not m.sig:
        return body
    sig = m.sender.sig if m.sender is not me else f"Alex Morgan\n{title}"
    if not sig:
        return body
    return body + ("\n\n-- \n" if m.sender.sig_dash else "\n\n") + sig


def plain_with_quote(m: Mail, me: Person, titles: Titles) -> str:
    text = visible_text(m, me, titles(m))
    parent = m.parent
    if parent is None or m.quote == "none" or parent.when is None:
        return text
    prev = visible_text(parent, me, titles(parent))
    if m.quote == "outlook":
        head = (
            "-----Original Message-----\n"
            f"From: {parent.sender.name} <{parent.sender.address}>\n"
            f"Sent: {parent.when.strftime('%A, %B %-d, %Y %-I:%M %p')}\n"
            f"To: {', '.join(p.name for p in parent.to)}\n"
            f"Subject: {parent.full_subject}\n\n"
        )
        return f"{text}\n\n{head}{prev}"
    quoted = "\n".join(">" if not line else "> " + line for line in prev.split("\n"))
    return f"{text}\n\n{attribution(parent)}\n{quoted}"


def html_from_text(m: Mail, me: Person, titles: Titles) -> str:
    """An HTML rendering like a webmail client would produce."""
    def block(text: str) -> str:
        parts = []
        for para in text.split("\n\n"):
            parts.append("<div>" + "<br>\n".join(escape(line) for line in para.split("\n")) + "</div>")
        return "\n<div><br></div>\n".join(parts)

    body = _paras(m.body)
    sig = m.sender.sig if m.sender is not me else f"Alex Morgan\n{titles(m)}"
    out = ['<div dir="ltr">', block(body)]
    if m.sig and sig:
        out.append('<div><br></div>\n<div class="signature">' + block(sig) + "</div>")
    out.append("</div>")
    parent = m.parent
    if parent is not None and m.quote != "none" and parent.when is not None:
        prev = visible_text(parent, me, titles(parent))
        if m.sender.style == "html":  # Outlook puts a header block under a rule, no blockquote
            out.append(
                '<div id="appendonsend"></div>\n<hr style="display:inline-block;width:98%" tabindex="-1">\n'
                '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt">'
                f"<b>From:</b> {escape(parent.sender.name)} &lt;{escape(parent.sender.address)}&gt;<br>\n"
                f"<b>Sent:</b> {parent.when.strftime('%A, %B %-d, %Y %-I:%M %p')}<br>\n"
                f"<b>To:</b> {escape(', '.join(p.name for p in parent.to))}<br>\n"
                f"<b>Subject:</b> {escape(parent.full_subject)}</font>\n<div>&nbsp;</div></div>\n"
                f"<div>{block(prev)}</div>"
            )
        else:
            out.append(
                f'<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">{escape(attribution(parent))}'
                '<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;'
                f'border-left:1px solid rgb(204,204,204);padding-left:1ex">{block(prev)}</blockquote></div>'
            )
    inner = "\n".join(out)
    if m.sender.style == "html":
        return (
            '<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\n'
            f'</head>\n<body dir="ltr">\n<div style="font-family: Aptos, Calibri, sans-serif; font-size: 12pt;">'
            f"\n{inner}\n</div>\n</body>\n</html>"
        )
    return inner


def encode_part(ctype: str, text: str, force: str | None = None) -> mail.Part:
    """One text part, ending in a newline: 7bit when it can be, else quoted-printable (or force)."""
    data = text.encode("utf-8")
    if not text.endswith("\n"):
        data += b"\n"
    long_line = any(len(line) > 900 for line in data.split(b"\n"))
    if force is not None:
        cte = force
    elif not text.isascii() or long_line:
        cte = "quoted-printable"
    else:
        cte = "7bit"
    charset = "utf-8" if not text.isascii() or force else "us-ascii"
    return mail.part(f'{ctype}; charset="{charset}"', data, cte)


# --- threads -------------------------------------------------------------------------


class Thread:
    """A conversation: the first Mail sets the subject, the rest reply in order."""

    def __init__(self, subject: str, *mails: Mail) -> None:
        self.subject = subject
        self.mails = list(mails)
        prev: Mail | None = None
        for m in self.mails:
            if prev is not None:
                m.parent = prev
                prev.replied = True
                if m.subject is None:
                    m.subject = subject if subject.lower().startswith("re:") else f"Re: {subject}"
            elif m.subject is None:
                m.subject = subject
            prev = m


def own_rng(m: Mail, purpose: str) -> random.Random:
    """Randomness that depends on this message alone, so that editing one conversation
    leaves every other message (its Message-ID, headers and file name) byte-identical."""
    return random.Random(f"sample|{purpose}|{m.sender.address}|{m.subject}|{m.utc.isoformat()}")


def assign_ids(mails: list[Mail]) -> None:
    """Message-IDs in each sender's own style, then threading headers."""
    for m in mails:
        rng = own_rng(m, "message-id")
        stamp = m.utc.strftime("%Y%m%d%H%M%S") if m.when else "0"
        token = f"{rng.getrandbits(48):012x}"
        style = m.sender.style
        if style == "alt":
            m.msgid = f"<CA{base64.b32encode(rng.randbytes(20)).decode().rstrip('=')}@mail.{m.sender.domain}>"
        elif style == "html":
            m.msgid = f"<{token.upper()}{stamp[-6:]}@{m.sender.domain.split('.')[0].upper()}.PROD.OUTLOOK.example>"
        else:
            m.msgid = f"<{stamp}.{token}@{m.sender.domain}>"
    for m in mails:
        p = m.parent
        if p is not None and p.message_id:
            m.in_reply_to = p.msgid
            m.references = (p.references + [p.msgid])[-8:]
        elif p is not None:  # nothing to point at: the client can only keep older references
            m.references = p.references[-8:]
        m.full_subject = m.subject or ""


# --- rendering -----------------------------------------------------------------------


def received_chain(m: Mail, me: Person, rng: random.Random) -> list[mail.Header]:
    """Hops an inbound message picked up on its way to Alex's mailbox."""
    assert m.when is not None
    arrive = m.utc + timedelta(seconds=rng.randint(2, 40))
    ip = f"198.51.100.{rng.randint(2, 250)}"
    qid = base64.b32encode(rng.randbytes(8)).decode().rstrip("=")
    relay = f"mail.{m.sender.domain}"
    hops = [mail.received(relay, relay, ip, "mx1.morgan.example (Postfix)", "ESMTPS", qid, arrive,
                          recipient=me.address, zone_comment="UTC")]
    if rng.random() < 0.6:  # the sender's submission hop
        client = f"[10.0.{rng.randint(0, 9)}.{rng.randint(2, 250)}]"
        hops.append(mail.received(client, "unknown", f"203.0.113.{rng.randint(2, 250)}", relay, "ESMTPSA",
                                  f"{rng.getrandbits(32):08x}", m.when))
    return hops


def render(m: Mail, me: Person, titles: Titles) -> bytes:
    rng = own_rng(m, "render")
    inbound = m.sender is not me
    headers: list[mail.Header] = []
    if inbound and m.folder != "Drafts":
        headers.append(("Return-Path", f"<{m.sender.address}>"))
        headers.append(("Delivered-To", me.address))
        headers += received_chain(m, me, rng)
    if m.date_header == "auto":
        assert m.when is not None
        headers.append(("Date", format_datetime(m.when)))
    elif m.date_header is not None:
        headers.append(("Date", m.date_header))
    headers.append(("From", fmt_addr(m.sender)))
    if m.to:
        headers.append(("To", fmt_list(m.to)))
    if m.cc:
        headers.append(("Cc", fmt_list(m.cc)))
    if m.bcc and not inbound:  # the sender's own copy keeps Bcc
        headers.append(("Bcc", fmt_list(m.bcc)))
    headers.append(("Subject", mail.phrase(m.full_subject)))
    if m.message_id:
        headers.append(("Message-ID", m.msgid))
    if m.in_reply_to:
        headers.append(("In-Reply-To", m.in_reply_to))
    if m.references:
        headers.append(("References", "\n ".join(m.references)))
    headers += m.headers
    headers.append(("MIME-Version", "1.0"))

    return mail.message(headers, _body(m, me, titles, rng))


def _body(m: Mail, me: Person, titles: Titles, rng: random.Random) -> mail.Part:
    """The body as the sender's mail client writes it."""
    style = m.sender.style
    if m.html is not None:  # prepared HTML (newsletters, notifications)
        html = encode_part("text/html", m.html, "quoted-printable")
        text = _paras(m.body) if m.body else ""
        return _alternative([encode_part("text/plain", text), html], rng) if text else html
    if style == "html":
        return encode_part("text/html", html_from_text(m, me, titles), "quoted-printable")
    if style == "alt":
        return _alternative([
            encode_part("text/plain", plain_with_quote(m, me, titles)),
            encode_part("text/html", html_from_text(m, me, titles), "quoted-printable"),
        ], rng)
    return encode_part("text/plain", plain_with_quote(m, me, titles), "base64" if style == "b64" else None)


def _alternative(parts: list[mail.Part], rng: random.Random) -> mail.Part:
    return mail.multipart(parts, f"000000000000{rng.getrandbits(64):016x}")  # a Gmail-like boundary


# --- Maildir -------------------------------------------------------------------------

FOLDERS = ("INBOX", "Sent", "Drafts", "Archive")


def file_micro(m: Mail) -> int:
    """The microseconds of the message's file name, its own dice as everything else."""
    return own_rng(m, "file-name").randrange(1_000_000)

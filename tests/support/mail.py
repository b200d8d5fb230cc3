"""Writing mail byte for byte: header values, MIME parts, whole messages and Maildir++ files.

The one mail writer behind the bundled sample mailbox (examples/) and the benchmark corpus
(benchmarks/synthetic.py). It formats exactly what it is given and draws no randomness of
its own, so each generator stays a description of its scenario and its output stays stable.
"""

from __future__ import annotations

import base64
import os
import quopri
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

Header = tuple[str, str]  # (name, value); a value may hold folded lines ("\n\t...")

# Bytes a Q-encoded word may carry as themselves (RFC 2047 section 5 (3)); space becomes "_".
_Q_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")
_SPECIALS = ',.;:@()<>"'  # a display name holding one of these is quoted


def encoded_word(text: str, how: str = "Q") -> str:
    """One RFC 2047 encoded-word for text in UTF-8: how is "Q" or "B"."""
    data = text.encode("utf-8")
    if how == "B":
        return f"=?UTF-8?B?{base64.b64encode(data).decode()}?="
    out = "".join("_" if b == 0x20 else chr(b) if b in _Q_SAFE else f"={b:02X}" for b in data)
    return f"=?UTF-8?Q?{out}?="


def phrase(text: str, how: str | None = "Q") -> str:
    """A header text as written: ASCII as it is, else an encoded-word (how=None: raw UTF-8, RFC 6532)."""
    return text if text.isascii() or how is None else encoded_word(text, how)


def mailbox(name: str, address: str, how: str | None = "Q") -> str:
    """``Name <address>`` for From/To/Cc; the bare address when there is no name."""
    if not name:
        return address
    if not name.isascii():
        name = phrase(name, how)
    elif any(c in name for c in _SPECIALS):
        name = '"' + name.replace('"', "") + '"'
    return f"{name} <{address}>"


def address_list(mailboxes: Iterable[str]) -> str:
    """Mailboxes for one To/Cc header, one per folded line."""
    return ",\n ".join(mailboxes)


def received(helo: str, rdns: str, ip: str, by: str, protocol: str, queue_id: str, when: datetime,
             recipient: str | None = None, zone_comment: str = "") -> Header:
    """One Received hop as a relay writes it (``by`` may carry the software, e.g. "mx1 (Postfix)")."""
    stamp = format_datetime(when) + (f" ({zone_comment})" if zone_comment else "")
    rcpt = f"for <{recipient}>" if recipient else ""
    return "Received", f"from {helo} ({rdns} [{ip}])\n\tby {by} with {protocol} id {queue_id}\n\t{rcpt}; {stamp}"


@dataclass(frozen=True)
class Part:
    """A MIME entity: its Content-* headers and its encoded payload."""

    headers: list[Header]
    payload: bytes


def encode_body(data: bytes, transfer_encoding: str) -> bytes:
    """data in a Content-Transfer-Encoding: 7bit/8bit (as is), quoted-printable or base64."""
    if transfer_encoding == "quoted-printable":
        return quopri.encodestring(data)
    if transfer_encoding == "base64":
        return base64.encodebytes(data)
    return data


def part(content_type: str, data: bytes, transfer_encoding: str) -> Part:
    """A leaf part: content_type is the whole header value (``text/plain; charset="utf-8"``)."""
    return Part([("Content-Type", content_type), ("Content-Transfer-Encoding", transfer_encoding)],
                encode_body(data, transfer_encoding))


def multipart(parts: Iterable[Part], boundary: str, subtype: str = "alternative") -> Part:
    """parts joined under one boundary."""
    out = b"".join(f"--{boundary}\n".encode() + head(p.headers) + b"\n" + p.payload + b"\n" for p in parts)
    return Part([("Content-Type", f'multipart/{subtype}; boundary="{boundary}"')], out + f"--{boundary}--\n".encode())


def head(headers: Iterable[Header]) -> bytes:
    """Header lines in the order given, UTF-8 (raw non-ASCII names are RFC 6532 mail)."""
    return "".join(f"{name}: {value}\n" for name, value in headers).encode("utf-8")


def message(headers: Iterable[Header], body: Part) -> bytes:
    """A whole message with LF line ends: headers, the body's Content-* headers, a blank line, the payload."""
    return head([*headers, *body.headers]) + b"\n" + body.payload


class Maildir:
    """A Maildir++ being written: INBOX at the root, every other folder a ``.Name`` directory."""

    def __init__(self, root: Path, folders: Iterable[str]) -> None:
        self.root = root
        self._paths: dict[str, str] = {}
        for folder in folders:
            sub = "" if folder == "INBOX" else f".{folder}"
            base = root / sub if sub else root
            for d in ("cur", "new", "tmp"):
                (base / d).mkdir(parents=True, exist_ok=True)
            if sub:
                (base / "maildirfolder").write_bytes(b"")  # Maildir++ marks sub-folders with it
            self._paths[folder] = f"{sub}/" if sub else ""

    def add(self, folder: str, data: bytes, seconds: int, micro: int, pid: int, host: str,
            flags: str | None = "S", mtime: float | None = None) -> str:
        """Write one message as ``seconds.MmicroPpid.host,S=size``; flags None leaves it unseen in new/.

        Returns the path relative to the root; an existing file is an error, never overwritten.
        """
        name = f"{seconds}.M{micro}P{pid}.{host},S={len(data)}"
        rel = f"{self._paths[folder]}new/{name}" if flags is None else f"{self._paths[folder]}cur/{name}:2,{flags}"
        path = os.path.join(self.root, rel)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        if mtime is not None:
            os.utime(path, (mtime, mtime))
        return rel

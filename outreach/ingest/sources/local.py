"""Local mail sources: Maildir (with sub-folders), mbox, and a folder of .eml files.

Each source receives the ``Cursor`` its earlier runs reached and yields the raw
bytes of messages it has not handed over before, plus ``Checkpoint`` values (the
new cursor, scope by scope) that let the next run skip what has not changed:

* Maildir and .eml folders remember each directory's mtime.  An unchanged
  directory is not even listed, so a no-change run costs one ``stat`` per
  directory; a changed one is listed and only names not yet seen are read.
* mbox remembers the byte offset it reached plus a fingerprint of the start
  of the file, so appended mail is read from there and a rewritten file is
  read again from the top (the store drops the duplicates by Message-ID).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from outreach.errors import SourceError
from outreach.model import Checkpoint, Cursor, Ignored, RawMessage, Unreadable

Item = RawMessage | Checkpoint | Unreadable | Ignored

MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # larger files are skipped with a reason, not loaded
_SENT_NAMES = re.compile(r"(?:^|[/.])(?:sent|sent items|sent mail|sent messages|gesendet|envoyés)$", re.I)


def is_sent_folder(name: str) -> bool:
    return bool(_SENT_NAMES.search(name))


def _read(path: str | Path) -> bytes:
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_MESSAGE_BYTES:
            raise ValueError(f"message of {size} bytes is larger than the {MAX_MESSAGE_BYTES} byte limit")
        return handle.read()


def _dir_mtime(path: Path) -> int:
    return os.stat(path).st_mtime_ns


class MaildirSource:
    """A Maildir tree: the root is INBOX, ``.Name`` (Maildir++) or nested Maildirs are folders.

    A folder needs only one of ``cur/`` and ``new/``: archives kept in git or copied by
    tools often drop the empty one.
    """

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root).expanduser().resolve()
        if not self.root.is_dir():
            raise SourceError(f"{root}: no such Maildir directory")
        self.folders = self._discover()
        if not self.folders:
            raise SourceError(f"{root}: not a Maildir (no cur/ or new/ directory found)")
        self.name = f"maildir:{self.root}"

    def _discover(self) -> dict[str, Path]:
        folders: dict[str, Path] = {}
        for path, dirs, _files in os.walk(self.root):
            here = Path(path)
            if {"cur", "new"} & set(dirs):  # archives copied by tools often keep only one
                rel = here.relative_to(self.root).as_posix()
                folders[_folder_name(rel)] = here
            dirs[:] = sorted(d for d in dirs if d not in ("cur", "new", "tmp"))
        return dict(sorted(folders.items()))

    def sent_folders(self) -> list[str]:
        return [name for name in self.folders if is_sent_folder(name)]

    def scan(self, cursor: Cursor) -> Iterator[Item]:
        for folder, path in self.folders.items():
            scope = f"{self.name}:{folder}"
            before = json.loads(cursor.values.get(scope) or "{}")
            mtimes = {sub: _dir_mtime(path / sub) for sub in ("new", "cur") if (path / sub).is_dir()}
            if mtimes == before:
                continue
            seen = cursor.stored(scope)
            for sub in mtimes:
                if mtimes[sub] == before.get(sub):
                    continue
                for entry in os.scandir(path / sub):
                    if entry.name.startswith("."):
                        continue
                    unique = entry.name.split(":", 1)[0]  # flags after ':' change; the name does not
                    if unique in seen:
                        continue
                    seen.add(unique)
                    yield from _read_item(entry.path, folder, unique, scope, path)
            yield Checkpoint(scope, json.dumps(mtimes))


def _read_item(path: str | Path, folder: str, item: str, scope: str, maildir: Path | None = None) -> Iterator[Item]:
    try:
        data = _read(path)
    except FileNotFoundError:
        # A mail client moved it from new/ to cur/ while we listed: look there once.
        moved = [p for p in (maildir / "cur").glob(f"{glob_escape(item)}*")] if maildir else []
        if not moved:
            return  # deleted meanwhile: nothing to store, and not an error
        try:
            data = _read(moved[0])
        except (OSError, ValueError) as exc:
            yield Unreadable(folder, item, _reason(exc), scope)
            return
    except (OSError, ValueError) as exc:
        yield Unreadable(folder, item, _reason(exc), scope)
        return
    yield RawMessage(folder, item, data, scope=scope)


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    return str(exc)


def _folder_name(rel: str) -> str:
    if rel == ".":
        return "INBOX"
    parts = [p for p in rel.split("/") if p]
    name = "/".join(p[1:] if p.startswith(".") else p for p in parts)
    return name.replace(".", "/") if all(p.startswith(".") for p in parts) else name


class EmlDirSource:
    """A directory tree of single-message files.  Hidden files are passed over; so is any
    other file that does not start like a message (an index, a licence, an attachment
    saved beside it), reported as ``Ignored``.  A ``.eml`` file is always read: when it
    is not mail, it is skipped with the reason."""

    def __init__(self, root: str | os.PathLike[str], folder: str | None = None):
        self.root = Path(root).expanduser().resolve()
        if not self.root.is_dir():
            raise SourceError(f"{root}: no such directory")
        self.folder = folder or self.root.name or "eml"
        self.name = f"eml:{self.root}"

    def sent_folders(self) -> list[str]:
        return [self.folder] if is_sent_folder(self.folder) else []

    def scan(self, cursor: Cursor) -> Iterator[Item]:
        scope = self.name
        before: dict[str, list] = json.loads(cursor.values.get(scope) or "{}")
        after: dict[str, list] = {}
        seen: set[str] | None = None
        pending = ["."]
        while pending:
            rel = pending.pop()
            directory = self.root / rel
            try:
                mtime = _dir_mtime(directory)
            except OSError:
                continue
            known = before.get(rel)
            if known and known[0] == mtime:
                after[rel] = known
                pending.extend(known[1])
                continue
            subdirs = []
            files = []
            for entry in os.scandir(directory):
                if entry.name.startswith("."):
                    continue
                child = entry.name if rel == "." else f"{rel}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    subdirs.append(child)
                elif entry.is_file():
                    files.append(child)
            after[rel] = [mtime, sorted(subdirs)]
            pending.extend(subdirs)
            if seen is None:
                seen = cursor.stored(scope)
            for child in sorted(files):
                if child in seen:
                    continue
                if child.lower().endswith(".eml") or _starts_like_mail(self.root / child):
                    yield from _read_item(self.root / child, self.folder, child, scope)
                else:
                    yield Ignored(child, scope)
        if after != before:
            yield Checkpoint(scope, json.dumps(after, sort_keys=True))


# A message opens with a header field ("Name: value"; real names are letters, digits, -)
# or an mbox separator line.
_MAIL_START = re.compile(rb"(?:\xef\xbb\xbf)?(?:From |[A-Za-z][A-Za-z0-9_-]{0,75}:)")


def _starts_like_mail(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return bool(_MAIL_START.match(handle.read(80)))
    except OSError:
        return True  # let reading it fail with the reason


_MBOX_FROM = re.compile(rb"^From \S*.*$")
_MBOXRD_QUOTED = re.compile(rb"^>(>*From )", re.M)
FINGERPRINT_BYTES = 4096
CHECKPOINT_EVERY = 1000


class MboxSource:
    """One mbox file (mboxo/mboxrd), read from where the last run stopped."""

    def __init__(self, path: str | os.PathLike[str], folder: str | None = None):
        self.path = Path(path).expanduser().resolve()
        if not self.path.is_file():
            raise SourceError(f"{path}: no such mbox file")
        self.folder = folder or self.path.stem or "mbox"
        self.name = f"mbox:{self.path}"

    def sent_folders(self) -> list[str]:
        return [self.folder] if is_sent_folder(self.folder) else []

    def scan(self, cursor: Cursor) -> Iterator[Item]:
        scope = self.name
        before = json.loads(cursor.values.get(scope) or "{}")
        size = self.path.stat().st_size
        with open(self.path, "rb") as handle:
            # Fingerprint only what was read last time, so appending does not change it.
            offset = before.get("offset", 0)
            length = min(offset, FINGERPRINT_BYTES)
            same_file = offset <= size and before.get("fingerprint") == _fingerprint(handle, length)
            if same_file and offset == size:
                return
            if not same_file:
                offset = 0
            handle.seek(offset)
            for count, (start, end, data) in enumerate(_split_mbox(handle, offset), 1):
                yield RawMessage(self.folder, str(start), data)
                if count % CHECKPOINT_EVERY == 0:
                    yield Checkpoint(scope, _mbox_cursor(handle, end))
            end = handle.tell()
            yield Checkpoint(scope, _mbox_cursor(handle, end))


def _fingerprint(handle: BinaryIO, length: int) -> str:
    position = handle.tell()
    handle.seek(0)
    digest = hashlib.sha256(handle.read(length)).hexdigest()
    handle.seek(position)
    return digest


def _mbox_cursor(handle: BinaryIO, offset: int) -> str:
    return json.dumps({"offset": offset, "fingerprint": _fingerprint(handle, min(offset, FINGERPRINT_BYTES))})


def _split_mbox(handle: BinaryIO, offset: int) -> Iterator[tuple[int, int, bytes]]:
    """(start, end offset, message bytes) per message; separator lines follow a blank line."""
    lines: list[bytes] = []
    start = offset
    position = offset
    previous_blank = True
    for line in handle:
        if previous_blank and line.startswith(b"From ") and _MBOX_FROM.match(line):
            if lines:
                yield start, position, _unquote(b"".join(lines))
            lines = []
            start = position
            position += len(line)
            previous_blank = False
            continue
        lines.append(line)
        position += len(line)
        previous_blank = line in (b"\n", b"\r\n")
    if lines and any(line.strip() for line in lines):
        yield start, position, _unquote(b"".join(lines))


def _unquote(data: bytes) -> bytes:
    return _MBOXRD_QUOTED.sub(rb"\1", data) if b">From " in data else data

"""Review of the user's drafts: lint each new or changed draft once, report, never edit.

Drafts are read from the Drafts folder of each source the daemon serves (an
IMAP account's \\Drafts folder, or a Maildir's Drafts sub-folder).  A draft is
linted again only when its bytes change (a sha256 per draft in the store); on
IMAP an edited draft is a new message with a new UID, and the old one is
forgotten when it disappears.

Findings go to the log, to the store (``outreach status``) and, only when the
user turned it on, to the IMAP keyword ``$OutreachReview`` on the draft: that
STORE, on the Drafts folder opened read-write, is the one change outreach ever
makes to existing mail.  ``\\Seen`` and every other flag are left alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from outreach.store.db import Store

log = logging.getLogger("outreach.service.daemon")

KEYWORD = "$OutreachReview"
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}
REVIEW_LEVEL = "warning"  # findings at or above this make a draft "need another look"
MAX_DRAFT_BYTES = 1024 * 1024  # drafts larger than this are read only this far
FETCH_CHUNK = 200
_DRAFTS_NAME = re.compile(r"(?:^|[/.])drafts?$", re.I)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: str
    message: str
    line: int | None = None
    column: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in ("code", "severity", "message", "line", "column")}


@dataclass(frozen=True, slots=True)
class Review:
    subject: str
    recipient: str
    findings: list[Finding]

    @property
    def worst(self) -> str:
        return max((f.severity for f in self.findings), key=lambda s: SEVERITY_ORDER.get(s, 0), default="")

    @property
    def needs_look(self) -> list[Finding]:
        level = SEVERITY_ORDER[REVIEW_LEVEL]
        return [f for f in self.findings if SEVERITY_ORDER.get(f.severity, 0) >= level]


def is_drafts_folder(name: str) -> bool:
    return bool(_DRAFTS_NAME.search(name))


def load_linter() -> Callable[..., Any] | None:
    """``outreach.lint.lint`` when the linter is installed, else None."""
    try:
        from outreach.lint import lint
    except ImportError:
        return None
    return lint


def review_bytes(data: bytes, store: Store | None, linter: Callable[..., Any]) -> Review:
    """Parse a draft and lint what the user wrote (quoted text and signature left out)."""
    from outreach.ingest.parse import parse

    message = parse(data, "Drafts")
    recipient = message.to[0].address if message.to else ""
    kwargs: dict[str, Any] = {"to": recipient or None}
    for name, value in (("subject", message.subject), ("store", store)):
        if value is not None and _accepts(linter, name):  # newer linters use both for context rules
            kwargs[name] = value
    report = linter(message.text, **kwargs)
    findings = [_finding(f) for f in getattr(report, "findings", report)]
    return Review(subject=message.subject, recipient=recipient, findings=findings)


def _accepts(fn: Callable[..., Any], name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _finding(f: Any) -> Finding:
    get = f.get if isinstance(f, dict) else lambda k, d=None: getattr(f, k, d)
    raw = get("severity", "") or "warning"
    severity = str(getattr(raw, "value", raw)).lower()  # a plain string or an Enum
    return Finding(
        code=str(get("code", "") or ""),
        severity=severity,
        message=str(get("message", "") or f),
        line=get("line"),
        column=get("column", get("col")),
    )


class DraftReviewer:
    """Reviews the Drafts folder of a daemon job (see outreach.service.daemon.Job)."""

    def __init__(self, *, keyword: bool = False, linter: Callable[..., Any] | None = None):
        self.keyword = keyword
        self.linter = linter if linter is not None else load_linter()
        self._warned = False

    def review(self, store: Store, job: Any) -> None:
        if self.linter is None:
            if not self._warned:
                log.info("drafts are not linted: the linter (outreach.lint) is not installed")
                self._warned = True
            return
        if job.account is not None:
            self._review_imap(store, job)
            return
        folders = getattr(job.source, "folders", None)
        if isinstance(folders, dict):
            for name, path in folders.items():
                if is_drafts_folder(name):
                    self._review_maildir(store, f"{job.name}:{name}", Path(path))

    # -- Maildir ----------------------------------------------------------------

    def _review_maildir(self, store: Store, scope: str, path: Path) -> None:
        known = store.draft_reviews(scope)
        present: set[str] = set()
        for sub in ("new", "cur"):
            with contextlib.suppress(FileNotFoundError):
                for entry in os.scandir(path / sub):
                    if entry.name.startswith(".") or not entry.is_file():
                        continue
                    item = entry.name.split(":", 1)[0]
                    try:
                        with open(entry.path, "rb") as handle:
                            data = handle.read(MAX_DRAFT_BYTES)
                    except OSError:
                        continue  # moved or deleted while we looked; next tick sees it
                    present.add(item)
                    digest = hashlib.sha256(data).hexdigest()
                    if known.get(item, ("",))[0] != digest:
                        self._record(store, scope, item, digest, data)
        self._forget(store, scope, set(known) - present)

    # -- IMAP ---------------------------------------------------------------------

    def _review_imap(self, store: Store, job: Any) -> None:
        from outreach.imap import connect, find_role, imap_errors, list_folders

        account = job.account
        client = connect(account)
        try:
            with imap_errors(account, "listing folders"):
                folder = find_role(list_folders(client), "\\Drafts")
            if folder is None:
                return
            scope = f"imap:{account.label}/{folder}"
            with imap_errors(account, f"reviewing {folder}"):
                info = client.select_folder(folder, readonly=not self.keyword)
                validity = info.get(b"UIDVALIDITY")
                uids = client.search(["NOT", "DELETED"])
                items = {f"{validity}:{uid}": uid for uid in uids}
                known = store.draft_reviews(scope)
                fresh = [uid for item, uid in items.items() if item not in known]
                for start in range(0, len(fresh), FETCH_CHUNK):
                    chunk = fresh[start : start + FETCH_CHUNK]
                    wanted = f"BODY.PEEK[]<0.{MAX_DRAFT_BYTES}>".encode()
                    for uid, data in client.fetch(chunk, [wanted]).items():
                        body = data.get(b"BODY[]<0>") or data.get(b"BODY[]") or b""
                        self._record(store, scope, f"{validity}:{uid}", hashlib.sha256(body).hexdigest(), body)
                self._forget(store, scope, set(known) - set(items))
                if self.keyword and uids:
                    self._mark(client, store, scope, items, info)
        finally:
            with contextlib.suppress(Exception):
                client.logout()

    def _mark(self, client: Any, store: Store, scope: str, items: dict[str, int], info: dict) -> None:
        """Set $OutreachReview on drafts that need a look, clear it on clean ones; nothing else."""
        permanent = {f.lower() for f in info.get(b"PERMANENTFLAGS", ())}
        if b"\\*" not in permanent and KEYWORD.lower().encode() not in permanent:
            log.warning("%s: the server does not allow the %s keyword here; not marking drafts", scope, KEYWORD)
            return
        reviews = store.draft_reviews(scope)
        flags = client.get_flags(list(items.values()))
        add, remove = [], []
        for item, uid in items.items():
            review = reviews.get(item)
            if review is None:
                continue
            has = any(f.lower() == KEYWORD.lower().encode() for f in flags.get(uid, ()))
            wants = review[1] > 0
            if wants and not has:
                add.append((item, uid))
            elif has and not wants:
                remove.append((item, uid))
        if add:
            client.add_flags([uid for _, uid in add], [KEYWORD], silent=True)
        if remove:
            client.remove_flags([uid for _, uid in remove], [KEYWORD], silent=True)
        with store.transaction():
            for item, _ in add:
                store.set_draft_flagged(scope, item, True)
            for item, _ in remove:
                store.set_draft_flagged(scope, item, False)
        for item, _ in add:
            log.info("%s: draft %s marked %s", scope, item, KEYWORD)
        for item, _ in remove:
            log.info("%s: draft %s is clean now; %s removed", scope, item, KEYWORD)

    # -- recording ----------------------------------------------------------------

    def _record(self, store: Store, scope: str, item: str, digest: str, data: bytes) -> None:
        try:
            review = review_bytes(data, store, self.linter)
        except Exception as exc:  # a draft the parser or linter chokes on must not stop the others
            log.warning("%s: draft %s could not be linted: %s: %s", scope, item, type(exc).__name__, exc)
            review = Review("", "", [Finding("", "error", f"could not be linted: {type(exc).__name__}")])
        look = review.needs_look
        store.save_draft_review(
            scope,
            item,
            digest=digest,
            subject=review.subject,
            recipient=review.recipient,
            findings=len(look),
            worst=review.worst,
            summary=json.dumps([f.as_dict() for f in review.findings]),
            at=int(time.time()),
        )
        what = f"draft {review.subject!r} to {review.recipient or 'nobody yet'}"
        if look:
            codes = ", ".join(sorted({f.code for f in look if f.code})) or review.worst
            log.info("%s: %s needs another look: %d finding(s) (%s)", scope, what, len(look), codes)
        else:
            log.info("%s: %s linted: clean", scope, what)

    @staticmethod
    def _forget(store: Store, scope: str, gone: Iterable[str]) -> None:
        gone = list(gone)
        if gone:
            store.forget_draft_reviews(scope, gone)

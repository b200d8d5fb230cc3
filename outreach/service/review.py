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
import json
import logging
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from outreach.lint import engine, source
from outreach.lint.report import LEVELS, Finding
from outreach.model import RecipientContext
from outreach.network.contacts import recipient_context
from outreach.store.db import Store

log = logging.getLogger("outreach.service.daemon")

KEYWORD = "$OutreachReview"
REVIEW_LEVEL = "warning"  # findings at or above this make a draft "need another look"
MAX_DRAFT_BYTES = 1024 * 1024  # drafts larger than this are read only this far
FETCH_CHUNK = 200
_DRAFTS_NAME = re.compile(r"(?:^|[/.])drafts?$", re.I)


@dataclass(frozen=True, slots=True)
class Review:
    subject: str
    recipient: str
    findings: list[Finding]
    unread: tuple[str, ...] = ()  # text the linter could not read: the draft needs a look

    @property
    def worst(self) -> str:
        levels = [f.severity for f in self.findings] + ["warning"] * bool(self.unread)
        return max(levels, key=LEVELS.__getitem__, default="")

    @property
    def needs_look(self) -> list[Finding]:
        level = LEVELS[REVIEW_LEVEL]
        return [f for f in self.findings if LEVELS[f.severity] >= level]

    def summary(self) -> list[dict[str, object]]:
        """What the store keeps of each finding (and of each unread part, as code '')."""
        kept = [{"code": f.code, "severity": f.severity, "message": f.message, "line": f.line, "column": f.column}
                for f in self.findings]
        return kept + [{"code": "", "severity": "warning", "message": f"not linted: {why}", "line": None,
                        "column": None} for why in self.unread]


def is_drafts_folder(name: str) -> bool:
    return bool(_DRAFTS_NAME.search(name))


def review_bytes(data: bytes, store: Store | None, rules: list[engine.Rule]) -> Review:
    """Lint a draft as `outreach lint` does: every text part, for every recipient, with store context."""
    draft = source.read_bytes(data, "draft", message=True)

    def context(address: str) -> RecipientContext | None:
        return recipient_context(store, address) if store is not None else None

    reports = source.check(draft, rules, context)
    findings = [f for report in reports for f in report.findings]
    return Review(subject=draft.subject, recipient=draft.to[0] if draft.to else "", findings=findings,
                  unread=draft.unread)


class DraftReviewer:
    """Reviews the Drafts folder of a daemon job (see outreach.service.daemon.Job).

    ``rules``: the lint rules to run (default: all of them, as `outreach lint` does).
    """

    def __init__(self, *, keyword: bool = False, rules: list[engine.Rule] | None = None) -> None:
        self.keyword = keyword
        self.rules = engine.load_rules() if rules is None else rules

    def review(self, store: Store, job: Any) -> None:
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
            review = review_bytes(data, store, self.rules)
        except Exception as exc:  # a draft the parser or linter chokes on must not stop the others
            log.warning("%s: draft %s could not be linted: %s: %s", scope, item, type(exc).__name__, exc)
            review = Review("", "", [], unread=(f"could not be read: {type(exc).__name__}",))
        look = review.needs_look
        store.save_draft_review(
            scope,
            item,
            digest=digest,
            subject=review.subject,
            recipient=review.recipient,
            findings=len(look) + len(review.unread),
            worst=review.worst,
            summary=json.dumps(review.summary()),
            at=int(time.time()),
        )
        what = f"draft {review.subject!r} to {review.recipient or 'nobody yet'}"
        if look or review.unread:
            codes = ", ".join(sorted({f.code for f in look}) + ["not linted"] * bool(review.unread))
            count = len(look) + len(review.unread)
            log.info("%s: %s needs another look: %d finding(s) (%s)", scope, what, count, codes)
        else:
            log.info("%s: %s linted: clean", scope, what)

    @staticmethod
    def _forget(store: Store, scope: str, gone: Iterable[str]) -> None:
        gone = list(gone)
        if gone:
            store.forget_draft_reviews(scope, gone)

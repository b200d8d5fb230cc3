"""What `outreach status` reports: the daemon's syncs, errors, drafts to look at, next digest.

Everything comes from the store (read-only) and the lock file beside it, so
status works whether or not the daemon is running and never blocks it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from outreach import accounts, config
from outreach.service.digest import next_digest
from outreach.service.lock import lock_holder
from outreach.store.db import Store

DAEMON_SCHEMA = 4  # the migration that added the daemon's tables


def collect(db: Path) -> dict[str, Any]:
    """Status as plain JSON-ready values (times as ISO strings in the user's zone)."""
    tz = config.time_zone()

    def when(seconds: int | None) -> str | None:
        return datetime.fromtimestamp(seconds, UTC).astimezone(tz).isoformat(timespec="seconds") if seconds else None

    with Store.open(db, readonly=True) as store:
        has_daemon_tables = store.schema_version >= DAEMON_SCHEMA
        counts = store.counts()
        status: dict[str, Any] = {
            "store": str(db),
            "daemon_pid": lock_holder(db),
            "last_round": when(_int(store.get_meta("daemon.tick"))),
            "messages": counts["messages"],
            "contacts": store.contact_count(),
            "skipped": counts["skipped"],
            "syncs": [],
            "last_error": None,
            "drafts_with_findings": [],
            "next_digest": None,
            "digest_delivery": config.digest_delivery(),
        }
        error = store.get_meta("daemon.last_error")
        if error:
            at, _, text = error.partition(" ")
            status["last_error"] = {"at": when(_int(at)), "error": text}
        if has_daemon_tables:
            status["syncs"] = [
                {
                    "source": row["source"],
                    "folder": row["folder"] or "*",
                    "last_ok": when(row["last_ok"]),
                    "new": row["last_new"],
                    "failures": row["failures"],
                    "last_error": row["last_error"],
                    "last_error_at": when(row["last_error_at"]),
                }
                for row in store.daemon_syncs()
            ]
            status["drafts_with_findings"] = [
                {
                    "subject": row["subject"],
                    "to": row["recipient"],
                    "findings": row["findings"],
                    "worst": row["worst"],
                    "codes": sorted({f.get("code") for f in json.loads(row["summary"]) if f.get("code")}),
                    "linted": when(row["linted"]),
                    "where": row["scope"],
                    "marked": bool(row["flagged"]),
                }
                for row in store.drafts_with_findings()
            ]
        if status["digest_delivery"] != "off":
            due = next_digest(store, config.digest_schedule(), tz, datetime.now(UTC))
            status["next_digest"] = due.isoformat(timespec="minutes") if due else None
            status["digest_to"] = digest_destination(status["digest_delivery"])
    return status


def digest_destination(delivery: str) -> str:
    """Where the daemon will deliver the digest, from the settings (as DigestSender decides)."""
    if delivery == "smtp":
        return f"{config.from_address() or 'your address (set OUTREACH_FROM)'} by SMTP"
    names = accounts.imap_account_names()
    if names:
        return f"INBOX of the IMAP account {names[0]}"
    if config.local_maildir() is not None:
        return f"INBOX of the Maildir {config.local_maildir()}"
    return "INBOX of the Maildir the daemon reads (--maildir); without one it is skipped"


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def render(status: dict[str, Any]) -> str:
    """The human-readable status."""
    pid = status["daemon_pid"]
    running = "not running" if pid is None else f"running (pid {pid if pid > 0 else 'unknown'})"
    lines = [
        f"store        {status['store']}",
        f"daemon       {running}" + (f"; last round {status['last_round']}" if status["last_round"] else ""),
        f"messages     {status['messages']}  ({status['skipped']} skipped as unreadable)",
        f"contacts     {status['contacts']}",
    ]
    error = status["last_error"]
    lines.append(f"last error   {error['at']} {error['error']}" if error else "last error   none")
    digest = status["next_digest"]
    lines.append(f"next digest  {digest} to {status.get('digest_to', status['digest_delivery'])}" if digest
                 else "next digest  off")
    lines.append("")
    if status["syncs"]:
        lines.append("last successful sync")
        width = max(len(s["source"]) + len(s["folder"]) + 3 for s in status["syncs"])
        for s in status["syncs"]:
            where = s["source"] if s["folder"] == "*" else f"  {s['folder']}"
            note = f"  {s['failures']} failure(s) since: {s['last_error']}" if s["failures"] else ""
            lines.append(f"  {where.ljust(width)}  {s['last_ok'] or 'never'}{note}")
    else:
        lines.append("no daemon sync recorded yet (start it with: outreach daemon)")
    lines.append("")
    drafts = status["drafts_with_findings"]
    lines.append(f"drafts with findings: {len(drafts)}")
    for d in drafts:
        codes = ", ".join(d["codes"])
        subject = d["subject"] or "(no subject)"
        lines.append(f"  {subject!r} to {d['to'] or '-'}: {d['findings']} ({d['worst']}) {codes}")
    return "\n".join(lines) + "\n"

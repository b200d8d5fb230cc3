"""The sample mailbox synced once per session into a store; each test gets its own copy."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = json.loads((ROOT / "examples" / "sample-manifest.json").read_text())
NOW = datetime.fromisoformat(MANIFEST["now"].replace("Z", "+00:00")).astimezone(UTC)
ME = MANIFEST["me"]["address"]
PEOPLE = {p["key"]: p for p in MANIFEST["people"]}


def address(key: str) -> str:
    return PEOPLE[key]["address"]


def synced_copy(cache: Path, dest: Path) -> Path:
    """A store holding the sample mailbox, relationships computed, at ``dest``."""
    master = cache / "sample.db"
    if not master.exists():
        from outreach.ingest import sync
        from outreach.ingest.sources.local import MaildirSource
        from outreach.network import cache
        from outreach.store.db import Store

        with Store.open(master) as store:
            sync.run(store, MaildirSource(ROOT / MANIFEST["maildir"]), me=[ME])
            cache.update(store)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(master, dest)
    return dest

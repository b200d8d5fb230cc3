"""Is the relationship cache current?  A meta row compared with a fingerprint, nothing folded.

A sync that stores nothing new asks only this, so it does not load the fold
(``rebuild``) or the model it needs; ``cache.update`` rebuilds when the answer is no.

* stale: the cache was built by another fold, model, identity or role vocabulary, or never;
* behind: messages were stored since it was last brought up to date.
"""

from __future__ import annotations

import hashlib

from outreach.network.roles import VOCABULARY, draft_folders
from outreach.network.ties import DEFAULT, Params
from outreach.store.db import Store
from outreach.store.personal import PersonalMail

FINGERPRINT = "relationships.fingerprint"  # meta keys
LAST_ID = "relationships.last_message_id"
FOLD = "2"  # the rules of the fold: a new value makes every cache stale (2: acts only of mail addressed to the user)
SCHEMA = 2  # the migration that made the cache tables; a writable store is always migrated to the last


def readable(store: Store) -> bool:
    """The store has the cache tables (an old store opened read-only may not)."""
    return store.schema_version >= SCHEMA


def is_stale(store: Store, params: Params = DEFAULT) -> bool:
    """The cache was built by another model, identity or role vocabulary, or never built."""
    return store.get_meta(FINGERPRINT) != fingerprint(store, params)


def is_behind(store: Store) -> bool:
    """Messages were stored since the cache was last brought up to date."""
    return store.last_message_id() > int(store.get_meta(LAST_ID) or 0)


def fingerprint(store: Store, params: Params) -> str:
    """What the cached figures depend on besides the mail: the fold's rules, the model, the identity, the role
    vocabulary."""
    parts = [FOLD, params.fingerprint(), ",".join(sorted(store.my_addresses())), _vocabulary_digest()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


_digest: str | None = None


def _vocabulary_digest() -> str:
    global _digest
    if _digest is None:
        _digest = hashlib.sha256(VOCABULARY.read_bytes()).hexdigest()[:16]
    return _digest


def personal_mail(params: Params = DEFAULT) -> PersonalMail:
    """Which stored messages count as personal correspondence under ``params``."""
    return PersonalMail(max_audience=params.broadcast_audience, draft_folders=draft_folders())

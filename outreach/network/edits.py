"""The user's edits of the network: merged addresses, tags, cadence overrides.

Edits survive re-syncs (they live in their own tables, not in the cache).  A
merge changes who a contact is, so it refreshes the two contacts' cached
figures as its last step; tags and cadences only change what a read works out.
"""

from __future__ import annotations

from outreach.network import cache
from outreach.network.contacts import canonical_address
from outreach.network.ties import DEFAULT, Params
from outreach.store.db import Store


def merge(store: Store, keep: str, other: str, params: Params = DEFAULT) -> str:
    """Treat ``other`` as the same person as ``keep`` from now on; returns the canonical address."""
    keep = canonical_address(store, keep)
    other = other.strip().lower()
    if canonical_address(store, other) == keep:
        return keep
    store.merge_alias(keep, other)
    cache.refresh(store, {keep, other}, params)
    return keep


def unmerge(store: Store, alias: str, params: Params = DEFAULT) -> str | None:
    """Undo a merge: ``alias`` is its own contact again; the address it was merged into, or None."""
    alias = alias.strip().lower()
    was = store.unmerge_alias(alias)
    if was is not None:
        cache.refresh(store, {was, alias}, params)
    return was


def tag(store: Store, address: str, name: str) -> None:
    store.add_tag(canonical_address(store, address), name.strip().lower())


def untag(store: Store, address: str, name: str) -> bool:
    return store.remove_tag(canonical_address(store, address), name.strip().lower())


def set_cadence(store: Store, target: str, days: float | None) -> str:
    """Override the cadence of an address or of 'tag:NAME' (None clears it); returns the target."""
    target = target.strip().lower()
    if not target.startswith("tag:"):
        target = canonical_address(store, target)
    store.set_cadence(target, days)
    return target

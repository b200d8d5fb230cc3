"""Keeping the relationship cache (``contact_cache``, ``referral_cache``) in step with the mail.

The cache is rebuilt only here, by an explicit call after mail is stored or
the network is edited; reading contacts never writes.

* ``update(store)`` is what sync, the daemon and the commands that show
  contacts call: a full ``recompute`` when the cache is stale (a changed model,
  identity or role vocabulary, or a cache that was never built), else a
  ``refresh`` when messages were stored since it was last brought up to date.
* ``recompute`` and ``refresh`` are the fold's, in ``rebuild``.

Whether the cache is current is a meta row compared with a fingerprint
(``freshness``); the fold and the model behind it are imported only when there
is something to rebuild, so a sync that finds nothing new never loads them.
"""

from __future__ import annotations

from collections.abc import Iterable

from outreach.network.freshness import FINGERPRINT, LAST_ID, is_behind, is_stale, readable
from outreach.network.ties import DEFAULT, Params
from outreach.store.db import Store

__all__ = ["FINGERPRINT", "LAST_ID", "is_behind", "is_stale", "readable", "recompute", "refresh", "update"]


def update(store: Store, params: Params = DEFAULT) -> int:
    """Bring the cache up to date: recompute when stale, fold in what is new when behind.

    Returns the number of contacts recomputed (0 when already up to date, or
    when the store is read-only: it keeps the figures as last cached).
    """
    if not readable(store) or not store.writable():
        return 0
    if is_stale(store, params):
        return recompute(store, params)
    if is_behind(store):
        return refresh(store, (), params)
    return 0


def recompute(store: Store, params: Params = DEFAULT) -> int:
    """Rebuild every contact and referral from the whole mailbox; returns the number of contacts."""
    from outreach.network import rebuild  # deferred: the fold and its model load only to rebuild

    return rebuild.recompute(store, params)


def refresh(store: Store, touched: Iterable[str] = (), params: Params = DEFAULT) -> int:
    """Recompute the contacts behind ``touched`` addresses (sync calls this after storing mail);
    see ``rebuild.refresh``.  Returns the number of contacts recomputed."""
    from outreach.network import rebuild  # deferred: the fold and its model load only to rebuild

    return rebuild.refresh(store, touched, params)

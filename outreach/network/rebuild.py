"""Rebuilding the relationship cache (``contact_cache``, ``referral_cache``): the fold.

Loaded only when there is something to rebuild; callers go through ``cache``.

* ``recompute(store)`` reads all personal mail in a few queries and rebuilds
  every contact and referral.
* ``refresh(store, touched)`` recomputes only the contacts a batch touched,
  reading just their messages; referrals that involve them get their status
  re-checked with a few indexed queries.

Cached figures do not depend on "now" (strength is cached relative to a fixed
epoch, see ``ties``), so a read can take any ``now``.  Nothing here reads
message bodies: only headers, recipients and stored acts.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager

from outreach.model import Contact
from outreach.network.freshness import FINGERPRINT, LAST_ID, fingerprint, is_stale, personal_mail
from outreach.network.ledger import build_ledger
from outreach.network.roles import is_role_address
from outreach.network.tally import DIRECT_ROLES, ReferralFacts, Tallies, Tally, referral_status, tally
from outreach.network.ties import DEFAULT, Params, learned_cadence
from outreach.store.db import Store
from outreach.store.personal import PersonalMail, PersonalRows

_FULL_ABOVE = 500  # refresh more contacts than this (and a quarter of all) by a full recompute


def recompute(store: Store, params: Params = DEFAULT) -> int:
    """Rebuild every contact and referral from the whole mailbox; returns the number of contacts."""
    with _bulk():
        return _recompute(store, params)  # what it built is freed on return, before the collector is back on


def _recompute(store: Store, params: Params) -> int:
    aliases = store.aliases()
    with store.personal_rows(personal_mail(params)) as rows:
        computed = fold(rows, store.my_addresses(), aliases, params)
        contact_rows = _cache_rows(store, list(computed.accs.values()), computed, params)
        referrals = computed.referral_rows(ReferralFacts(computed))
    store.write_cache(
        contact_rows,
        referrals,
        scope=None,
        meta={FINGERPRINT: fingerprint(store, params), LAST_ID: str(rows.last_message_id)},
    )
    return len(contact_rows)


def refresh(store: Store, touched: Iterable[str] = (), params: Params = DEFAULT) -> int:
    """Recompute the contacts behind ``touched`` addresses (sync calls this after storing mail).

    Also folds in any message stored since the last refresh, so calling it with
    nothing, or with an incomplete set, never leaves the cache behind.  The
    referrals of a recomputed contact, either way, get their status re-checked
    with a few indexed queries.  Returns the number of contacts recomputed.
    """
    if is_stale(store, params):
        return recompute(store, params)
    mail = personal_mail(params)
    raw = {a.strip().lower() for a in touched}
    raw |= store.participants_since(mail, int(store.get_meta(LAST_ID) or 0))
    aliases = store.aliases()
    me = store.my_addresses()
    scope = {aliases.get(a, a) for a in raw if a not in me and not is_role_address(a)}
    if len(scope) > max(_FULL_ABOVE, store.contact_count() // 4):
        return recompute(store, params)  # a big batch: the few whole-mailbox queries are cheaper
    load = scope | {alias for alias, canonical in aliases.items() if canonical in scope}
    with store.personal_rows(mail, load) as rows:
        computed = fold(rows, me, aliases, params)
    mine = [c for address, c in computed.accs.items() if address in scope]
    contact_rows = _cache_rows(store, mine, computed, params)
    lookup = StoredReferralFacts(computed, store, scope, aliases, store.cached_meetings(scope), mail)
    referrals = computed.referral_rows(lookup, scope)
    # referrals *of* a recomputed contact by someone outside the scope: only their status can change
    statuses = {
        row["id"]: referral_status(row["referrer"], row["person"], row["message"], row["date"], row["thread"], lookup)
        for row in store.referrals_of(scope)
        if row["referrer"] not in scope
    }
    store.write_cache(
        contact_rows,
        referrals,
        scope=scope | raw,
        meta={LAST_ID: str(rows.last_message_id)},
        statuses=statuses,
    )
    return len(scope)


class StoredReferralFacts(ReferralFacts):
    """Referral facts during a refresh: from memory for the contacts whose mail was all
    loaded, else from the store with a few indexed queries."""

    def __init__(
        self,
        computed: Tallies,
        store: Store,
        loaded: Collection[str],
        aliases: dict[str, str],
        meetings: dict[tuple[int, str], int | None],
        mail: PersonalMail,
    ):
        super().__init__(computed)
        self.store = store
        self.loaded = loaded  # contacts whose messages were all loaded
        self.aliases = aliases
        # (introduction message, person) -> first exchange, cached for people outside ``loaded``:
        # their messages have not changed since, so neither has that date
        self.meetings = meetings
        self.mail = mail

    def _addresses(self, contact: str) -> list[str]:
        return [contact, *(a for a, c in self.aliases.items() if c == contact)]

    def thanked(self, referrer: str, since: int, thread: str) -> bool:
        if self.store.thanked_in_thread(self.mail, thread, since):  # the thread may not all be loaded
            return True
        if referrer in self.loaded:
            return self.thanked_directly(referrer, since)
        return self.store.thanked(self.mail, self._addresses(referrer), since)

    def first_exchange(self, person: str, since: int, message: int) -> int | None:
        if person in self.loaded:
            return super().first_exchange(person, since, message)
        if (message, person) in self.meetings:
            return self.meetings[message, person]
        return self.store.first_exchange(self.mail, self._addresses(person), since)

    def wrote_after(self, referrer: str, after: int) -> bool:
        if referrer in self.loaded:
            return super().wrote_after(referrer, after)
        return self.store.wrote_after(self.mail, self._addresses(referrer), after)


def fold(rows: PersonalRows, me: frozenset[str], aliases: dict[str, str], params: Params = DEFAULT) -> Tallies:
    """The tallies of the rows read, with the introductions among them resolved."""
    computed = tally(rows.received(), rows.sent(), rows.addressed_to_me(DIRECT_ROLES), me, aliases, params)
    computed.introduce(rows.recipients_of(computed.introduction_messages()))
    return computed


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole mailbox is folded.

    The fold allocates hundreds of thousands of tuples and lists that live until
    it ends and form no cycles; with the collector on, its full passes over them
    took a fifth of a recompute.  They must also be freed before it is back on:
    the first allocation after that runs a collection of everything allocated
    meanwhile that is still alive (~0.1 s when the write of the cache came after
    it).  Whatever cycles others make meanwhile are collected once it is back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# -- cache rows -------------------------------------------------------------------


def _cache_rows(store: Store, accs: list[Tally], computed: Tallies, params: Params) -> list[Contact]:
    """The contacts' cached figures; the few sentences and subjects they show are read here."""
    for a in accs:
        if a.messages:
            a.ledger = build_ledger(a.messages, params)
    subjects = store.subjects([a.last_message for a in accs if a.last_message])
    sentences = store.act_sentences({act.key for a in accs for act in a.ledger.latest.values()})
    computed.evidence = store.act_evidence([intro.act.key for intro in computed.intros])
    return [_cache_row(a, params, subjects, sentences) for a in accs]


def _cache_row(t: Tally, params: Params, subjects: dict[int, str], sentences: dict[tuple[int, int], str]) -> Contact:
    ledger = t.ledger
    return Contact(
        address=t.address,
        name=t.name,
        base=t.base,
        sent=t.sent,
        received=t.received,
        replies=t.replies,
        first=min(t.dates) if t.dates else None,
        last=t.last if t.dates else None,
        last_subject=subjects.get(t.last_message, ""),
        cadence=learned_cadence(t.threads.values(), params),
        balance=ledger.balance,
        given=ledger.given,
        favours_received=ledger.received,
        asks_since_give=ledger.asks_since_last_give,
        latest={slot: row.act._replace(sentence=sentences.get(row.key, "")) for slot, row in ledger.latest.items()},
    )

"""Likely aliases among contacts (for `outreach contacts --duplicates`) and the name test `merge` asks with.

Two contacts are probably one person when they carry the same display name at different
addresses, or the same local part at related domains (one a subdomain of the other, or
the same organisation name under another suffix: ana@acme.com and ana@acme.co.uk).
Nothing is merged here: the user decides, with `outreach merge` (and `unmerge`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from outreach.network.contacts import ContactSummary

_WORD = re.compile(r"\w+")
# Local parts too generic to say anything about who is behind them.
_GENERIC_LOCAL = frozenset({"info", "hello", "contact", "mail", "me", "hi", "office", "team", "admin"})
# Public suffix parts below the organisation's own label (a short list; enough for a hint).
_SUFFIX_PARTS = frozenset({"com", "org", "net", "edu", "gov", "co", "ac", "io"})


@dataclass(frozen=True, slots=True)
class LikelyAlias:
    """``first`` and ``second`` may be one person, for the reason in ``why``."""

    first: str
    second: str
    why: str


def name_words(name: str) -> frozenset[str]:
    """The words of a display name, lower-case, initials left out."""
    return frozenset(w for w in _WORD.findall(name.lower()) if len(w) > 1)


def different_people(a: str, b: str) -> bool:
    """Two display names with no word in common ('Sam Lee', 'Priya Raman'); a missing name never differs."""
    first, second = name_words(a), name_words(b)
    return bool(first) and bool(second) and not first & second


def likely_aliases(contacts: Iterable[ContactSummary]) -> list[LikelyAlias]:
    """Pairs of contacts that are probably one person, each with why; strongest first contact first."""
    people = sorted(contacts, key=lambda c: (-c.strength_norm, c.address))
    found: dict[tuple[str, str], str] = {}
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            why = _why(a, b)
            if why:
                found.setdefault((a.address, b.address), why)
    return [LikelyAlias(first, second, why) for (first, second), why in found.items()]


def _why(a: ContactSummary, b: ContactSummary) -> str:
    a_local, _, a_domain = a.address.partition("@")
    b_local, _, b_domain = b.address.partition("@")
    words = name_words(a.name)
    if len(words) >= 2 and words == name_words(b.name):
        return f"same name {a.name!r}"
    if a_local == b_local and a_local not in _GENERIC_LOCAL and _related(a_domain, b_domain):
        return f"same name before the @ ({a_local}) at related domains {a_domain} and {b_domain}"
    return ""


def _related(a: str, b: str) -> bool:
    if a == b:
        return False
    if a.endswith("." + b) or b.endswith("." + a):
        return True
    return _organisation(a) == _organisation(b) != ""


def _organisation(domain: str) -> str:
    """The organisation's own label: acme in mail.acme.co.uk."""
    labels = domain.split(".")
    while len(labels) > 1 and (labels[-1] in _SUFFIX_PARTS or len(labels[-1]) == 2):
        labels.pop()
    return labels[-1] if len(labels) < len(domain.split(".")) else ""

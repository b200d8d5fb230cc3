"""What is not personal correspondence: role and machine addresses (support@, noreply@,
notifications@, list domains ...) and drafts folders.

The vocabulary is data, in ``outreach/data/not_personal.toml``.
"""

from __future__ import annotations

from functools import cache, lru_cache

from outreach import resources

VOCABULARY = resources.data_file("not_personal.toml")


@cache
def _vocabulary() -> dict:
    return resources.read_toml(VOCABULARY)


@cache
def _roles() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...], frozenset[str], tuple[str, ...]]:
    data = _vocabulary().get("role_addresses", {})
    domains = [s.lower() for s in data.get("domains", [])]
    return (
        frozenset(s.lower() for s in data.get("local_parts", [])),
        tuple(s.lower() for s in data.get("local_prefixes", [])),
        tuple(s.lower() for s in data.get("domain_prefixes", [])),
        frozenset(domains),
        tuple("." + d for d in domains),
    )


@lru_cache(maxsize=65_536)
def is_role_address(address: str) -> bool:
    """True for an address that belongs to a function, a list or a machine rather than a person."""
    local, at, domain = address.lower().rpartition("@")
    if not at:
        return False
    local = local.split("+", 1)[0]
    parts, prefixes, domain_prefixes, domains, domain_suffixes = _roles()
    return (
        local in parts
        or local.startswith(prefixes)
        or domain.startswith(domain_prefixes)
        or domain in domains
        or domain.endswith(domain_suffixes)
    )


@cache
def draft_folders() -> tuple[str, ...]:
    """Folder names (lower-cased) whose messages are drafts, never sent."""
    return tuple(sorted(s.lower() for s in _vocabulary().get("draft_folders", {}).get("names", [])))

"""Role and machine addresses (support@, noreply@, notifications@ ...): never contacts.

The vocabulary is data, in ``outreach/data/role_addresses.toml``.
"""

from __future__ import annotations

import tomllib
from functools import cache, lru_cache
from pathlib import Path

VOCABULARY = Path(__file__).parent / "data" / "role_addresses.toml"


@cache
def _vocabulary() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    with VOCABULARY.open("rb") as handle:
        data = tomllib.load(handle)
    return (
        frozenset(s.lower() for s in data.get("local_parts", [])),
        tuple(s.lower() for s in data.get("local_prefixes", [])),
        tuple(s.lower() for s in data.get("domain_prefixes", [])),
    )


@lru_cache(maxsize=65_536)
def is_role_address(address: str) -> bool:
    """True for an address that belongs to a function or a machine rather than a person."""
    local, at, domain = address.lower().rpartition("@")
    if not at:
        return False
    local = local.split("+", 1)[0]
    parts, prefixes, domains = _vocabulary()
    return local in parts or local.startswith(prefixes) or domain.startswith(domains)

"""`outreach merge`, `unmerge`: one person at two addresses, and back; the contact check
that every edit of a contact (merge, tag, cadence, snooze, dismiss) makes first."""

from __future__ import annotations

import argparse
import sys

from outreach.cli.common import open_store
from outreach.errors import OutreachError
from outreach.network import cache, contacts, edits
from outreach.network.contacts import ContactSummary
from outreach.network.duplicates import different_people
from outreach.store.db import Store


def run_merge(args: argparse.Namespace) -> int:
    if args.keep.strip().lower() == args.other.strip().lower():
        raise OutreachError("merge: the two addresses are the same")
    with open_store(args, create=False) as store:
        keep, other = (known_contact(store, a, "merge") for a in (args.keep, args.other))
        if different_people(keep.name, other.name) and not args.yes:
            question = (f"{keep.address} is {keep.name!r} and {other.address} is {other.name!r}: "
                        "merge them as one person? [y/N] ")
            if not (sys.stdin.isatty() and _confirm(question)):
                print(f"outreach: not merged: {keep.name!r} and {other.name!r} look like different people;"
                      " add --yes if they are one (undo with 'outreach unmerge')", file=sys.stderr)
                return 1
        kept = edits.merge(store, args.keep, args.other)
    print(f"merged {args.other.strip().lower()} into {kept} (undo: outreach unmerge {args.other.strip().lower()})")
    return 0


def run_unmerge(args: argparse.Namespace) -> int:
    alias = args.alias.strip().lower()
    with open_store(args, create=False) as store:
        was = edits.unmerge(store, alias)
    if was is None:
        raise OutreachError(f"unmerge: {alias} was not merged into another address")
    print(f"{alias} is its own contact again (it was merged into {was})")
    return 0


def known_contact(store: Store, address: str, command: str) -> ContactSummary:
    """The contact at ``address``; a one-line error for an address that is no contact."""
    cache.update(store)  # the contacts as of the mail stored so far
    found = contacts.contact(store, address)
    if found is None:
        raise OutreachError(f"{command}: {address.strip()} is not a contact (no personal mail with this address;"
                            " see 'outreach contacts')")
    return found


def _confirm(question: str) -> bool:
    try:
        return input(question).strip().lower() in {"y", "yes"}
    except EOFError:
        return False

"""One recipient given on the command line (``--to``), checked the same way by every command."""

from __future__ import annotations

from outreach.errors import OutreachError
from outreach.model import Address


def parse_recipient(text: str, option: str = "--to") -> Address:
    """'Priya Raman <priya@example.org>' or a bare address; anything else is a one-line usage error.

    The address is lower-cased; the display name is returned as given.
    """
    # only a given --to needs the email package: `outreach lint` of a text draft without one never loads it
    from email.utils import getaddresses

    found = getaddresses([text])
    if len(found) != 1 or found[0][1].count("@") != 1 or " " in found[0][1]:
        raise OutreachError(f"{option} {text!r}: expected one address, e.g. 'Priya Raman <priya@example.org>'")
    name, address = found[0]
    return Address(address.lower(), name)

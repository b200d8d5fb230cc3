"""Verified TLS client contexts, shared by IMAP and SMTP.

Certificates and host names are always checked.  The system CAs are loaded
from OpenSSL's hashed directory when it can serve them: it is read lazily,
only the issuer actually needed, in well under a millisecond, whereas loading
the whole bundle (``ssl.create_default_context``) costs 20-50 ms — most of a
no-change sync.
"""

from __future__ import annotations

import os
import re
import ssl
from pathlib import Path

_HASH_NAME = re.compile(r"^[0-9a-f]{8}\.[0-9]+$")  # OpenSSL c_rehash names


def verified_context(ca_file: Path | str | None = None) -> ssl.SSLContext:
    """System CAs plus ``ca_file`` (PEM); raises OSError or ssl.SSLError if ca_file is unusable."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED and check_hostname
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    _load_system_cas(context)
    if ca_file:
        context.load_verify_locations(cafile=str(ca_file))
    return context


def _load_system_cas(context: ssl.SSLContext) -> None:
    paths = ssl.get_default_verify_paths()
    # A SSL_CERT_FILE naming some other bundle is the user's choice: honour it in full.
    cert_file = os.environ.get("SSL_CERT_FILE")
    custom_bundle = bool(cert_file) and os.path.realpath(cert_file) != os.path.realpath(paths.cafile or "")
    if not custom_bundle and paths.capath and _has_hash_links(paths.capath):
        context.load_verify_locations(capath=paths.capath)
    else:
        context.load_default_certs()


def _has_hash_links(directory: str) -> bool:
    try:
        return any(_HASH_NAME.match(name) for name in os.listdir(directory))
    except OSError:
        return False

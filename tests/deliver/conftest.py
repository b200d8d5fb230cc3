"""The real-program recipes' shared setup: msmtp as the MTA behind `outreach sendmail`, a store."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from outreach.store.db import Store
from tests.servers.smtp import SmtpServer

ME = "alex@morgan.example"
# The installed command, as a mail client's configuration names it (clients run it with a bare
# argv[0], so "python -m" would find another interpreter on PATH).
OUTREACH_BIN = str(Path(sys.executable).parent / "outreach")
OUTREACH = shlex.quote(OUTREACH_BIN)


def need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        pytest.skip(f"{program} is not installed: run scripts/test-deps (as root)")
    return found


@dataclass(frozen=True)
class Home:
    """A user's home: ~/.msmtprc for the test's aiosmtpd, the environment a mail client runs in."""

    path: Path
    env: dict[str, str]
    db: Path
    server: SmtpServer


@pytest.fixture
def msmtp_home(tmp_path, smtp_server) -> Home:
    """OUTREACH_SENDMAIL is msmtp with an account for the test's aiosmtpd; an empty store."""
    msmtp = need("msmtp")
    home = tmp_path / "home"
    home.mkdir()
    msmtprc = home / ".msmtprc"
    msmtprc.write_text(
        "defaults\nauth on\ntls on\ntls_starttls on\n"
        f"tls_trust_file {smtp_server.cert}\n\n"
        f"account work\nhost localhost\nport {smtp_server.port}\nfrom {ME}\n"
        f"user {smtp_server.user}\npassword {smtp_server.password}\n"
    )
    msmtprc.chmod(0o600)
    db = tmp_path / "outreach.db"
    Store.open(db).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    env.update(HOME=str(home), OUTREACH_ENV_FILE=os.devnull, OUTREACH_DB=str(db), OUTREACH_ME=ME,
               OUTREACH_SENDMAIL=f"{msmtp} -C {msmtprc} -a work", XDG_DATA_HOME=str(tmp_path / "data"))
    return Home(home, env, db, smtp_server)

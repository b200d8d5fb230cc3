"""Shared pytest fixtures.  Each area keeps its fixtures in its own marked block."""

from __future__ import annotations

import atexit
import importlib.util
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers.dovecot import Dovecot, dovecot_binary

# ---- home: caches and data in a per-session temp dir, never in the real ~ ---------------------
# Set at import, before any test module loads the rules (test_lint_rules.py does at collection),
# and inherited by the subprocesses tests start; the XDG variables also cover subprocesses that
# drop every OUTREACH_* setting (tests/daemon_proc.py).
_SESSION_HOME = tempfile.mkdtemp(prefix="outreach-test-home-")
os.environ["XDG_CACHE_HOME"] = os.path.join(_SESSION_HOME, "cache")
os.environ["XDG_DATA_HOME"] = os.path.join(_SESSION_HOME, "data")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_SESSION_HOME, "config")
os.environ["XDG_STATE_HOME"] = os.path.join(_SESSION_HOME, "state")
os.environ.pop("OUTREACH_DB", None)  # the default store is then under XDG_DATA_HOME too
atexit.register(shutil.rmtree, _SESSION_HOME, ignore_errors=True)


@pytest.fixture
def no_settings(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No OUTREACH_* setting from the environment or a .env file: the test sets what it needs."""
    for name in list(os.environ):
        if name.startswith("OUTREACH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OUTREACH_ENV_FILE", os.devnull)
    return monkeypatch


# ---- end home ------------------------------------------------------------------------------

# ---- install: the editable install maps the data packages (pyproject.toml) ----------------


def pytest_sessionstart(session: pytest.Session) -> None:
    if importlib.util.find_spec("outreach.rules") is None:
        pytest.exit("outreach.rules is not importable: .venv was installed before pyproject.toml mapped"
                    " rules/, templates/ and examples/ as packages; run `make install`", returncode=2)


# ---- end install ---------------------------------------------------------------------------

# ---- IMAP: a private Dovecot per test session (tests/servers/dovecot.py) --------------

_ROOT = Path(__file__).resolve().parents[1]
_user_numbers = itertools.count(1)


@dataclass(frozen=True)
class ImapUser:
    """A mailbox of its own on the session's Dovecot."""

    name: str
    password: str


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """The session's Dovecot, started once; installs dovecot-imapd first when root and missing."""
    if dovecot_binary() is None and os.getuid() == 0:
        subprocess.run([str(_ROOT / "scripts" / "test-deps")], check=False)
    if dovecot_binary() is None:
        pytest.skip("dovecot is not installed: run scripts/test-deps (as root)")
    server = Dovecot()
    server.start()
    yield server
    server.close()


@pytest.fixture
def imap_user(dovecot: Dovecot) -> ImapUser:
    """A fresh user with empty INBOX, Sent, Drafts and Trash; the server is (re)started if a test stopped it."""
    if not dovecot.running:
        dovecot.start()
    user = ImapUser(f"user{next(_user_numbers)}@example.test", f"pw-{os.urandom(6).hex()}")
    dovecot.add_user(user.name, user.password)
    return user


@pytest.fixture
def imap_account(dovecot: Dovecot, imap_user: ImapUser):
    """outreach.accounts.ImapAccount for ``imap_user``: implicit TLS, trusting the run's certificate."""
    from outreach.accounts import ImapAccount

    return ImapAccount(
        name="test",
        host=dovecot.host,
        port=dovecot.tls_port,
        user=imap_user.name,
        password=imap_user.password,
        ca_file=dovecot.cert,
        timeout=10,
    )


@pytest.fixture
def imap_env(dovecot: Dovecot, imap_user: ImapUser, monkeypatch: pytest.MonkeyPatch) -> ImapUser:
    """OUTREACH_IMAP_* set for ``imap_user`` (as a user would in .env), other accounts cleared."""
    for name in list(os.environ):
        if (name.startswith("OUTREACH_") and "IMAP_" in name) or name == "OUTREACH_ACCOUNTS":
            monkeypatch.delenv(name)
    monkeypatch.setenv("OUTREACH_ENV_FILE", os.devnull)
    monkeypatch.setenv("OUTREACH_IMAP_HOST", dovecot.host)
    monkeypatch.setenv("OUTREACH_IMAP_PORT", str(dovecot.tls_port))
    monkeypatch.setenv("OUTREACH_IMAP_USER", imap_user.name)
    monkeypatch.setenv("OUTREACH_IMAP_PASSWORD", imap_user.password)
    monkeypatch.setenv("OUTREACH_IMAP_CA_FILE", str(dovecot.cert))
    return imap_user


# ---- end IMAP ------------------------------------------------------------------------------


# ---- SMTP: aiosmtpd on loopback with TLS and AUTH (tests/servers/smtp.py) -------------------


@pytest.fixture
def smtp_server(tmp_path_factory):
    """A running aiosmtpd requiring STARTTLS, then AUTH; what it accepted is in ``.received``."""
    from tests.servers.smtp import SmtpServer

    with SmtpServer(tmp_path_factory.mktemp("smtp")) as server:
        yield server


@pytest.fixture
def make_smtp_server(tmp_path_factory):
    """Start extra servers: make_smtp_server(tls="ssl"|"starttls"|"off", mechanisms=("LOGIN",))."""
    from tests.servers.smtp import SmtpServer

    started = []

    def make(**options):
        server = SmtpServer(tmp_path_factory.mktemp("smtp"), **options).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


# ---- end SMTP ------------------------------------------------------------------------------

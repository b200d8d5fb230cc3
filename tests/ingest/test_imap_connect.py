"""Connecting to the session's Dovecot: TLS modes, certificates, logins, secrets kept out of sight."""

from __future__ import annotations

import logging
import ssl
from dataclasses import replace

import pytest

from outreach.accounts import ImapAccount, imap_account
from outreach.cli import main
from outreach.errors import ConfigError, SourceError
from outreach.ingest import sync
from outreach.ingest.sources.imap import (
    ImapAuthError,
    ImapConnectionError,
    ImapSource,
    ImapTLSError,
    ImapUnreachableError,
    connect,
    from_config,
)
from outreach.store.db import Store
from tests.servers.dovecot import free_port
from tests.servers.mail import make_message

pytestmark = pytest.mark.imap


def logged_in(client) -> bool:
    try:
        return client.noop()[0] is not None
    finally:
        client.logout()


def test_implicit_tls_trusts_the_configured_ca_file(imap_account):
    client = connect(imap_account)
    assert isinstance(client._imap.sock, ssl.SSLSocket)
    assert logged_in(client)


def test_untrusted_certificate_is_refused_without_ca_file(imap_account):
    with pytest.raises(ImapTLSError, match="certificate not trusted.*CA_FILE") as caught:
        connect(replace(imap_account, ca_file=None))
    assert isinstance(caught.value, SourceError)


def test_starttls_upgrades_the_plain_port(dovecot, imap_account):
    account = replace(imap_account, tls="starttls", port=dovecot.port)
    client = connect(account)
    assert isinstance(client._imap.sock, ssl.SSLSocket)
    assert logged_in(client)
    with pytest.raises(ImapTLSError, match="not trusted"):
        connect(replace(account, ca_file=None))


def test_tls_off_works_on_loopback_and_is_refused_elsewhere(dovecot, imap_account):
    client = connect(replace(imap_account, tls="off", port=dovecot.port, ca_file=None))
    assert not isinstance(client._imap.sock, ssl.SSLSocket)
    assert logged_in(client)
    with pytest.raises(ConfigError, match="only allowed for a loopback host"):
        ImapAccount(name="x", host="imap.example.com", user="u", password="p", tls="off")


def test_wrong_password_is_a_clear_error_that_does_not_show_it(imap_account):
    with pytest.raises(ImapAuthError, match="login refused") as caught:
        connect(replace(imap_account, password="hunter2-wrong"))
    assert "hunter2-wrong" not in str(caught.value)
    assert imap_account.user in str(caught.value)


def test_nothing_listening_is_reported_at_once_not_retried_as_a_lost_connection(imap_account, tmp_path, caplog):
    account = replace(imap_account, port=free_port())
    with pytest.raises(ImapUnreachableError, match="cannot connect: Connection refused"):
        connect(account)
    caplog.set_level(logging.WARNING)
    # A long backoff: were the refusal retried, the test would sleep for minutes, and log the retries.
    with Store.open(tmp_path / "s.db") as store, pytest.raises(ImapUnreachableError, match="Connection refused"):
        sync.run(store, ImapSource(account, retries=5, backoff=60))
    assert "retry" not in caplog.text and "connection lost" not in caplog.text


def test_an_unknown_host_is_reported_at_once(imap_account, tmp_path):
    account = replace(imap_account, host="no-such-host.invalid")
    with Store.open(tmp_path / "s.db") as store, pytest.raises(ImapUnreachableError, match="cannot connect"):
        sync.run(store, ImapSource(account, retries=5, backoff=60))


def test_secret_never_in_repr_or_logs(dovecot, imap_account, tmp_path, caplog):
    dovecot.append("INBOX", [make_message(1, sender="a@example.org", to=imap_account.user)], user=imap_account.user)
    caplog.set_level(logging.DEBUG)
    source = ImapSource(imap_account)
    with Store.open(tmp_path / "s.db") as store:
        assert sync.run(store, source).new == 1
    secret = imap_account.password
    assert secret not in repr(imap_account)
    assert secret not in repr(source)
    assert secret not in caplog.text


def test_xoauth2_token_from_a_command_run_at_each_login(dovecot, imap_env, monkeypatch, tmp_path):
    token = tmp_path / "token"
    token.write_text(imap_env.password + "\n")  # the test server checks the token like a password
    runs = tmp_path / "runs"
    monkeypatch.delenv("OUTREACH_IMAP_PASSWORD")
    monkeypatch.setenv("OUTREACH_IMAP_AUTH", "xoauth2")
    monkeypatch.setenv("OUTREACH_IMAP_TOKEN_CMD", f"sh -c 'echo run >> {runs}; cat {token}'")

    account = imap_account()
    assert logged_in(connect(account))
    assert logged_in(connect(account))

    assert runs.read_text().count("run") == 2
    assert "XOAUTH2" in dovecot.log.read_text()
    token.write_text("expired\n")
    with pytest.raises(ImapAuthError, match="OAuth2 token"):
        connect(account)


def test_password_command_and_its_failure(imap_env, monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(imap_env.password + "\n")
    monkeypatch.delenv("OUTREACH_IMAP_PASSWORD")
    monkeypatch.setenv("OUTREACH_IMAP_PASSWORD_CMD", f"cat {secret}")
    assert logged_in(connect(imap_account()))

    monkeypatch.setenv("OUTREACH_IMAP_PASSWORD_CMD", f"sh -c 'echo {imap_env.password}; exit 3'")
    with pytest.raises(ConfigError, match="failed with exit status 3") as caught:
        connect(imap_account())
    assert imap_env.password not in str(caught.value)


def test_outreach_sync_uses_the_configured_account(dovecot, imap_env, tmp_path, capsys):
    dovecot.append("INBOX", [make_message(n, sender="a@example.org", to=imap_env.name) for n in range(3)],
                   user=imap_env.name)  # fmt: skip
    db = tmp_path / "outreach.db"

    assert main(["sync", "--quiet", "--db", str(db)]) == 0
    assert from_config(None).sent_folders() == ["Sent"]
    with Store.open(db) as store:
        assert store.counts()["messages"] == 3


def test_outreach_sync_login_failure_is_one_line_and_exit_2(imap_env, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("OUTREACH_IMAP_PASSWORD", "not-the-password")

    assert main(["sync", "--quiet", "--db", str(tmp_path / "outreach.db")]) == 2

    err = capsys.readouterr().err
    assert err.startswith("outreach: error: ") and err.count("\n") == 1
    assert "login refused" in err and "not-the-password" not in err


def test_system_trust_store_is_used_when_no_ca_file_is_set(dovecot, imap_account, monkeypatch, tmp_path):
    """The hashed CA directory (read lazily) and a custom SSL_CERT_FILE bundle both count as system trust."""
    import subprocess

    subject_hash = subprocess.run(
        ["openssl", "x509", "-hash", "-noout", "-in", str(dovecot.cert)], capture_output=True, text=True, check=True
    ).stdout.strip()
    certs = tmp_path / "certs"
    certs.mkdir()
    (certs / f"{subject_hash}.0").write_bytes(dovecot.cert.read_bytes())
    account = replace(imap_account, ca_file=None)

    monkeypatch.setenv("SSL_CERT_DIR", str(certs))
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    assert logged_in(connect(account))

    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.cert))
    assert logged_in(connect(account))


def test_hang_up_during_tls_handshake_is_a_connection_error_worth_retrying(imap_account):
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def hang_up() -> None:
        for _ in range(2):
            try:
                conn, _ = listener.accept()
            except OSError:  # the test closed the listener after fewer attempts: nothing left to hang up
                return
            conn.close()

    threading.Thread(target=hang_up, daemon=True).start()
    try:
        with pytest.raises(ImapConnectionError):
            connect(replace(imap_account, port=port))
    finally:
        listener.close()

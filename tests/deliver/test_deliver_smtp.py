"""Sending over SMTP to a real aiosmtpd on loopback, with TLS and AUTH."""

from __future__ import annotations

import copy
import email.policy
import socket
import threading
from email.parser import BytesParser

import pytest

from outreach import accounts, deliver
from outreach.accounts import SmtpSettings
from outreach.deliver import build_message
from outreach.errors import ConfigError, DeliveryError
from outreach.model import Address
from outreach.notes.compose import Note

pytestmark = [
    pytest.mark.smtp,
    # The test server allows AUTH without STARTTLS on implicit-TLS and loopback-plain listeners.
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning"),
]

ME = Address("alice@example.test", "Alice Example")


def draft_message(bcc: tuple[str, ...] = ()):
    draft = Note(Address("bob@example.org", "Bob"), "Congratulations, Bob",
                  "Hi Bob,\n\nCongratulations on the launch. No need to reply.\n\nAlice\n", bcc=bcc)
    return build_message(draft, ME)


def settings_for(server, **changes) -> SmtpSettings:
    values = dict(host="localhost", port=server.port, tls=server.tls, user=server.user,
                  password=server.password, ca_file=server.cert, timeout=10)
    values.update(changes)
    return SmtpSettings(**values)


def as_received(data: bytes):
    return BytesParser(policy=email.policy.default).parsebytes(data)


@pytest.mark.parametrize(("tls", "mechanism"), [("starttls", "PLAIN"), ("starttls", "LOGIN"), ("ssl", "PLAIN")])
def test_send_delivers_exactly_the_message(make_smtp_server, tls, mechanism):
    server = make_smtp_server(tls=tls, mechanisms=(mechanism,))
    msg = draft_message(bcc=("carol@example.org",))
    accepted = deliver.send(msg, settings_for(server))
    assert accepted == ["bob@example.org", "carol@example.org"]
    assert server.logins == [(mechanism, True)]
    [got] = server.received
    assert got.mail_from == "alice@example.test"
    assert got.rcpt_tos == ("bob@example.org", "carol@example.org")
    assert as_received(got.data)["Bcc"] is None  # the blind copy is in the envelope only
    expected = copy.deepcopy(msg)
    del expected["Bcc"]
    assert got.data == expected.as_bytes(policy=email.policy.SMTP)


def test_wrong_password_is_refused_and_nothing_is_sent(smtp_server):
    with pytest.raises(DeliveryError, match=r"login as alice@example.test refused \(535"):
        deliver.send(draft_message(), settings_for(smtp_server, password="not the password"))
    assert smtp_server.received == []


def test_error_messages_never_show_the_password(smtp_server):
    secret = "hunter2-very-secret"
    settings = settings_for(smtp_server, password=secret)
    assert secret not in repr(settings)
    with pytest.raises(DeliveryError) as caught:
        deliver.send(draft_message(), settings)
    assert secret not in str(caught.value)


@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_untrusted_certificate_is_refused_unless_its_ca_is_given(make_smtp_server, tls):
    server = make_smtp_server(tls=tls)
    with pytest.raises(DeliveryError, match="certificate not trusted.*OUTREACH_SMTP_CA_FILE"):
        deliver.send(draft_message(), settings_for(server, ca_file=None))
    assert server.received == []
    deliver.send(draft_message(), settings_for(server))
    assert len(server.received) == 1


def test_certificate_must_match_the_host_name(smtp_server, tmp_path):
    # The test certificate names localhost and 127.0.0.1, not ::1 or another name.
    with pytest.raises(DeliveryError):
        deliver.send(draft_message(), settings_for(smtp_server, host="127.0.0.2"))
    assert smtp_server.received == []


def test_plain_connection_only_to_loopback(make_smtp_server, monkeypatch):
    server = make_smtp_server(tls="off")
    deliver.send(draft_message(), settings_for(server, host="127.0.0.1", ca_file=None))
    assert len(server.received) == 1
    monkeypatch.setenv("OUTREACH_SMTP_HOST", "smtp.example.com")
    monkeypatch.setenv("OUTREACH_SMTP_TLS", "off")
    with pytest.raises(ConfigError, match="only allowed for a loopback host"):
        accounts.smtp_settings()


def test_starttls_required_when_the_server_does_not_offer_it(make_smtp_server):
    server = make_smtp_server(tls="off")
    with pytest.raises(DeliveryError):
        deliver.send(draft_message(), settings_for(server, tls="starttls"))
    assert server.received == []


def test_settings_from_environment_with_a_password_command(monkeypatch, smtp_server, tmp_path):
    script = tmp_path / "secret.sh"
    script.write_text(f"#!/bin/sh\necho '{smtp_server.password}'\n")
    script.chmod(0o700)
    for key, value in {"HOST": "localhost", "PORT": str(smtp_server.port), "USER": smtp_server.user,
                       "PASSWORD_CMD": str(script), "CA_FILE": str(smtp_server.cert)}.items():
        monkeypatch.setenv(f"OUTREACH_SMTP_{key}", value)
    monkeypatch.delenv("OUTREACH_SMTP_TLS", raising=False)
    settings = accounts.smtp_settings()
    assert (settings.tls, settings.password) == ("starttls", smtp_server.password)
    assert accounts.smtp_settings(secret=False).password is None
    deliver.send(draft_message(), settings)
    assert len(smtp_server.received) == 1


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "OUTREACH_SMTP_HOST is not set"),
        ({"HOST": "h", "TLS": "maybe"}, "expected one of ssl, starttls, off"),
        ({"HOST": "h", "PORT": "smtp"}, "expected a port number"),
        ({"HOST": "h", "CA_FILE": "/nonexistent/ca.pem"}, "no such file"),
        ({"HOST": "h", "PASSWORD": "x"}, "OUTREACH_SMTP_USER is not"),
        ({"HOST": "h", "USER": "u", "PASSWORD": "x", "PASSWORD_CMD": "echo x"}, "set only one"),
        ({"HOST": "h", "USER": "u", "PASSWORD_CMD": "false"}, "failed with exit status 1"),
    ],
)
def test_bad_smtp_settings_are_clear_errors(monkeypatch, env, message):
    for key in ("HOST", "PORT", "TLS", "USER", "PASSWORD", "PASSWORD_CMD", "CA_FILE"):
        monkeypatch.delenv(f"OUTREACH_SMTP_{key}", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(f"OUTREACH_SMTP_{key}", value)
    with pytest.raises(ConfigError, match=message):
        accounts.smtp_settings()


def test_a_wrong_password_is_tried_once_not_once_per_mechanism(make_smtp_server):
    # A second guess after a refusal is what some servers answer with silence (a read timeout).
    server = make_smtp_server(mechanisms=("PLAIN", "LOGIN"))
    with pytest.raises(DeliveryError, match="login as alice@example.test refused"):
        deliver.send(draft_message(), settings_for(server, password="wrong"))
    assert server.logins == [("PLAIN", False)]
    assert server.received == []


def test_a_refused_connection_is_told_apart_from_a_lost_one(tmp_path):
    from tests.servers.dovecot import free_port

    nobody = free_port()  # nothing listens there
    with pytest.raises(DeliveryError, match=r"connection refused \(is the server running") as refused:
        deliver.send(draft_message(), SmtpSettings("127.0.0.1", nobody, tls="off", timeout=10))
    assert "lost" not in str(refused.value)

    # A server that greets, reads one command and hangs up: the connection was made, then lost.
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def hang_up() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.sendall(b"220 smtp.example ESMTP\r\n")
            conn.recv(1024)

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    try:
        with pytest.raises(DeliveryError, match="connection lost") as lost:
            deliver.send(draft_message(), SmtpSettings("127.0.0.1", port, tls="off", timeout=10))
        assert "refused" not in str(lost.value)
    finally:
        thread.join(5)
        listener.close()


def test_resent_headers_never_choose_the_recipients(smtp_server):
    msg = draft_message()
    msg["Resent-To"] = "someone@else.example"
    msg["Resent-From"] = "alice@example.test"
    assert deliver.send(msg, settings_for(smtp_server)) == ["bob@example.org"]
    [got] = smtp_server.received
    assert got.rcpt_tos == ("bob@example.org",)
    assert b"Resent-" not in got.data and b"someone@else" not in got.data

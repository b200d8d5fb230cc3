"""A private aiosmtpd SMTP server on loopback for delivery tests.

TLS uses a self-signed certificate made for the run with the openssl command
(shared with the Dovecot fixture); AUTH (PLAIN and LOGIN) checks one user and
password.  Every accepted message is kept, as received, in ``server.received``.

    with SmtpServer(tmp_path, tls="starttls") as server:
        ...  # send to server.host:server.port, trusting server.cert
        assert len(server.received) == 1
"""

from __future__ import annotations

import ssl
import threading
from dataclasses import dataclass
from pathlib import Path

from tests.servers.dovecot import free_port, make_certificate

DEFAULT_USER = "alice@example.test"
DEFAULT_PASSWORD = "open sesame, said the postman"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes  # the message as transmitted (CRLF line ends)


class _Recorder:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook name)
        with self.lock:
            self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


class SmtpServer:
    """One aiosmtpd instance: tls is 'starttls' (required before AUTH), 'ssl' or 'off'."""

    host = "127.0.0.1"

    def __init__(self, root: Path, *, tls: str = "starttls", user: str = DEFAULT_USER,
                 password: str = DEFAULT_PASSWORD, mechanisms: tuple[str, ...] = ("PLAIN", "LOGIN")):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        root.mkdir(parents=True, exist_ok=True)
        self.cert, self.key = make_certificate(root, "smtp-localhost")
        self.user, self.password, self.tls = user, password, tls
        self.logins: list[tuple[str, bool]] = []  # (mechanism, accepted)
        self._recorder = _Recorder()
        self.port = free_port()

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = (
                auth_data is not None
                and auth_data.login.decode() == self.user
                and auth_data.password.decode() == self.password
            )
            self.logins.append((mechanism, ok))
            return AuthResult(success=ok, handled=False)

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        options: dict = dict(
            hostname=self.host,
            port=self.port,
            authenticator=authenticate,
            auth_required=True,
            # aiosmtpd only counts STARTTLS as TLS; with implicit TLS the whole session is encrypted.
            auth_require_tls=tls == "starttls",
            server_hostname="localhost",
            auth_exclude_mechanism=[m for m in ("PLAIN", "LOGIN") if m not in mechanisms],
        )
        if tls == "ssl":
            options["ssl_context"] = context
        elif tls == "starttls":
            options.update(tls_context=context, require_starttls=True)
        self._controller = Controller(self._recorder, **options)

    @property
    def received(self) -> list[Received]:
        with self._recorder.lock:
            return list(self._recorder.received)

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

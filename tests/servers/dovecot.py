"""A private Dovecot IMAP server for tests and benchmarks.

Each instance lives in its own directory: config file, base_dir (sockets, pid),
a passwd-file of users, Maildirs, a log, and a self-signed certificate made for
the run with the openssl command.  It listens on two free loopback ports, one
plain (STARTTLS offered, PLAIN allowed because loopback counts as secure) and
one with implicit TLS.  Everything runs as the current user, so no root is
needed to run it (root is only needed once, by scripts/test-deps, to install).

    with Dovecot(tmp_path) as server:
        server.append("INBOX", [b"Subject: hi\\r\\n\\r\\nhello\\r\\n"])
        client = server.client()

stop()/start()/restart() keep the ports, users and mail, which is what
"server restarted mid-sync" tests need.
"""

from __future__ import annotations

import atexit
import contextlib
import grp
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

DEFAULT_USER = "alice@example.test"
DEFAULT_PASSWORD = "correct horse battery staple"
APPEND_CHUNK = 500  # messages per MULTIAPPEND command


class DovecotUnavailable(RuntimeError):
    """Dovecot is not installed (run scripts/test-deps)."""


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)), None
    )


def doveadm_binary() -> str | None:
    return shutil.which("doveadm") or next(
        (p for p in ("/usr/bin/doveadm", "/usr/local/bin/doveadm") if os.access(p, os.X_OK)), None
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: have the kernel stop this server if the test process dies (Linux)."""
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _mail_owner() -> tuple[int, int]:
    """Who owns the mail: the current user, or nobody when root (Dovecot refuses uid 0)."""
    if os.getuid() != 0:
        return os.getuid(), os.getgid()
    nobody = pwd.getpwnam("nobody")
    return nobody.pw_uid, nobody.pw_gid


def make_certificate(directory: Path, name: str = "localhost") -> tuple[Path, Path]:
    """A self-signed certificate valid for localhost and 127.0.0.1: (cert, key)."""
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "2", "-subj", f"/CN={name}",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )
    key.chmod(0o600)
    return cert, key


class Dovecot:
    """One private Dovecot instance rooted at ``root`` (created if missing)."""

    host = "127.0.0.1"

    def __init__(
        self, root: Path | None = None, user: str = DEFAULT_USER, password: str = DEFAULT_PASSWORD
    ):
        binary = dovecot_binary()
        if binary is None:
            raise DovecotUnavailable("dovecot is not installed: run scripts/test-deps (needs root for apt-get)")
        self.binary = binary
        # Short and world-traversable by default: unix socket paths are limited to
        # ~100 bytes, and Dovecot's unprivileged processes must reach their files.
        self._own_root = root is None
        self.root = Path(tempfile.mkdtemp(prefix="outreach-dovecot-")) if root is None else Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        self.user, self.password = user, password
        self.port = free_port()  # plain IMAP, STARTTLS available
        self.tls_port = free_port()  # implicit TLS
        self.cert, self.key = make_certificate(self.root)
        self.base_dir = self.root / "run"
        self.config = self.root / "dovecot.conf"
        self.log = self.root / "dovecot.log"
        self.passwd = self.root / "passwd"  # a directory: one passwd-file per user
        self._users: dict[str, str] = {}
        self._process: subprocess.Popen[bytes] | None = None
        self._atexit = False
        self._mail_uid, self._mail_gid = _mail_owner()
        mail = self.root / "mail"
        mail.mkdir(exist_ok=True)
        os.chown(mail, self._mail_uid, self._mail_gid)
        self.passwd.mkdir(mode=0o700)
        self.add_user(user, password)
        self._write_config()

    # -- lifecycle -------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> None:
        if self.running:
            return
        # Foreground (-F) so the server is our child: no pid-file games, and it
        # cannot outlive the test run unnoticed.
        self._process = subprocess.Popen(
            [self.binary, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=open(self.root / "dovecot.stderr", "ab"),  # noqa: SIM115 - child keeps it
            start_new_session=True,
            # Only from the main thread: the kernel ties this to the spawning thread's exit.
            preexec_fn=_die_with_parent if threading.current_thread() is threading.main_thread() else None,
        )
        if not self._atexit:
            atexit.register(self.stop)
            self._atexit = True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"dovecot exited with {self._process.returncode}:\n{self._diagnostics()}")
            if self._answers():
                return
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"dovecot did not answer on {self.host}:{self.port}:\n{self._diagnostics()}")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server; every open IMAP connection is dropped."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        # The master is gone; make sure no imap child keeps a client half-alive.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def __enter__(self) -> Dovecot:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the server; remove its directory unless the caller chose it."""
        self.stop()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def kick(self, user: str | None = None) -> None:
        """Drop the user's open connections, leaving the server running."""
        binary = doveadm_binary() or "doveadm"
        done = subprocess.run(
            [binary, "-c", str(self.config), "kick", user or self.user], capture_output=True, text=True
        )
        if done.returncode not in (0, 68):  # 68: nobody was connected
            raise RuntimeError(f"doveadm kick: exit {done.returncode}: {done.stderr.strip()}")

    # -- users and folders -----------------------------------------------------

    def add_user(self, user: str, password: str) -> None:
        """Add a user, or change a password (one passwd-file per user: a new file is read at
        once; a changed one is reread by Dovecot within about a second)."""
        if "/" in user or user.startswith("."):
            raise ValueError(f"unusable user name {user!r}")
        self._users[user] = password
        path = self.passwd / user
        before = path.stat().st_mtime if path.exists() else None
        path.write_text(f"{user}:{{PLAIN}}{password}::::::\n")
        path.chmod(0o600)
        if before is not None:
            # A changed password: make sure the whole-second mtime Dovecot compares moves on.
            stamp = max(time.time(), before + 1)
            os.utime(path, (stamp, stamp))

    def maildir(self, user: str | None = None) -> Path:
        return self.root / "mail" / (user or self.user)

    def create_folder(self, folder: str, user: str | None = None) -> None:
        self.doveadm("mailbox", "create", "-u", user or self.user, folder)

    def delete_folder(self, folder: str, user: str | None = None) -> None:
        self.doveadm("mailbox", "delete", "-u", user or self.user, "-s", folder)

    def recreate_folder(self, folder: str, user: str | None = None) -> None:
        """Delete and create a folder again: it comes back empty with a new UIDVALIDITY."""
        self.delete_folder(folder, user)
        self.create_folder(folder, user)

    def wipe_folder(self, folder: str, user: str | None = None) -> None:
        """Expunge every message (UIDVALIDITY unchanged; works for INBOX too)."""
        self.doveadm("expunge", "-u", user or self.user, "mailbox", folder, "all")

    def status(self, folder: str, user: str | None = None) -> dict[str, int]:
        """messages, uidvalidity, uidnext, highestmodseq of a folder, via doveadm."""
        out = self.doveadm(
            "-f", "flow", "mailbox", "status", "-u", user or self.user,
            "messages uidvalidity uidnext highestmodseq", folder,
        )
        # flow output: "INBOX messages=3 uidnext=4 ..." (the folder name may contain spaces)
        fields = [f.split("=", 1) for f in out.split() if "=" in f]
        return {k: int(v) for k, v in fields}

    def doveadm(self, *args: str) -> str:
        binary = doveadm_binary()
        if binary is None:
            raise DovecotUnavailable("doveadm is not installed: run scripts/test-deps")
        done = subprocess.run([binary, "-c", str(self.config), *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)}: exit {done.returncode}: {done.stderr.strip()}")
        return done.stdout

    # -- clients and mail ------------------------------------------------------

    def ssl_context(self) -> ssl.SSLContext:
        """A context that trusts this server's certificate (and nothing else)."""
        return ssl.create_default_context(cafile=str(self.cert))

    def client(self, user: str | None = None, password: str | None = None, tls: bool = False):
        """A logged-in imapclient.IMAPClient (plain on loopback, or implicit TLS)."""
        from imapclient import IMAPClient

        user = user or self.user
        if tls:
            client = IMAPClient(self.host, self.tls_port, ssl=True, ssl_context=self.ssl_context(), timeout=30)
        else:
            client = IMAPClient(self.host, self.port, ssl=False, timeout=30)
        client.login(user, password if password is not None else self._users[user])
        return client

    @contextlib.contextmanager
    def session(self, user: str | None = None) -> Iterator:
        client = self.client(user)
        try:
            yield client
        finally:
            with contextlib.suppress(Exception):
                client.logout()

    def append(
        self,
        folder: str,
        messages: Iterable[bytes],
        *,
        flags: Sequence[str] = (),
        user: str | None = None,
        chunk: int = APPEND_CHUNK,
    ) -> int:
        """APPEND messages with MULTIAPPEND, ``chunk`` per command; returns how many."""
        flag_list = [f.encode() if isinstance(f, str) else f for f in flags]
        count = 0
        with self.session(user) as client:
            batch: list[dict] = []
            for data in messages:
                batch.append({"msg": data, "flags": flag_list})
                if len(batch) >= chunk:
                    client.multiappend(folder, batch)
                    count += len(batch)
                    batch = []
            if batch:
                client.multiappend(folder, batch)
                count += len(batch)
        return count

    def sessions(self, user: str | None = None, at_least: int = 0, timeout: float = 5.0) -> list[dict[str, int]]:
        """Counters of the user's finished IMAP sessions, oldest first, from the server log:
        in/out bytes and hdr_count/body_count (messages whose header/body were fetched).

        The log line is written just after the client leaves, so wait for ``at_least`` lines.
        """
        marker = f"imap({user or self.user})"
        deadline = time.monotonic() + timeout
        while True:
            found = []
            for line in self.log.read_text(errors="replace").splitlines():
                if marker in line and "Disconnected" in line and " in=" in line:
                    fields = [f.split("=", 1) for f in line.split() if "=" in f]
                    found.append({k: int(v) for k, v in fields if v.isdigit()})
            if len(found) >= at_least or time.monotonic() > deadline:
                return found
            time.sleep(0.02)

    # -- internals -------------------------------------------------------------

    def _answers(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=1) as s:
                return s.recv(64).startswith(b"* OK")
        except OSError:
            return False

    def _diagnostics(self) -> str:
        parts = []
        for path in (self.root / "dovecot.stderr", self.log):
            if path.exists():
                parts.append(path.read_text(errors="replace")[-4000:])
        return "\n".join(parts)

    def _write_config(self) -> None:
        uid, gid = os.getuid(), os.getgid()
        me = pwd.getpwuid(uid).pw_name
        group = grp.getgrgid(gid).gr_name
        login_user, internal_user, internal_group = me, me, group
        if uid == 0:
            # Dovecot refuses to run login and internal services as root: use the
            # unprivileged users the Debian package creates.
            login_user, internal_user = "dovenull", "dovecot"
            internal_group = grp.getgrgid(pwd.getpwnam("dovecot").pw_gid).gr_name
        base = self.base_dir
        base.mkdir(exist_ok=True)
        uid, gid = self._mail_uid, self._mail_gid
        self.config.write_text(
            CONFIG_TEMPLATE.format(
                root=self.root,
                base=base,
                login_user=login_user,
                internal_user=internal_user,
                internal_group=internal_group,
                auth_user=me,
                uid=uid,
                gid=gid,
                port=self.port,
                tls_port=self.tls_port,
                cert=self.cert,
                key=self.key,
                passwd=self.passwd,
                log=self.log,
            )
        )


# No chroot; services run as the invoking user (or, under root, Debian's dovenull,
# dovecot and nobody users), so the instance needs no system-wide set-up.

CONFIG_TEMPLATE = """\
# Generated for one test run; see tests/servers/dovecot.py
base_dir = {base}
state_dir = {root}/state
instance_name = outreach-test-{port}
log_path = {log}
info_log_path = {log}
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login xoauth2
auth_failure_delay = 0
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = {uid}
last_valid_uid = 0
first_valid_gid = {gid}
mail_location = maildir:{root}/mail/%u
mail_fsync = never
mail_max_userip_connections = 200
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {passwd}/%u
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
  mailbox Trash {{
    special_use = \\Trash
    auto = create
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  # No growing delay for an address after failed logins: tests fail logins on purpose.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service auth {{
  user = {auth_user}
}}
service auth-worker {{
  user = {auth_user}
}}
"""

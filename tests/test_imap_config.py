"""IMAP account settings and folder-role discovery (no server needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from outreach.accounts import IMAP_DEFAULT_FOLDERS, ImapAccount, imap_account, imap_account_names
from outreach.errors import ConfigError
from outreach.imap import find_role


@pytest.fixture
def env(no_settings, monkeypatch):

    def set_(**values: str) -> None:
        for key, value in values.items():
            monkeypatch.setenv(f"OUTREACH_{key}", value)

    return set_


def test_single_account_defaults(env):
    env(IMAP_HOST="imap.example.com", IMAP_USER="alex@example.com", IMAP_PASSWORD="s3cret")
    account = imap_account()
    assert (account.name, account.tls, account.port, account.auth) == ("default", "ssl", 993, "password")
    assert account.folders == IMAP_DEFAULT_FOLDERS == ("INBOX", "\\Sent", "\\Drafts")
    assert account.secret() == "s3cret"
    assert "s3cret" not in repr(account)
    assert account.label == "alex@example.com@imap.example.com:993"


def test_starttls_port_folders_and_timeout(env, tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    env(IMAP_HOST="mail.example.org", IMAP_USER="a", IMAP_PASSWORD="p", IMAP_TLS="STARTTLS",
        IMAP_FOLDERS="INBOX, \\Sent ,Archive/2024", IMAP_TIMEOUT="5", IMAP_CA_FILE=str(ca))  # fmt: skip
    account = imap_account()
    assert (account.tls, account.port, account.timeout, account.ca_file) == ("starttls", 143, 5.0, Path(ca))
    assert account.folders == ("INBOX", "\\Sent", "Archive/2024")


def test_several_accounts_by_name(env):
    env(ACCOUNTS="work,home", WORK_IMAP_HOST="imap.work.example", WORK_IMAP_USER="me@work.example",
        WORK_IMAP_PASSWORD="w", HOME_IMAP_HOST="imap.home.example", HOME_IMAP_USER="me@home.example",
        HOME_IMAP_PASSWORD_CMD="pass home")  # fmt: skip
    assert imap_account_names() == ["work", "home"]
    assert imap_account("work").host == "imap.work.example"
    assert imap_account("home").secret_setting == "HOME_IMAP_PASSWORD"
    with pytest.raises(ConfigError, match=r"several IMAP accounts are configured \(work, home\).*--account"):
        imap_account()
    with pytest.raises(ConfigError, match="no IMAP account named 'play'"):
        imap_account("play")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "no IMAP account configured: set OUTREACH_IMAP_HOST"),
        ({"IMAP_HOST": "h"}, "OUTREACH_IMAP_USER is not set"),
        ({"IMAP_HOST": "h", "IMAP_USER": "u"}, "set OUTREACH_IMAP_PASSWORD or OUTREACH_IMAP_PASSWORD_CMD"),
        ({"IMAP_HOST": "h", "IMAP_USER": "u", "IMAP_AUTH": "xoauth2", "IMAP_PASSWORD": "p"},
         "set OUTREACH_IMAP_TOKEN or OUTREACH_IMAP_TOKEN_CMD"),
        ({"IMAP_HOST": "h", "IMAP_USER": "u", "IMAP_PASSWORD": "p", "IMAP_TLS": "off"},
         "only allowed for a loopback host"),
        ({"IMAP_HOST": "h", "IMAP_USER": "u", "IMAP_PASSWORD": "p", "IMAP_TLS": "maybe"}, "expected one of"),
        ({"IMAP_HOST": "h", "IMAP_USER": "u", "IMAP_PASSWORD": "p", "IMAP_PORT": "imap"}, "expected a port"),
        ({"IMAP_HOST": "h", "IMAP_USER": "u", "IMAP_PASSWORD": "p", "IMAP_CA_FILE": "/nonexistent/ca.pem"},
         "no such file"),
        ({"IMAP_HOST": "h", "IMAP_USER": "u", "IMAP_PASSWORD": "p", "IMAP_PASSWORD_CMD": "pass x"},
         "only one of"),
        ({"ACCOUNTS": "work,bad-name"}, "not a valid account name"),
    ],
)  # fmt: skip
def test_invalid_settings_are_named(env, values, message):
    env(**values)
    with pytest.raises(ConfigError, match=message):
        imap_account().secret()


def test_tls_off_is_accepted_for_loopback_names():
    for host in ("localhost", "127.0.0.1", "::1"):
        assert ImapAccount(name="t", host=host, user="u", password="p", tls="off").port == 143


def test_special_use_wins_over_names_and_common_names_are_the_fallback():
    assert find_role({"INBOX": (), "Sent": (), "Gesendet": (b"\\Sent",)}, "\\Sent") == "Gesendet"
    assert find_role({"INBOX": (), "Sent Items": (b"\\HasNoChildren",)}, "\\Sent") == "Sent Items"
    assert find_role({"INBOX": (), "[Gmail]/Sent Mail": ()}, "\\Sent") == "[Gmail]/Sent Mail"
    assert find_role({"INBOX": (), "drafts": ()}, "\\Drafts") == "drafts"
    assert find_role({"INBOX": (), "Archive": ()}, "\\Sent") is None


def test_no_account_points_to_what_an_installed_outreach_has(no_settings, capsys) -> None:
    # .env.example is in the checkout, not in the wheel: point to `outreach config` and the README section
    from outreach.cli import main

    assert main(["sync", "--quiet", "--db", "unused.db"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("outreach: error: no IMAP account configured"), lines
    assert ".env.example" not in lines[0]
    assert "'outreach config'" in lines[0] and "'Configure an account' in the README" in lines[0]
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert "\n## Configure an account\n" in readme

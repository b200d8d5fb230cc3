"""Settings: environment, then ./.env (or $OUTREACH_ENV_FILE), then $XDG_CONFIG_HOME/outreach/config;
`outreach config` tells where each came from; bad settings are one line and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from outreach import config, paths, settings
from outreach.errors import ConfigError

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample-maildir"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory and config home, and no OUTREACH_ variable in the environment."""
    for name in list(os.environ):
        if name.startswith("OUTREACH_"):
            monkeypatch.delenv(name)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def write_config(home: Path, text: str, mode: int = 0o600) -> Path:
    path = home / "config" / "outreach" / "config"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def cli(home: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    env.update(XDG_CONFIG_HOME=str(home / "config"), **{f"OUTREACH_{k}": v for k, v in settings.items()})
    return subprocess.run([sys.executable, "-m", "outreach", *args], cwd=home / "work", env=env,
                          capture_output=True, text=True, timeout=120)


def one_line_error(done: subprocess.CompletedProcess[str], *words: str) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("outreach: error: "), done.stderr
    assert all(word in lines[0] for word in words), lines[0]
    return lines[0]


def test_environment_then_dotenv_then_config_file(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(home, "OUTREACH_NAME=From Config\nOUTREACH_ME=config@example.org\nOUTREACH_SUGGEST_BUDGET=3\n")
    (home / "work" / ".env").write_text("OUTREACH_ME=dotenv@example.org\nOUTREACH_SUGGEST_BUDGET=2\nOTHER_TOOL=x\n")
    monkeypatch.setenv("OUTREACH_SUGGEST_BUDGET", "1")
    assert config.suggest_budget() == 1
    assert config.my_addresses() == ["dotenv@example.org"]
    assert config.user_name() == "From Config"
    origins = {s.name: s.origin for s in settings.settings()}
    assert origins == {
        "OUTREACH_SUGGEST_BUDGET": settings.ENVIRONMENT,
        "OUTREACH_ME": str(home / "work" / ".env"),
        "OUTREACH_NAME": str(home / "config" / "outreach" / "config"),
    }


def test_env_file_replaces_dotenv_and_must_exist(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / "work" / ".env").write_text("OUTREACH_ME=dotenv@example.org\n")
    named = home / "mine.env"
    named.write_text("OUTREACH_ME=named@example.org\n")
    monkeypatch.setenv("OUTREACH_ENV_FILE", str(named))
    assert config.my_addresses() == ["named@example.org"]
    monkeypatch.setenv("OUTREACH_ENV_FILE", str(home / "missing.env"))
    with pytest.raises(ConfigError, match="OUTREACH_ENV_FILE=.*missing.env.*no such file"):
        config.my_addresses()
    one_line_error(cli(home, "config", ENV_FILE=str(home / "missing.env")), "OUTREACH_ENV_FILE", "no such file")


def test_a_world_readable_config_file_with_a_password_is_refused(home: Path) -> None:
    path = write_config(home, "OUTREACH_SMTP_HOST=smtp.example.org\nOUTREACH_SMTP_USER=alex\n"
                        "OUTREACH_SMTP_PASSWORD=hunter2\n", 0o644)
    line = one_line_error(cli(home, "config"), str(path), "chmod 600")
    assert "hunter2" not in line
    path.chmod(0o600)
    assert cli(home, "config").returncode == 0
    write_config(home, "OUTREACH_NAME=Alex\n", 0o644)  # nothing secret in it: readable is fine
    assert cli(home, "config").returncode == 0


def test_config_shows_origins_and_masks_secrets(home: Path) -> None:
    path = write_config(home, "OUTREACH_SMTP_HOST=smtp.example.org\nOUTREACH_SMTP_USER=alex\n"
                        "OUTREACH_SMTP_PASSWORD=hunter2\nOUTREACH_IMAP_PASSWORD_CMD=pass show imap\n")
    (home / "work" / ".env").write_text("OUTREACH_ME=alex@example.org\n")
    done = cli(home, "config", WORK_IMAP_TOKEN="tok-123", NAME="Alex")
    assert done.returncode == 0, done.stderr
    assert "hunter2" not in done.stdout and "tok-123" not in done.stdout
    rows = {line.split()[0]: line for line in done.stdout.splitlines() if line.startswith("OUTREACH_")}
    assert rows["OUTREACH_SMTP_PASSWORD"].split()[1:] == ["********", "file", str(path)]
    assert rows["OUTREACH_WORK_IMAP_TOKEN"].split()[1:] == ["********", "environment"]
    assert "pass show imap" in rows["OUTREACH_IMAP_PASSWORD_CMD"]  # a command is not the secret
    assert rows["OUTREACH_ME"].split()[1:] == ["alex@example.org", "file", str(home / "work" / ".env")]
    assert rows["OUTREACH_NAME"].split()[1:] == ["Alex", "environment"]


def test_lock_and_state_live_under_xdg_state_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    first, second = paths.lock_path(home / "a" / "outreach.db"), paths.lock_path(home / "b" / "outreach.db")
    assert first.parent == home / "state" / "outreach" / "locks"
    assert first != second and first.name.startswith("outreach.db-")


# -- issue 14, fault 9: settings that were accepted silently ------------------------------------


def test_an_address_list_without_addresses_is_refused(home: Path) -> None:
    done = cli(home, "sync", "--quiet", "--maildir", str(SAMPLE), "--db", str(home / "x.db"), ME=",,,")
    one_line_error(done, "OUTREACH_ME", "no address")
    one_line_error(cli(home, "sync", "--maildir", str(SAMPLE), "--db", str(home / "x.db"), ME="alex, bo@x.org"),
                   "OUTREACH_ME", "'alex'")


@pytest.mark.parametrize("garbage", [
    "this is not a settings file\nat all\n",
    "OUTREACH_ME\n",
    "\x00\x01\x02\x03binary=\n",
    "=value\n",
])
def test_a_garbage_env_file_is_refused_naming_the_line(home: Path, garbage: str) -> None:
    (home / "work" / ".env").write_text("# mine\nOUTREACH_NAME=Alex\n" + garbage)
    one_line_error(cli(home, "config"), str(home / "work" / ".env") + ":3", "KEY=value")
    one_line_error(cli(home, "templates"), ".env:3")


def test_an_env_file_that_is_not_text_is_refused(home: Path) -> None:
    (home / "work" / ".env").write_bytes(bytes(range(128, 256)) * 4)
    one_line_error(cli(home, "config"), ".env", "not a text file")


def test_the_config_file_holds_only_outreach_settings(home: Path) -> None:
    path = write_config(home, "OUTREACH_NAME=Alex\nIMAP_HOST=imap.example.org\n")
    one_line_error(cli(home, "config"), f"{path}:2", "IMAP_HOST", "not an outreach setting")


def test_a_templates_dir_that_is_a_file_is_refused(home: Path) -> None:
    (home / "notes.j2").write_text("Hello")
    done = cli(home, "templates", TEMPLATES_DIR=str(home / "notes.j2"))
    one_line_error(done, "OUTREACH_TEMPLATES_DIR", "not a folder")


def test_config_shows_everything_but_marks_an_unusable_setting_and_exits_2(home: Path) -> None:
    (home / "notes.j2").write_text("Hello")
    done = cli(home, "config", ME=",,,", NAME="Alex", TEMPLATES_DIR=str(home / "notes.j2"))
    line = one_line_error(done, "OUTREACH_ME", "no address", "(and 1 more unusable setting, shown above)")
    assert "OUTREACH_TEMPLATES_DIR" not in line  # one line: the first reason, and how many more
    rows = {row.split()[0]: row for row in done.stdout.splitlines() if row.startswith("OUTREACH_")}
    assert set(rows) == {"OUTREACH_ME", "OUTREACH_NAME", "OUTREACH_TEMPLATES_DIR"}  # every setting still shown
    assert "unusable: " in rows["OUTREACH_ME"] and "no address" in rows["OUTREACH_ME"]
    assert "unusable: " in rows["OUTREACH_TEMPLATES_DIR"] and "not a folder" in rows["OUTREACH_TEMPLATES_DIR"]
    assert "unusable" not in rows["OUTREACH_NAME"]
    assert "store " in done.stdout and "locks " in done.stdout  # the files are still listed


def test_config_reports_a_broken_account_without_running_password_commands(home: Path) -> None:
    marker = home / "ran"
    done = cli(home, "config", IMAP_HOST="imap.example.org", IMAP_USER="alex", IMAP_PORT="huge",
               IMAP_PASSWORD_CMD=f"touch {marker}", SMTP_HOST="smtp.example.org", SMTP_PASSWORD_CMD=f"touch {marker}")
    one_line_error(done, "OUTREACH_IMAP_PORT", "port number")
    assert "unusable" in next(r for r in done.stdout.splitlines() if r.startswith("OUTREACH_IMAP_PORT"))
    assert not marker.exists()
    # the SMTP password command without a user is a problem that names a setting not shown as set
    assert "OUTREACH_SMTP_USER" in done.stdout

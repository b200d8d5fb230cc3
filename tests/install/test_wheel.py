"""The wheel as a user gets it: built from the checkout, installed into a fresh virtual environment
outside it, and run from an empty directory with nothing of the checkout or the user's home in
reach.  This is what `pipx install .` does; a command that only works beside the repository's
rules/, templates/ or examples/ folders fails here.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = json.loads((ROOT / "examples" / "sample-manifest.json").read_text(encoding="utf-8"))
ASKING_DRAFT = ("To: sam@example.org\nSubject: A favour\n\n"
                "Hi Sam,\n\nCould you lend me $5,000 until my contract starts?\n\nJo\n")

pytestmark = pytest.mark.wheel


class Installed:
    """The fresh environment, and a way to run its `outreach` from an empty directory."""

    def __init__(self, venv: Path, home: Path, cwd: Path) -> None:
        self.venv, self.cwd = venv, cwd
        self.env = {
            "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_STATE_HOME": str(home / ".local" / "state"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "LANG": "C.UTF-8",
        }

    def run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / "outreach"), *args],
            cwd=self.cwd, env={**self.env, **(env or {})}, capture_output=True, text=True, timeout=300,
        )

    def python(self, code: str) -> str:
        done = subprocess.run([str(self.venv / "bin" / "python"), "-c", code], cwd=self.cwd, env=self.env,
                              capture_output=True, text=True, check=True, timeout=60)
        return done.stdout.strip()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(ROOT)
    # Build from a copy of the working tree: what is uncommitted is tested too, and the
    # checkout gets no build/ or egg-info of this run.
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache", "*.db*",
        ".cache"))  # benchmarks/.cache: generated mail (hundreds of MB, often a symlink), not the wheel's
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--wheel-dir", str(base / "dist"), str(source)],
                   check=True, capture_output=True, timeout=600)
    wheel = next((base / "dist").glob("outreach-*.whl"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "--quiet",
                    "install", str(wheel)], check=True, capture_output=True, timeout=600)
    shutil.rmtree(source)
    home, cwd = base / "home", base / "empty"
    home.mkdir()
    cwd.mkdir()
    return Installed(venv, home, cwd)


def test_the_package_and_its_data_come_from_the_environment(installed: Installed) -> None:
    where = installed.python(
        "import outreach, outreach.resources as r; print(outreach.__file__); print(r.rules_dir());"
        "print(r.templates_dir()); print(r.sample_maildir())")
    for line in where.splitlines():
        assert Path(line).is_relative_to(installed.venv), line
    assert installed.run("--version").stdout.startswith("outreach ")
    module = subprocess.run([str(installed.venv / "bin" / "python"), "-m", "outreach", "--version"],
                            cwd=installed.cwd, env=installed.env, capture_output=True, text=True, check=True)
    assert module.stdout == installed.run("--version").stdout


def test_demo_runs_from_an_empty_directory(installed: Installed) -> None:
    done = installed.run("demo")
    assert done.returncode == 0, done.stderr
    assert "Who Alex really knows" in done.stdout
    assert "OUT" in done.stdout  # the drafts were linted with the bundled rules
    assert "Traceback" not in done.stderr
    assert list(installed.cwd.iterdir()) == []


def test_lint_of_an_asking_draft_fails_with_findings(installed: Installed, tmp_path: Path) -> None:
    draft = tmp_path / "favour.eml"
    draft.write_text(ASKING_DRAFT)
    done = installed.run("lint", "--no-context", str(draft))
    assert done.returncode == 1, done.stderr
    assert "money" in done.stdout or "OUT1" in done.stdout


def test_rules_and_templates_list_the_bundled_library(installed: Installed) -> None:
    rules = installed.run("rules")
    assert rules.returncode == 0, rules.stderr
    codes = {line.split()[0] for line in rules.stdout.splitlines() if line.startswith("OUT")}
    assert len(codes) >= 20
    templates = installed.run("templates")
    assert templates.returncode == 0, templates.stderr
    names = {p.stem for p in (ROOT / "templates").glob("*.j2")}
    assert names and all(name in templates.stdout for name in names)


def test_sync_of_the_sample_stores_its_acts(installed: Installed, tmp_path: Path) -> None:
    sample = installed.python("from outreach import resources; print(resources.sample_maildir())")
    db = tmp_path / "sample.db"
    me = {"OUTREACH_ME": MANIFEST["me"]["address"]}
    done = installed.run("sync", "--quiet", "--maildir", sample, "--db", str(db), env=me)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    margaret = next(p for p in MANIFEST["people"] if p["key"] == "margaret")
    shown = installed.run("show", margaret["address"], "--db", str(db), env=me)
    assert shown.returncode == 0, shown.stderr
    planted = [a for a in MANIFEST["acts"] if a["counterpart"] == "margaret"]
    assert planted
    for act in planted:
        assert act["sentence"] in shown.stdout, act
    assert "ask/advice" in shown.stdout and "give/offer" in shown.stdout


# -- broken data in the installation: one line naming the file, exit 2, nothing half-stored --------


def installed_file(installed: Installed, code: str) -> Path:
    return Path(installed.python(f"from outreach import resources; print({code})"))


def one_line_error(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("outreach: error: "), done.stderr
    assert all(word in lines[0] for word in words), lines[0]


def stored_messages(db: Path) -> int:
    if not db.exists():
        return 0
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT count(*) FROM messages").fetchone()[0]


@pytest.mark.parametrize("damage", ["delete", "corrupt", "empty"])
def test_a_broken_acts_vocabulary_stops_sync_before_storing_anything(
    installed: Installed, tmp_path: Path, damage: str
) -> None:
    vocabulary = installed_file(installed, 'resources.rule_file("acts.toml")')
    sample = str(installed_file(installed, "resources.sample_maildir()"))
    original = vocabulary.read_bytes()
    db = tmp_path / "sample.db"
    me = {"OUTREACH_ME": MANIFEST["me"]["address"]}
    try:
        if damage == "delete":
            vocabulary.unlink()
        else:
            vocabulary.write_text("[cues\nask = [" if damage == "corrupt" else "")
        done = installed.run("sync", "--quiet", "--maildir", sample, "--db", str(db), env=me)
        one_line_error(done, str(vocabulary))
        assert stored_messages(db) == 0  # no message stored without the acts it holds
    finally:
        vocabulary.write_bytes(original)
    done = installed.run("sync", "--quiet", "--maildir", sample, "--db", str(db), env=me)
    assert done.returncode == 0, done.stderr
    assert stored_messages(db) > 400
    shown = installed.run("show", next(p for p in MANIFEST["people"] if p["key"] == "margaret")["address"],
                          "--db", str(db), env=me)
    assert "ask/advice" in shown.stdout


@pytest.mark.parametrize("name", ["politeness.toml", "money.toml"])
def test_a_corrupt_rule_file_stops_lint_naming_it(installed: Installed, tmp_path: Path, name: str) -> None:
    path = installed_file(installed, f"resources.rule_file({name!r})")
    original = path.read_bytes()
    draft = tmp_path / "favour.eml"
    draft.write_text(ASKING_DRAFT)
    try:
        path.write_text("[[rule]\ncode = ")
        one_line_error(installed.run("lint", "--no-context", str(draft)), str(path))
    finally:
        path.write_bytes(original)
    assert installed.run("lint", "--no-context", str(draft)).returncode == 1


def test_a_corrupt_not_personal_vocabulary_stops_sync(installed: Installed, tmp_path: Path) -> None:
    path = installed_file(installed, 'resources.data_file("not_personal.toml")')
    sample = str(installed_file(installed, "resources.sample_maildir()"))
    original = path.read_bytes()
    try:
        path.write_text("role_addresses = {")
        done = installed.run("sync", "--quiet", "--maildir", sample, "--db", str(tmp_path / "x.db"),
                             env={"OUTREACH_ME": MANIFEST["me"]["address"]})
        one_line_error(done, str(path))
    finally:
        path.write_bytes(original)

"""The user documentation against the program: README.md's links and commands, .env.example's settings."""

from __future__ import annotations

import re
from pathlib import Path

from outreach.cli.commands import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
GETTERS = re.compile(r'\b(get|get_bool|file_setting|read_secret)\("([A-Z][A-Z0-9_]*)"')


def _prose_and_code(text: str) -> tuple[list[str], list[str]]:
    """The README's lines outside fenced code blocks, and those inside them."""
    prose, code, fenced = [], [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced:
            code.append(line)
        else:
            prose.append(line)
    return prose, code


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_within_the_readme_reaches_a_heading() -> None:
    prose, _ = _prose_and_code(README)
    anchors = {_anchor(line.lstrip("#")) for line in prose if line.startswith("#")}
    links = set(re.findall(r"\]\(#([^)]+)\)", README))
    assert links and links <= anchors, sorted(links - anchors)


def test_the_contents_list_every_section() -> None:
    prose, _ = _prose_and_code(README)
    sections = [_anchor(line[3:]) for line in prose if line.startswith("## ")]
    listed = re.findall(r"^- \[[^\]]+\]\(#([^)]+)\)", README, re.MULTILINE)
    assert listed == sections


def test_every_file_the_readme_links_exists() -> None:
    for target in re.findall(r"\]\(([^)#:]+)\)", README):
        assert (ROOT / target).exists(), target


def test_every_command_has_an_example_in_the_readme() -> None:
    _, code = _prose_and_code(README)
    shown = {m.group(1) for line in code for m in re.finditer(r"\boutreach (\w+)", line)}
    assert [c.name for c in COMMANDS if c.name not in shown] == []


def _settings_read() -> set[str]:
    """Every OUTREACH_ variable the code reads for the one-account case (IMAP_ keys included)."""
    names = {"ENV_FILE"}  # read from the environment only, by settings.py
    for module in ("config.py", "accounts.py", "settings.py"):
        source = (ROOT / "outreach" / module).read_text(encoding="utf-8")
        for getter, name in GETTERS.findall(source):
            names |= {name, name + "_CMD"} if getter == "read_secret" else {name}
    accounts = (ROOT / "outreach" / "accounts.py").read_text(encoding="utf-8")
    names |= {"IMAP_" + key for key in re.findall(r'\bsetting\("([A-Z_]+)"\)', accounts)}
    secrets = re.search(r'prefix \+ \("([A-Z]+)" if .* else "([A-Z]+)"\)', accounts)
    assert secrets, "accounts.py no longer names the IMAP password and token settings this way"
    names |= {f"IMAP_{s}{cmd}" for s in secrets.groups() for cmd in ("", "_CMD")}
    return {"OUTREACH_" + name for name in names}


def test_env_example_documents_every_setting_the_code_reads() -> None:
    documented = set(re.findall(r"\b(OUTREACH_[A-Z0-9_]*[A-Z0-9])\b", (ROOT / ".env.example").read_text()))
    read = _settings_read()
    assert len(read) > 30
    assert sorted(read - documented) == []
    examples = {"OUTREACH_WORK_IMAP_HOST"}  # the several-accounts naming, shown by example
    assert sorted(documented - read - examples) == []

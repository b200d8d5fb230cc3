"""pyproject.toml lists the packages of the wheel: every code package, and the data folders."""

from __future__ import annotations

import tomllib
from pathlib import Path

from outreach import resources

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_code_package_is_in_the_wheel() -> None:
    listed = set(PROJECT["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "outreach").rglob("__init__.py")}
    assert on_disk - listed == set(), "add the new package to [tool.setuptools] packages in pyproject.toml"


def test_the_data_packages_are_the_top_level_folders() -> None:
    mapped = PROJECT["tool"]["setuptools"]["package-dir"]
    assert mapped == {resources.RULES: "rules", resources.TEMPLATES: "templates", resources.EXAMPLES: "examples"}
    assert resources.rules_dir() == ROOT / "rules"
    assert resources.templates_dir() == ROOT / "templates"
    assert resources.sample_maildir() == ROOT / "examples" / "sample-maildir"

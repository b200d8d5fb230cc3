"""The data that ships with outreach: lint rules and vocabularies, note templates, the sample.

In the repository they are the top-level folders rules/, templates/ and examples/; the wheel
carries them as the packages outreach.rules, outreach.templates and outreach.examples
(pyproject.toml maps the names onto the folders).  Everything is found here, through the
import system (``importlib.util.find_spec``, which locates a package without importing it:
importlib.resources' ``files`` brings zipfile and tempfile to every command's start-up), so a
checkout, an editable install and a pipx install look alike.
"""

from __future__ import annotations

import tomllib
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from outreach.errors import DataError

RULES = "outreach.rules"
TEMPLATES = "outreach.templates"
EXAMPLES = "outreach.examples"


def package_dir(package: str) -> Path:
    """The folder of a data package, as a real path (jinja2 and the Maildir reader need one)."""
    try:
        spec = find_spec(package)
    except ModuleNotFoundError:
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"{package}: bundled data missing from this installation (reinstall outreach)")
    root = Path(next(iter(spec.submodule_search_locations)))
    if not root.is_dir():  # e.g. imported from a zip archive
        raise DataError(f"{package}: bundled data is not a folder on disk ({root}); install outreach from its wheel")
    return root


def rules_dir() -> Path:
    """rules/: one TOML file per lint rule family, and the act and politeness vocabularies."""
    return package_dir(RULES)


# The act detector's vocabularies in rules/: outreach.judge reads them, and ingest.reanalyse
# hashes them into the detector's version without loading the detector.
ACT_VOCABULARY = "acts.toml"
POLITENESS = "politeness.toml"


def rule_file(name: str) -> Path:
    """A file in rules/ by name, e.g. ``rule_file("acts.toml")``; not checked for existence."""
    return rules_dir() / name


def templates_dir() -> Path:
    """templates/: the note template library."""
    return package_dir(TEMPLATES)


def sample_maildir() -> Path:
    """The sample Maildir++ of `outreach demo` (Alex Morgan, two years of mail)."""
    return package_dir(EXAMPLES) / "sample-maildir"


def sample_drafts() -> Path:
    """The six drafts `outreach demo` lints."""
    return package_dir(EXAMPLES) / "drafts"


def data_file(name: str) -> Path:
    """A vocabulary kept inside the package itself (outreach/data/), e.g. not_personal.toml."""
    return package_dir("outreach") / "data" / name


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML data file, parsed; a missing or malformed file is a DataError naming it (and the line)."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise DataError(f"{path}: data file missing (reinstall outreach, or restore it from the repository)") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not valid TOML: {exc}") from None

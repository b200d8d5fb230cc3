"""Where the bundled data lives: rules/, templates/ and examples/ beside the package."""

from __future__ import annotations

from pathlib import Path

from outreach.errors import OutreachError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bundled(name: str) -> Path:
    path = PROJECT_ROOT / name
    if not path.is_dir():
        raise OutreachError(f"{path}: bundled {name}/ directory not found (install with 'pip install -e .')")
    return path


def rules_dir() -> Path:
    return _bundled("rules")


def templates_dir() -> Path:
    return _bundled("templates")


def examples_dir() -> Path:
    return _bundled("examples")

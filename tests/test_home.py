"""The suite itself keeps out of the user's home (tests/conftest.py, block "home")."""

from __future__ import annotations

from pathlib import Path

from outreach import config, paths


def test_data_of_the_suite_are_not_in_the_real_home() -> None:
    home = Path.home().resolve()
    for where in (paths.data_dir(), config.default_db_path()):
        assert not where.resolve().is_relative_to(home), where

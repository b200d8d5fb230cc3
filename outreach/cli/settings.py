"""`outreach config`: every setting in effect, where it came from, and where files are kept."""

from __future__ import annotations

import argparse

from outreach import config, paths, settings


def run_config(args: argparse.Namespace) -> int:
    dotenv, own = settings.env_file(), paths.config_file()
    found = settings.settings()  # reads (and checks) both files
    print("Read from, first found wins:")
    print("  1. the environment")
    print(f"  2. {dotenv}" if dotenv else "  2. ./.env (none here)")
    print(f"  3. {own}" + ("" if own.is_file() else " (none)"))
    print()
    if found:
        width = max(len(s.name) for s in found)
        value_width = min(40, max(len(s.shown()) for s in found))
        for setting in found:
            print(f"{setting.name.ljust(width)}  {setting.shown().ljust(value_width)}  {_origin(setting.origin)}")
    else:
        print("No OUTREACH_ setting is set: every default applies (see .env.example).")
    print()
    print("Files:")
    print(f"  store           {config.default_db_path()}")
    print(f"  your templates  {config.templates_dir()}")
    print(f"  locks           {paths.state_dir() / 'locks'}")
    return 0


def _origin(origin: str) -> str:
    return origin if origin == settings.ENVIRONMENT else f"file {origin}"

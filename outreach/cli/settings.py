"""`outreach config`: every setting in effect, where it came from, and where files are kept.

It shows all it can even when a value is unusable: such a setting is marked with the reason,
and the command then exits 2 with one line on stderr.  No password command is run.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable

from outreach import accounts, config, paths, settings
from outreach.errors import ConfigError

# every checked value outreach reads, in the order of the configuration reference
_CHECKS: tuple[Callable[[], object], ...] = (
    config.my_addresses, config.from_address, config.user_name, config.default_db_path, config.templates_dir,
    config.store_bodies, config.time_zone, config.daemon_interval, config.daemon_backoff_max,
    config.daemon_idle, config.draft_keyword, config.digest_schedule, config.digest_delivery,
    config.sendmail_command, config.sent_copy, config.lint_readability, config.suggest_budget,
)
_NAME = re.compile(r"\bOUTREACH_[A-Z0-9_]*[A-Z0-9]\b")


def problems(found: list[settings.Setting]) -> list[str]:
    """The reason each unusable setting cannot be used, one line each; secrets are not read."""
    reasons: list[str] = []
    checks = list(_CHECKS)
    checks.append(lambda: [accounts.imap_account(name) for name in accounts.imap_account_names()])
    if any(s.name.startswith("OUTREACH_SMTP_") for s in found):
        checks.append(lambda: accounts.smtp_settings(secret=False))
    for check in checks:
        try:
            check()
        except ConfigError as exc:
            if str(exc) not in reasons:
                reasons.append(str(exc))
    return reasons


def run_config(args: argparse.Namespace) -> int:
    dotenv, own = settings.env_file(), paths.config_file()
    found = settings.settings()  # reads (and checks) both files: a broken file stops here
    reasons = problems(found)
    marks = {name: reason for reason in reversed(reasons) for name in _NAME.findall(reason)}
    print("Read from, first found wins:")
    print("  1. the environment")
    print(f"  2. {dotenv}" if dotenv else "  2. ./.env (none here)")
    print(f"  3. {own}" + ("" if own.is_file() else " (none)"))
    print()
    if found:
        width = max(len(s.name) for s in found)
        value_width = min(40, max(len(s.shown()) for s in found))
        for setting in found:
            mark = f"  unusable: {marks[setting.name]}" if setting.name in marks else ""
            print(f"{setting.name.ljust(width)}  {setting.shown().ljust(value_width)}  {_origin(setting.origin)}{mark}")
    else:
        print("No OUTREACH_ setting is set: every default applies (see 'Configuration reference' in the README).")
    shown = {s.name for s in found}
    unplaced = [r for r in reasons if not shown.intersection(_NAME.findall(r))]
    if unplaced:
        print()
        print("Also unusable:")
        for reason in unplaced:
            print(f"  {reason}")
    print()
    print("Files:")
    print(f"  store           {_or_reason(config.default_db_path)}")
    print(f"  your templates  {_or_reason(config.templates_dir)}")
    print(f"  locks           {paths.state_dir() / 'locks'}")
    if not reasons:
        return 0
    more = len(reasons) - 1
    also = f" (and {more} more unusable setting{'s' if more > 1 else ''}, shown above)" if more else ""
    sys.stdout.flush()
    print(f"outreach: error: {reasons[0]}{also}", file=sys.stderr)
    return 2


def _or_reason(value: Callable[[], object]) -> str:
    try:
        return str(value())
    except ConfigError:
        return "(unusable, see above)"


def _origin(origin: str) -> str:
    return origin if origin == settings.ENVIRONMENT else f"file {origin}"

"""`outreach status`: what the daemon did last."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from outreach import config
from outreach.service.status import collect, render


def run_status(args: argparse.Namespace) -> int:
    db = Path(args.db).expanduser() if args.db else config.default_db_path()
    status = collect(db)
    if args.format == "json":
        json.dump(status, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(status))
    return 0

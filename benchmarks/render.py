"""Benchmark: rendering notes from the template library and building their messages.

Prints, per template, the time to render it with its sample data and to build the
RFC 5322 message, and the cold start of `outreach templates` (a fresh process).
Suggestions render a handful of notes a week, so the figure that matters is that
a render stays well under a millisecond once the library is loaded.

    .venv/bin/python benchmarks/render.py [--repeat N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from outreach.deliver import build_message
from outreach.model import Address
from outreach.notes import templates
from outreach.notes.compose import note_from


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()

    start = time.perf_counter()
    library = templates.available(Path("/nonexistent"))
    print(f"load library ({len(library)} templates): {1000 * (time.perf_counter() - start):.1f} ms")

    me, to = Address("alex@morgan.example", "Alex Morgan"), Address("sam@example.org", "Sam Lee")
    for name, info in library.items():
        start = time.perf_counter()
        for _ in range(args.repeat):
            rendered = templates.render(info, info.sample)
        render_us = 1e6 * (time.perf_counter() - start) / args.repeat
        start = time.perf_counter()
        for _ in range(args.repeat):
            build_message(note_from(rendered, to), me)
        build_us = 1e6 * (time.perf_counter() - start) / args.repeat
        print(f"{name:24} render {render_us:7.1f} us   build message {build_us:7.1f} us")

    runs = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "outreach", "templates"], check=True, capture_output=True)
        runs.append(time.perf_counter() - start)
    print(f"`outreach templates` cold start, best of 5: {1000 * min(runs):.0f} ms")


if __name__ == "__main__":
    main()

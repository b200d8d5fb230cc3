"""Benchmark: `outreach report` on a 100,000-message store.

Prints the time to gather what the report shows (contacts, balance lines with
their ledgers, referrals, this week's suggestions with rendered notes), to render
the HTML and to write it (target: under 3 s in all), the file size, and what was
drawn against what was summarised (the page stays readable: at most
charts.GLANCE_ROWS rows in the glance chart, one a line, graph.GRAPH_EDGES edges
in the referral graph).  Then `outreach report` once as a whole process.

    .venv/bin/python benchmarks/report.py [--messages N] [--repeat N] [--out FILE.html]

The store is benchmarks/relationships.py's synthetic one (benchmarks/synthetic.py's
Maildir ingested by the sync pipeline), built once into benchmarks/.cache/; it is
copied and its relationships brought up to date before timing, as after a sync.
Wall-clock figures on a shared machine are indicative only.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from relationships import NOW, synthetic_store  # noqa: E402

from outreach.network import cache as network_cache  # noqa: E402
from outreach.network import contacts  # noqa: E402
from outreach.network.contacts import Referral  # noqa: E402
from outreach.report import charts, graph  # noqa: E402
from outreach.report.gather import gather  # noqa: E402
from outreach.report.page import render  # noqa: E402
from outreach.store.db import Store  # noqa: E402

TARGET_S = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", metavar="FILE.html", help="keep the report here (default: a temporary file)")
    args = parser.parse_args()
    cache = ROOT / "benchmarks" / ".cache"
    cache.mkdir(exist_ok=True)
    source = synthetic_store(cache, args.messages)
    if source is None:
        raise SystemExit("no synthetic store")
    with tempfile.TemporaryDirectory(prefix="outreach-report-bench-") as tmp:
        db = Path(tmp) / "store.db"
        shutil.copyfile(source, db)
        out = Path(args.out) if args.out else Path(tmp) / "report.html"
        os.environ.setdefault("OUTREACH_NAME", "Alex Morgan")
        with Store.open(db) as store:
            started = time.perf_counter()
            network_cache.update(store)
            print(f"{args.messages:,} messages; relationships brought up to date in "
                  f"{time.perf_counter() - started:.1f} s (not counted: a sync does it)")  # fmt: skip
            runs = [_once(store, out) for _ in range(args.repeat)]
            everyone = contacts.contacts(store, NOW)
        _print(runs, out)
        _many_introductions(everyone)
        _whole_process(db, Path(tmp) / "cli.html")


def _once(store: Store, out: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    report = gather(store, NOW)
    t1 = time.perf_counter()
    html = render(report)
    t2 = time.perf_counter()
    out.write_text(html, encoding="utf-8")
    t3 = time.perf_counter()
    return {"gather": t1 - t0, "render": t2 - t1, "write": t3 - t2, "total": t3 - t0,
            "contacts": len(report.contacts), "referrals": len(report.referrals),
            "balances": len(report.balances), "suggestions": len(report.suggestions)}  # fmt: skip


def _print(runs: list[dict[str, float]], out: Path) -> None:
    last = runs[-1]
    for phase in ("gather", "render", "write", "total"):
        times = [r[phase] for r in runs]
        print(f"  {phase:<7} median {statistics.median(times):6.3f} s   max {max(times):6.3f} s")
    worst = max(r["total"] for r in runs)
    verdict = "ok" if worst < TARGET_S else "OVER"
    print(f"report: {worst:.2f} s at worst over {len(runs)} runs  [target < {TARGET_S:.0f} s: {verdict}]")
    html = out.read_text(encoding="utf-8")
    print(f"file: {out.stat().st_size / 1024:,.0f} KB, {last['contacts']:,.0f} contacts, "
          f"{last['referrals']:,.0f} introductions, {last['balances']:.0f} balance lines, "
          f"{last['suggestions']:.0f} suggestions")  # fmt: skip
    rows = re.findall(r'<circle class="dot" cx="[\d.]+" cy="([\d.]+)"', html)
    edges = html.count('<g class="edge ')
    not_drawn = re.search(r'data-not-drawn="(\d+)"', html)
    readable = len(rows) <= charts.GLANCE_ROWS and len(set(rows)) == len(rows) and edges <= graph.GRAPH_EDGES
    print(f"readable: {len(rows)} contacts drawn, one a row ({len(set(rows))} distinct rows); "
          f"{int(not_drawn.group(1)) if not_drawn else 0:,} summarised in a line; {edges} of "
          f"{last['referrals']:,.0f} introductions drawn  [{'ok' if readable else 'NOT READABLE'}]")  # fmt: skip


def _many_introductions(everyone: list, count: int = 2_000) -> None:
    """The synthetic mailbox holds no introductions: draw the graph of ``count`` made-up ones between its contacts."""
    rng = random.Random(5)
    made = [Referral(referrer=a.address, referrer_name=a.name, person=b.address, person_name=b.name,
                     date=NOW - timedelta(days=rng.randrange(1, 900)), subject="intro", sentence="Meet b.",
                     thanked=rng.random() < 0.7, met=None, updated=False)
            for a, b in (rng.sample(everyone, 2) for _ in range(count))]  # fmt: skip
    started = time.perf_counter()
    svg = graph.referral_graph(made)
    seconds = time.perf_counter() - started
    boxes = re.findall(r'<rect x="(\d+)" y="(\d+)"', svg)
    edges = svg.count('<g class="edge ')
    readable = edges <= graph.GRAPH_EDGES and len(set(boxes)) == len(boxes)
    print(f"referral graph of {count:,} introductions: {edges} edges and {len(boxes)} people "
          f"drawn, no two in one place, in {1000 * seconds:.1f} ms  [{'ok' if readable else 'NOT READABLE'}]")


def _whole_process(db: Path, out: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    command = [sys.executable, "-m", "outreach", "report", "--db", str(db), "--out", str(out), "--now",
               NOW.isoformat()]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    status = done.stdout.strip() or done.stderr.strip()
    print(f"outreach report (whole process, interpreter start included): {seconds:.2f} s: {status}")


if __name__ == "__main__":
    main()

"""Looking at processes through /proc: who a process started, and whether they still run.

Used by the orphan tests and by benchmarks/kill9.py: after ``kill -9`` of a run,
none of the processes it started may survive.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def children(pid: int) -> set[int]:
    """The live processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is not None and stat[1] == pid and stat[0] != "Z":
            found.add(int(entry.name))
    return found


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid``."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children(todo.pop()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its new parent to reap it counts as gone)."""
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"


def survivors(pids: set[int], grace: float = 30.0) -> set[int]:
    """Which of ``pids`` still run after waiting up to ``grace`` seconds for them to end."""
    deadline = time.monotonic() + grace
    left = {p for p in pids if alive(p)}
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = {p for p in left if alive(p)}
    return left


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) from /proc/PID/stat, or None when there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the name in parentheses may hold spaces
    return fields[0], int(fields[1])


def wait_for_workers(pid: int, count: int, timeout: float = 120.0) -> set[int]:
    """The multiprocessing processes below ``pid`` once ``count`` of them run (empty if never)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = {p for p in descendants(pid) if "multiprocessing" in cmdline(p)}
        if len(workers) >= count:
            return workers
        if not alive(pid):
            return set()
        time.sleep(0.02)
    return set()


def kill9(pid: int) -> None:
    os.kill(pid, 9)

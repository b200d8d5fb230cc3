"""The linter never touches the network, and its cheap readability stays close to textstat's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DRAFTS = Path(__file__).resolve().parents[1] / "fixtures" / "drafts"

# Runs in a fresh interpreter: an audit hook turns any socket use into a failure, then the
# whole corpus is linted, readability included, the same way the CLI does it.
_PROBE = r"""
import sys
def refuse(event, args):
    if event.startswith(("socket.", "urllib.", "http.")):
        raise RuntimeError(f"network use: {event}")
sys.addaudithook(refuse)
from pathlib import Path
from outreach.cli import main
files = sorted(str(p) for p in Path(sys.argv[1]).iterdir() if p.suffix in (".txt", ".eml"))
status = main(["lint", "--exit-zero", "--no-context", "--format", "json", *files])
import socket  # the hook must really be live: this is the control
try:
    socket.socket()
except RuntimeError:
    print("hook-live")
sys.exit(status)
"""


@pytest.mark.parametrize("readability", ["fast", "textstat"])
def test_lint_opens_no_socket(readability: str, tmp_path: Path) -> None:
    env = {**os.environ, "OUTREACH_LINT_READABILITY": readability}
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(DRAFTS)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.rstrip().endswith("hook-live")
    assert '"reading_grade"' in result.stdout


def test_fast_grade_tracks_textstat_on_the_corpus(monkeypatch) -> None:
    from outreach.lint import readability
    from outreach.lint.draft import Draft

    fast, exact = [], []
    for path in sorted(DRAFTS.glob("*.txt")):
        draft = Draft(path.read_text())
        monkeypatch.setenv("OUTREACH_LINT_READABILITY", "fast")
        fast.append(readability.grade(draft.words, len(draft.sentences)))
        monkeypatch.setenv("OUTREACH_LINT_READABILITY", "textstat")
        exact.append(readability.grade(draft.words, len(draft.sentences)))
    mean_error = sum(abs(a - b) for a, b in zip(fast, exact, strict=True)) / len(fast)
    worst = max(abs(a - b) for a, b in zip(fast, exact, strict=True))
    print(f"\nreading grade, fast vs textstat over {len(fast)} drafts: mean |diff| {mean_error:.2f}, worst {worst:.2f}")
    assert mean_error < 1.0 and worst < 4.0

"""`outreach demo`: the newcomer's first five minutes work end to end on the bundled sample."""

import os
import subprocess
import sys


def test_demo_runs_every_step_on_the_sample(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    env["HOME"] = str(tmp_path)  # nothing may be written to the user's own data directory
    command = [sys.executable, "-m", "outreach", "demo", "--out", str(tmp_path / "demo.html")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "new 402" in out and "unreadable 0" in out
    assert "Margaret Okafor" in out.split("Going cold")[0]  # the strongest tie is listed first
    assert "Daniel Reyes" in out.split("Going cold")[1].split("3. Lint")[0]
    lint = out.split("3. Lint")[1].split("4. This week")[0]
    assert "OUT101 [error]" in lint and "01-big-ask-weak-tie.eml" in lint
    assert "04-good-thank-referrer.eml" not in lint  # the good drafts are clean
    suggestions = out.split("4. This week")[1]
    assert "1. Sam Whitfield" in suggestions and "[thank-referrer" in suggestions
    assert "introduced you to Priya Raman" in suggestions
    assert not (tmp_path / ".local").exists()
    picture = out.split("5. The picture")[1]
    assert f"wrote {tmp_path / 'demo.html'}" in picture and (tmp_path / "demo.html").as_uri() in picture
    assert "Daniel Reyes" in (tmp_path / "demo.html").read_text()


def test_a_step_that_fails_stops_the_demo_with_its_error(tmp_path):
    # A broken ./.env stops the commands the demo runs; the demo must say so, not claim a report.
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    env["HOME"] = str(tmp_path)
    (tmp_path / ".env").write_text("this is not a setting\n")
    command = [sys.executable, "-m", "outreach", "demo", "--out", str(tmp_path / "demo.html")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"outreach: error: {tmp_path / '.env'}:1: not a KEY=value line\n"
    assert "Open it in a web browser" not in done.stdout and not (tmp_path / "demo.html").exists()

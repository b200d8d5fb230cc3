"""Hostile templates end in one line and exit 2: no hang, no traceback, no gigabyte.

Each template is a user template rendered through the real CLI, in a process whose
address space is capped at 600 MB: a render that tried to build a gigabyte would
fail with MemoryError ("out of memory") instead of the budget's own message.
"""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from outreach.errors import TemplateError
from outreach.notes import templates
from tests.daemon_proc import daemon_env

HEADER = '{#\nname = "NAME"\npurpose = "p"\nfits = "f"\nsubject = "Hello"\n#}\n'

HOSTILE = {
    "nested-ranges": "{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}",
    "nested-string-loops": "{% set s = 'ab' * 9000 %}"
    "{% for a in s %}{% for b in s %}{% for c in s %}{% endfor %}{% endfor %}{% endfor %}",
    "huge-center": "{{ 'a'|center(10**10) }}",
    "gigabyte-center": "{{ 'a'|center(10**9) }}",
    "method-ljust": "{{ 'a'.ljust(10**9) }}",
    "doubling-macro": "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s }}{% endif %}"
    "{% endmacro %}{{ d('a', 40) }}",
    "recursive-macro": "{% macro m(x) %}{{ m(x) }}{% endmacro %}{{ m(1) }}",
    "macro-output": "{% macro m() %}{% for i in range(9999) %}{{ 'x' * 20000 }}{% endfor %}{% endmacro %}"
    "{{ m()|length }}",
    "percent-width": "{{ '%999999999d' % 1 }}",
    "format-width": "{{ '{:>999999999}'.format(1) }}",
    "replace-blowup": "{{ ('a' * 20000)|replace('', 'a' * 20000) }}",
    "indent-blowup": "{{ ('\\n' * 20000)|indent(20000) }}",
    "batch-fill": "{{ [1]|batch(10**9, 0)|list }}",
    "long-output": "{% for i in range(9999) %}{{ 'x' * 100 }}{% endfor %}",
}


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (600 * 2**20, 600 * 2**20))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_template_is_one_line_exit_2(tmp_path, name):
    user = tmp_path / "templates"
    user.mkdir()
    (user / f"{name}.j2").write_text(HEADER.replace("NAME", name) + HOSTILE[name] + "\n")
    env = daemon_env(tmp_path, TEMPLATES_DIR=str(user))
    done = subprocess.run(
        [sys.executable, "-m", "outreach", "render", name, "--to", "sam@example.com", "--db", str(tmp_path / "o.db")],
        env=env, capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"outreach: error: template {name!r}: "), done.stderr
    assert "out of memory" not in lines[0]


def test_ordinary_loops_widths_and_formats_still_render(tmp_path):
    body = (
        "{% for i in range(3) %}{{ i }}{% endfor %} {{ 'a'|center(9) }}|{{ '%5d' % 42 }}|"
        "{{ '{:>6}'.format('x') }}|{{ 'ab'|replace('a', 'z') }}|{{ range(4)|length }}"
    )
    path = tmp_path / "fine.j2"
    path.write_text(HEADER.replace("NAME", "fine") + body + "\n")
    rendered = templates.render(templates.load_file(path), {})
    assert rendered.body == "012     a    |   42|     x|zb|4\n"


def test_the_budget_is_also_kept_outside_the_main_thread(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "loops.j2"
    path.write_text(HEADER.replace("NAME", "loops") + HOSTILE["nested-ranges"] + "\n")
    info = templates.load_file(path)
    with ThreadPoolExecutor(1) as pool, pytest.raises(TemplateError, match="longer than"):
        pool.submit(templates.render, info, {}).result(timeout=60)

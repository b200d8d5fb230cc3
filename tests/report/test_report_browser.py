"""The sample's report, opened in a real headless Chromium (Debian's `chromium`, see scripts/test-deps).

The page must load with no console or log error and no request beyond the file
itself, and its DOM must show the sample's contacts, its cold ties marked cold
and its introductions as edges.  OUTREACH_UPDATE_DOCS=1 also writes the
screenshot to docs/report.png (the README's picture).
"""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.report import chromium
from tests.suggest_sample import MANIFEST, NOW, address, synced_copy

ROOT = Path(__file__).resolve().parents[2]
QUERIES = {
    "contacts": "[...document.querySelectorAll('svg.glance .contact')].map(g => g.dataset.address)",
    "cold": "[...document.querySelectorAll('svg.glance .contact.cold')]"
            ".filter(g => g.querySelector('.cold-marker')).map(g => g.dataset.address)",
    "edges": "[...document.querySelectorAll('svg.referrals .edge')].map(e => [e.dataset.from, e.dataset.to, "
             "e.dataset.owed])",
    "scripts": "document.scripts.length",
    "sparklines": "document.querySelectorAll('svg.spark').length",
    "width": "document.documentElement.scrollWidth",
}  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> str:
    if chromium.binary() is None and os.getuid() == 0:
        subprocess.run([str(ROOT / "scripts" / "test-deps")], check=False)
    if chromium.binary() is None:
        pytest.skip("chromium is not installed: run scripts/test-deps (as root)")
    return chromium.binary()


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> Path:
    """`outreach report` run on the synced sample, as of the sample's "today"."""
    work = tmp_path_factory.mktemp("report")
    db = synced_copy(tmp_path_factory.getbasetemp(), work / "sample.db")
    out = work / "report.html"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    env.update(OUTREACH_NAME="Alex Morgan")
    done = subprocess.run(
        [sys.executable, "-m", "outreach", "report", "--db", str(db), "--out", str(out), "--now", NOW.isoformat()],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"wrote {out}" in done.stdout
    return out


def test_the_sample_report_loads_in_chromium_with_no_error_and_no_request(browser, sample_report, tmp_path):
    tools = chromium.DevTools(tmp_path / "profile")
    try:
        page = tools.load(sample_report.as_uri(), QUERIES)
    finally:
        tools.close()
    assert page.errors == []
    assert page.requests == [sample_report.as_uri()]  # the page itself, nothing else
    found = page.answers
    assert found["scripts"] == 0
    assert set(found["contacts"]) == {address(key) for key in MANIFEST["counts"]["contacts_expected"]}
    cold = set(found["cold"])
    assert {address(key) for key in MANIFEST["cold"]} <= cold
    assert not cold & {address(key) for key in MANIFEST["not_cold"]}
    edges = {(a, b): owed for a, b, owed in found["edges"]}
    expected = {(address(r["introducer"]), address(r["introduced"])): r for r in MANIFEST["referrals"]}
    assert set(edges) == set(expected)
    for pair, referral in expected.items():
        assert (edges[pair] == "thanks") is (not referral["thanked_after_introduction"])
    assert found["sparklines"] >= 3
    assert found["width"] <= 1000  # nothing spills sideways at a laptop's width
    assert page.screenshot.startswith(b"\x89PNG\r\n\x1a\n") and len(page.screenshot) > 20_000
    (tmp_path / "report.png").write_bytes(page.screenshot)
    if os.environ.get("OUTREACH_UPDATE_DOCS"):
        (ROOT / "docs").mkdir(exist_ok=True)
        (ROOT / "docs" / "report.png").write_bytes(page.screenshot)


def test_the_browser_check_does_see_a_remote_request_and_a_failed_load(browser, tmp_path):
    """The check above can fail: a page that fetches from elsewhere is caught."""
    page_file = tmp_path / "fetches.html"
    page_file.write_text('<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/pixel.png"></body></html>')
    tools = chromium.DevTools(tmp_path / "profile")
    try:
        page = tools.load(page_file.as_uri(), {})
    finally:
        tools.close()
    assert "http://127.0.0.1:9/pixel.png" in page.requests
    assert any("127.0.0.1:9" in error or "ERR_" in error for error in page.errors), page.errors


class _Marks(HTMLParser):
    """Collects the elements' classes and data attributes of a dumped DOM."""

    def __init__(self):
        super().__init__()
        self.elements: list[dict[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append({"tag": tag, **{k: v or "" for k, v in attrs}})

    def handle_data(self, data):
        self.text.append(data)


def test_chromiums_dom_of_the_report_holds_the_evidence_and_due_dates(browser, sample_report, tmp_path):
    done = chromium.run(["--dump-dom", sample_report.as_uri()], tmp_path / "profile")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = _Marks()
    dom.feed(done.stdout)
    text = " ".join(dom.text)
    rows = [e for e in dom.elements if "contact" in e.get("class", "").split()]
    daniel = next(e for e in rows if e.get("data-address") == address("daniel"))
    assert daniel["data-standing"] == "cold"
    assert "due 2026-" in text  # the "due on" dates are drawn
    # the evidence behind a balance line is one click away: the sentence of one of Margaret's acts
    margaret = [a["sentence"] for a in MANIFEST["acts"] if a["counterpart"] == "margaret"]
    assert margaret and all(sentence in text for sentence in margaret)
    assert "<details" in done.stdout and "Thank you for introducing me to Priya Raman" in text

"""The weekly digest is multipart/alternative: the text it always had, and the report's pictures as HTML."""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest

from outreach.service.digest import build
from outreach.store.db import Store
from tests.report import chromium
from tests.suggest_sample import ME, NOW, address, synced_copy


@pytest.fixture
def digest(tmp_path, tmp_path_factory):
    with Store.open(synced_copy(tmp_path_factory.getbasetemp(), tmp_path / "s.db")) as store:
        store.save_draft_review("maildir:x:Drafts", "d1", digest="h", subject="loan", recipient="bo@example.org",
                                findings=2, worst="error", summary='[{"code": "OUT101"}]', at=1)  # fmt: skip
        return build(store, NOW - timedelta(hours=4), ME, "Alex Morgan", now=NOW)


def test_the_digest_has_a_text_and_an_html_part_saying_the_same(digest):
    assert digest.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in digest.iter_parts()] == ["text/plain", "text/html"]
    text = digest.get_body(("plain",)).get_content()
    html = digest.get_body(("html",)).get_content()
    assert "Reach out this week" in text and "Sam Whitfield" in text
    for shared in ("Sam Whitfield", "introduced you to Priya Raman", "&#x27;loan&#x27; to bo@example.org"):
        assert shared in html
    assert '<svg class="glance"' in html and '<svg class="referrals"' in html
    assert re.search(rf'data-address="{re.escape(address("daniel"))}" data-standing="cold"', html)


def test_the_html_part_fetches_nothing(digest, tmp_path):
    html = digest.get_body(("html",)).get_content()
    assert not re.search(r"""(src|href)\s*=|<link|<script|url\((?!#)""", html, re.I)  # url(#id): a local marker
    if chromium.binary() is None:
        pytest.skip("chromium is not installed: run scripts/test-deps (as root)")
    page_file = tmp_path / "digest.html"
    page_file.write_text(html, encoding="utf-8")
    tools = chromium.DevTools(tmp_path / "profile")
    try:
        page = tools.load(page_file.as_uri(), {"dots": "document.querySelectorAll('svg.glance .dot').length"})
    finally:
        tools.close()
    assert page.errors == [] and page.requests == [page_file.as_uri()]
    assert page.answers["dots"] == 13
    assert os.path.getsize(page_file) < 200_000

"""The auditors themselves: a page with known faults must fail, or a clean run proves nothing."""

from __future__ import annotations

import pytest

from tests.browser.audit import _AXE_RUN, _TAP_TARGETS, AXE_TAGS
from tests.browser.tools import AXE_JS

pytestmark = pytest.mark.browser

BROKEN = """<!doctype html><html><head><title>Broken</title></head><body>
<main><p style="color:#bbb;background:#fff">Too pale to read</p>
<input type="text" name="x"><img src="/nothing.png">
<a href="/a" style="display:inline-block;width:20px;height:20px">A</a>
<p><p></div></main></body></html>"""


def test_axe_and_tap_targets_find_known_faults(axe_page) -> None:
    axe_page.goto("about:blank")  # no CSP here, so the inline styles apply
    axe_page.set_content(BROKEN)
    axe_page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    found = {v["id"] for v in axe_page.evaluate(_AXE_RUN, AXE_TAGS)}
    assert {"html-has-lang", "label", "image-alt", "color-contrast"} <= found, found
    assert any("20×20" in small for small in axe_page.evaluate(_TAP_TARGETS, 44))


def test_the_html_checker_finds_known_errors(html_checker) -> None:
    messages = html_checker.check(BROKEN)
    assert any("Stray end tag" in m["message"] for m in messages), messages

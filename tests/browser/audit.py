"""Checks every page a journey visits owes its readers, in a real browser.

``Auditor.check(page, name)`` runs, on the page as it is now:

- ``<html lang dir>`` match the language the journey is in (Arabic is right-to-left);
- axe-core with the WCAG 2.0/2.1/2.2 A and AA tags: zero violations;
- the W3C Nu HTML Checker on the HTML the server sent: zero errors and warnings;
- the page weight (child pages): HTML + CSS + JS + images + fonts transferred, cold cache,
  with compression, under ``BUDGET_BYTES``; every request goes to the app itself;
- tap targets (buttons and links in <header> and <main>) of at least 44×44 CSS px, except
  links inside a sentence (the WCAG 2.5.8 "inline" exception);
- reflow: no horizontal scrolling at 390 px, nor with the text at 200%;
- a screenshot in ``artifacts/screenshots/<lang>/<name>.png`` for a person to look at.

Problems are collected rather than raised one at a time, so one run shows everything that is
wrong on every page; a test ends with ``assert_clean()``.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Request, Response

from tests.browser.tools import ARTIFACTS, AXE_JS, HtmlChecker

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BUDGET_BYTES = 60 * 1024
TAP_MIN = 44
RTL = {"ar", "ur", "ckb", "ps", "fa_AF"}

# Nu checker messages we accept, each with its reason. Keep this list short and explained.
HTML_EXCEPTIONS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^This document appears to be written in "),
        "A warning, not an error. Translations are drafts and fall back to English item by item "
        "(DESIGN.md, i18n), so a Bengali or Arabic page can be mostly English words while its "
        "menus, buttons and lang/dir are the child's language. The lang is the child's choice.",
    ),
]

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
}"""

_TAP_TARGETS = """(min) => {
  const squash = s => (s || '').replace(/\\s+/g, ' ').trim();
  const small = [];
  const targets = document.querySelectorAll(
    'header a[href], header button, main a[href], main button, main summary, main input[type=submit]');
  for (const el of targets) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (box.width === 0 && box.height === 0) continue;
    if (el.closest('.visually-hidden')) continue;
    if (el.tagName === 'A' && style.display === 'inline') {
      // WCAG 2.5.8's inline exception: a link inside a sentence (words around it, not just
      // other links and separators) may be as tall as the line.
      const block = el.parentElement.closest('p, li, dd, td, th, div');
      if (block) {
        const copy = block.cloneNode(true);
        copy.querySelectorAll('a, button').forEach(n => n.remove());
        if (/\\p{L}{2}/u.test(copy.textContent)) continue;
      }
    }
    if (box.width < min - 0.5 || box.height < min - 0.5) {
      small.push(`${el.tagName.toLowerCase()} "${squash(el.textContent).slice(0, 40)}" ` +
                 `${box.width.toFixed(0)}×${box.height.toFixed(0)}`);
    }
  }
  return small;
}"""

_REFLOW = """() => {
  const root = document.documentElement;
  const out = {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, offscreen: []};
  for (const el of document.body.querySelectorAll('header *, main *, footer *')) {
    if (el.closest('.visually-hidden, .skip-link')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > window.innerWidth + 1 || box.left < -1) {
      const name = `${el.tagName.toLowerCase()}.${el.className}`;
      out.offscreen.push(`${name} ${box.left.toFixed(0)}..${box.right.toFixed(0)}`);
    }
  }
  out.offscreen = out.offscreen.slice(0, 5);
  return out;
}"""

_RESOURCES = """() => performance.getEntriesByType('resource')
  .filter(e => !['fetch', 'xmlhttprequest', 'beacon'].includes(e.initiatorType))
  .map(e => ({url: e.name, type: e.initiatorType, encoded: e.encodedBodySize}))"""


@dataclass
class PageRecord:
    lang: str
    name: str
    url: str
    js: bool
    child: bool
    weight: dict[str, int] = field(default_factory=dict)
    axe: int = 0
    html: int = 0


@dataclass
class Report:
    """Every page checked in the session; written to artifacts/browser-report.json at the end."""

    pages: list[PageRecord] = field(default_factory=list)

    def write(self, path: Path = ARTIFACTS / "browser-report.json") -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps([asdict(p) for p in self.pages], indent=1, ensure_ascii=False))


def _kind(url: str) -> str:
    path = url.split("?")[0]
    for suffix, kind in (
        (".css", "css"),
        (".js", "js"),
        (".woff2", "font"),
        (".woff", "font"),
        (".svg", "img"),
        (".png", "img"),
    ):
        if path.endswith(suffix):
            return kind
    return "other"


class Auditor:
    """One per browser context: follows its traffic, and checks its pages on request."""

    def __init__(
        self,
        context: BrowserContext,
        *,
        base_url: str,
        checker: HtmlChecker,
        report: Report,
        js: bool,
        lang: str,
        axe_page: Page | None = None,
        label: str = "",
    ):
        self.context = context
        self.base_url = base_url
        self.checker = checker
        self.report = report
        self.js = js
        self.lang = lang
        self.axe_page = axe_page  # a JavaScript page that audits what a no-JavaScript page shows
        self.label = label
        self.problems: list[str] = []
        self.third_party: list[str] = []
        self.checked: list[PageRecord] = []
        self._finished: list[Request] = []
        self._bytes: dict[str, int] = {}
        self._html: dict[int, Response] = {}
        self._pending_html: list[tuple[PageRecord, bytes, str]] = []
        self._axe_source = AXE_JS.read_text(encoding="utf-8") if AXE_JS.is_file() else None
        context.on("request", self._on_request)
        context.on("requestfinished", self._on_finished)
        context.on("response", self._on_response)

    # --- traffic -------------------------------------------------------------------------

    def _on_request(self, request: Request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if not url.startswith(self.base_url + "/") and url != self.base_url:
            self.third_party.append(url)

    def _on_finished(self, request: Request) -> None:
        self._finished.append(request)

    def _on_response(self, response: Response) -> None:
        request = response.request
        if request.resource_type not in ("document", "fetch"):
            return
        if request.resource_type == "document" and request.frame.parent_frame is not None:
            return
        if response.status in (301, 302, 303, 307, 308):
            return
        if not (response.headers.get("content-type") or "").startswith("text/html"):
            return
        self._html[id(request.frame.page)] = response

    def _collect_sizes(self) -> None:
        for request in self._finished:
            try:
                sizes = request.sizes()
            except Exception:
                continue
            total = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            if total > 0 and request.url not in self._bytes:
                self._bytes[request.url] = total
            if request.resource_type in ("document", "fetch"):
                self._bytes[f"doc:{request.url}"] = total
        self._finished.clear()

    # --- checks --------------------------------------------------------------------------

    def fail(self, message: str) -> None:
        self.problems.append(message)

    def check(
        self, page: Page, name: str, *, child: bool = True, lang: str | None = None, screenshot: bool = True
    ) -> PageRecord:
        lang = lang or self.lang
        page.wait_for_load_state("load")
        path = page.url.replace(self.base_url, "")
        record = PageRecord(lang=lang, name=name, url=path, js=self.js, child=child)
        where = f"[{lang}{'' if self.js else ' no-js'}] {name} ({record.url})"
        response = self._html.get(id(page))
        html = response.body() if response is not None else page.content().encode()
        self._check_lang(page, lang, where)
        record.axe = self._check_axe(page, html, where)
        self._pending_html.append((record, html, where))  # checked in a batch: see flush_html
        self._check_taps(page, where)
        self._check_reflow(page, where)
        if child:
            record.weight = self._check_weight(page, where, response)
        if screenshot and self.js:  # without JavaScript the page is the same HTML: one picture
            self._screenshot(page, lang, name)
        self.checked.append(record)
        self.report.pages.append(record)
        return record

    def _check_lang(self, page: Page, lang: str, where: str) -> None:
        got = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
        want = [lang.replace("_", "-"), "rtl" if lang in RTL else "ltr"]  # fa_AF is fa-AF in HTML
        if got != want:
            self.fail(f"{where}: <html lang dir> is {got}, expected {want}")

    def _check_axe(self, page: Page, html: bytes, where: str) -> int:
        if self._axe_source is None:
            self.fail(f"{where}: axe-core is not installed (make browser-deps)")
            return 0
        target = page
        if not self.js:
            target = self._show_without_js(html)
        if not target.evaluate("typeof window.axe === 'object'"):
            target.evaluate(self._axe_source)
        # Child pages keep Exit and "I don't feel safe" in a sticky bar, and whatever has
        # scrolled under it counts as "obscured" for axe's target-size rule. Run axe with the
        # page at the top, where the bar covers nothing, so the result does not depend on
        # where the journey happened to scroll; then put the page back.
        scrolled = target.evaluate("() => { const y = window.scrollY; window.scrollTo(0, 0); return y; }")
        violations = target.evaluate(_AXE_RUN, AXE_TAGS)
        target.evaluate("y => window.scrollTo(0, y)", scrolled)
        for v in violations:
            nodes = "; ".join(f"{n['target']}: {n['summary']}".replace("\n", " ") for n in v["nodes"])
            self.fail(f"{where}: axe {v['id']} ({v['impact']}): {v['help']} -> {nodes}")
        return len(violations)

    def _show_without_js(self, html: bytes) -> Page:
        """Put the no-JavaScript page's HTML into a JavaScript page (its scripts blocked) for axe:
        axe runs asynchronously, and a page with JavaScript disabled runs no tasks at all.

        The auditing page stays on one same-origin document and swaps its content, so axe is
        injected once and the stylesheets come from the cache.
        """
        assert self.axe_page is not None, "a no-JavaScript auditor needs an axe_page"
        if not self.axe_page.url.startswith(self.base_url):
            self.axe_page.goto(f"{self.base_url}/healthz")
        self.axe_page.set_content(html.decode("utf-8"), wait_until="load")
        return self.axe_page

    def flush_html(self) -> None:
        """Check the HTML of the pages seen so far. Deferred so the first journey does not wait
        for the checker's JVM to start."""
        for record, html, where in self._pending_html:
            record.html = self._check_html(html, where)
        self._pending_html.clear()

    def _check_html(self, html: bytes, where: str) -> int:
        if not self.checker.available:
            self.fail(f"{where}: the Nu HTML Checker is not available (java + make browser-deps)")
            return 0
        count = 0
        for message in self.checker.check(html):
            text = message.get("message", "")
            if any(pattern.search(text) for pattern, _reason in HTML_EXCEPTIONS):
                continue
            count += 1
            extract = (message.get("extract") or "").replace("\n", " ")[:120]
            line = message.get("lastLine")
            self.fail(f"{where}: HTML {message.get('type')} line {line}: {text} [{extract}]")
        return count

    def _check_taps(self, page: Page, where: str) -> None:
        for small in page.evaluate(_TAP_TARGETS, TAP_MIN):
            self.fail(f"{where}: tap target smaller than {TAP_MIN}×{TAP_MIN}: {small}")

    def _check_reflow(self, page: Page, where: str) -> None:
        for label, size in (("at 100%", ""), ("with text at 200%", "200%")):
            page.evaluate("s => { document.documentElement.style.fontSize = s; }", size)
            got = page.evaluate(_REFLOW)
            if got["scrollWidth"] > got["innerWidth"] or got["offscreen"]:
                self.fail(
                    f"{where}: scrolls sideways {label}: scrollWidth {got['scrollWidth']} > "
                    f"{got['innerWidth']}; off screen: {got['offscreen']}"
                )
        page.evaluate("() => { document.documentElement.style.fontSize = ''; }")

    def _check_weight(self, page: Page, where: str, response: Response | None) -> dict[str, int]:
        self._collect_sizes()
        weight = {"html": 0, "css": 0, "js": 0, "img": 0, "font": 0, "other": 0}
        if response is not None:
            weight["html"] = self._bytes.get(f"doc:{response.url}", 0)
        for entry in page.evaluate(_RESOURCES):
            size = self._bytes.get(entry["url"], entry["encoded"] + 300)
            weight[_kind(entry["url"])] += size
        weight["total"] = sum(weight.values())
        if weight["total"] >= BUDGET_BYTES:
            self.fail(
                f"{where}: {weight['total']} bytes transferred (cold cache), budget {BUDGET_BYTES}: {weight}"
            )
        return weight

    def _screenshot(self, page: Page, lang: str, name: str) -> None:
        path = ARTIFACTS / "screenshots" / lang / f"{self.label}{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True, animations="disabled", scale="css")

    def assert_clean(self) -> None:
        self.flush_html()
        problems = list(self.problems)
        if self.third_party:
            problems.append(f"requests to other hosts: {sorted(set(self.third_party))}")
        assert not problems, f"{len(problems)} problem(s):\n  " + "\n  ".join(problems)

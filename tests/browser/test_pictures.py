"""The picture journey on a phone (390 × 844), by taps alone, in English and Arabic (RTL).

On every page after the choice of chat: at most about 15 visible words apart from the header,
and every control in the page has an accessible name and is at least 64 px each way. Then the
worker opens "All about me", which axe must pass with no violations.
"""

from __future__ import annotations

import pytest

from tests.browser import journeys

pytestmark = pytest.mark.browser

MAX_WORDS = 15
MIN_TARGET = 64

# Words a person can see in <main>: text whose every box up to <main> is larger than a pixel
# and not hidden (so "visually hidden" words for screen readers don't count). The site's own
# note on a draft translation (base layout, every page) counts as header, like the quick bar.
VISIBLE_WORDS = """() => {
  const main = document.querySelector('main');
  const seen = (el) => {
    for (; el && el !== main.parentElement; el = el.parentElement) {
      const style = getComputedStyle(el), box = el.getBoundingClientRect();
      if (el.classList.contains('translation-note')) return false;
      if (style.display === 'none' || style.visibility === 'hidden') return false;
      if (box.width <= 1 || box.height <= 1) return false;
    }
    return true;
  };
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const words = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (seen(node.parentElement)) words.push(...node.textContent.split(/\\s+/).filter(Boolean));
  }
  return words;
}"""

# Every control a child can use in <main>: its accessible name (label, aria-label or its own
# words, visible or not) and its size on screen.
CONTROLS = """() => Array.from(document.querySelectorAll(
    'main button, main a[href], main input:not([type=hidden]), main textarea, main select'))
  .filter((el) => {
    const s = getComputedStyle(el), b = el.getBoundingClientRect();
    return s.display !== 'none' && s.visibility !== 'hidden' && b.width > 0 && !el.closest('[hidden]');
  })
  .map((el) => {
    const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
    const own = el.getAttribute('aria-label') || label || el.textContent || el.getAttribute('title');
    const name = (own || '').trim();
    const box = el.getBoundingClientRect();
    return { what: el.outerHTML.slice(0, 80), name, width: box.width, height: box.height };
  })"""


def _check_page(phone, name: str, pages: list[str]) -> None:
    page = phone.page
    page.wait_for_load_state("load")
    pages.append(name)
    phone.audit.check(page, f"pictures-{name}")
    words = page.evaluate(VISIBLE_WORDS)
    assert len(words) <= MAX_WORDS, f"[{phone.lang}] {name}: {len(words)} visible words: {' '.join(words)}"
    for control in page.evaluate(CONTROLS):
        assert control["name"], f"[{phone.lang}] {name}: a control has no accessible name: {control['what']}"
        big = control["width"] >= MIN_TARGET and control["height"] >= MIN_TARGET
        assert big, f"[{phone.lang}] {name}: smaller than {MIN_TARGET} px: {control}"


def _tap(phone, selector: str) -> None:
    with phone.page.expect_navigation(wait_until="load"):
        phone.page.click(selector)


def _journey(phone, helper: str) -> list[str]:
    page, pages = phone.page, []
    with page.expect_navigation(wait_until="load"):
        page.click("form.mode-choice button[name=flow][value='all-about-me']")
    assert "/pictures/" in page.url, page.url
    _check_page(phone, "hello", pages)
    _tap(phone, "main a.card.next")
    _check_page(phone, "who", pages)
    _tap(phone, f"main button[name=answer][value='{helper}']")
    if helper != "just-me":
        _check_page(phone, "adult-words", pages)
        _tap(phone, "main button[name=action][value=skip]")
    faces = {"home": "1", "school": "4", "family": "5", "friends": "4", "worker": "3", "body": "4"}
    for area, face in {**faces, "worries": "3"}.items():
        _check_page(phone, area, pages)
        _tap(phone, f"main button[name=answer][value='{face}']")
        if area == "home":  # a sad face on home: a gentle offer of help
            _check_page(phone, "home-help", pages)
            _tap(phone, "main button[name=answer][value='not-now']")
    for question, picks in (("important", ("mum", "pet")), ("likes", ("music", "outside"))):
        _check_page(phone, question, pages)
        for pick in picks:
            page.click(f"main label.card:has(input[value='{pick}'])")
        _tap(phone, "main form.picture-form button.next")
    _check_page(phone, "change", pages)
    _tap(phone, "main button[name=answer][value='school']")
    _check_page(phone, "end", pages)
    _tap(phone, "main form.send-form button")
    assert page.url.endswith("/sent"), page.url
    _check_page(phone, "sent", pages)
    return pages


@pytest.mark.parametrize(
    ("lang", "ref", "helper"),
    [pytest.param("en", "C-1007", "just-me", id="en"), pytest.param("ar", "C-1005", "my-worker", id="ar")],
)
def test_the_picture_journey_by_taps_alone(new_phone, lang: str, ref: str, helper: str) -> None:
    phone = new_phone(lang, js=True, label="pictures-")
    journeys.enrol(phone, ref, audit=False)
    pages = _journey(phone, helper)
    assert len(pages) >= 14, pages
    rows = phone.server.sql(
        "SELECT language, flow_id FROM submissions"
        " WHERE child_id = (SELECT id FROM children WHERE ref = ?) ORDER BY sent_at DESC LIMIT 1",
        ref,
    )
    assert rows == [(lang, "all-about-me")], rows
    phone.audit.assert_clean()

    # The worker reads "All about me": the same bars as every staff page, axe with no violations.
    worker = phone.server.worker_of(ref)
    desk = new_phone("en", js=False, label=f"pictures-staff-{lang}-")
    page = desk.page
    page.goto(desk.url("/staff/sign-in"))
    page.fill("input[name=email]", worker["email"])
    page.fill("input[name=password]", worker["password"])
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    submission = phone.server.sql(
        "SELECT id FROM submissions WHERE flow_id = 'all-about-me' AND child_id = "
        "(SELECT id FROM children WHERE ref = ?) ORDER BY sent_at DESC LIMIT 1",
        ref,
    )[0][0]
    page.goto(desk.url(f"/staff/submissions/{_uuid(submission)}/about-me"))
    record = desk.audit.check(page, "staff-about-me", child=False)
    assert record.axe == 0
    assert "All about me" in page.inner_text("main")
    desk.audit.assert_clean()


def _uuid(raw) -> str:
    import uuid

    return str(uuid.UUID(hex=raw) if isinstance(raw, str) and len(raw) == 32 else uuid.UUID(str(raw)))

"""A child's journey in real conditions, in Chromium on a 390×844 phone, in English and Arabic,
with and without JavaScript: Exit really ends the session; Exit and "I don't feel safe" stay on
screen at every chat step without covering the answer; a send with no signal loses nothing."""

from __future__ import annotations

import hashlib

import pytest

from tests.browser import journeys

pytestmark = pytest.mark.browser

EXIT_URL = "https://www.bbc.co.uk/weather"  # voice.config.DEFAULT_EXIT_URL
NEUTRAL = "<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"


def _neutral_site(phone: journeys.Phone) -> None:
    """The real exit site is not reachable from the test machine: answer for it."""
    phone.context.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL),
    )


def _forget_neutral_site(phone: journeys.Phone) -> None:
    phone.audit.third_party = [u for u in phone.audit.third_party if not u.startswith(EXIT_URL)]


def _this_phones_session(phone: journeys.Phone) -> str:
    """The hash of the session cookie this phone holds now (as auth_sessions stores it)."""
    token = next(c["value"] for c in phone.context.cookies() if c["name"] == "voice_auth")
    return hashlib.sha256(token.encode()).hexdigest()


def _ended(phone: journeys.Phone, session_hash: str) -> str | None:
    """Why this session ended, or None while it is live."""
    rows = phone.server.sql("SELECT end_reason FROM auth_sessions WHERE token_hash = ?", session_hash)
    assert len(rows) == 1, rows
    return rows[0][0]


def _press_exit(phone: journeys.Phone, press) -> None:
    """Press Exit and wait until the phone has left Voice. Exit posts to /exit either way (a
    form without JavaScript, fetch with it) and the answer sends the phone to the neutral site.
    Without JavaScript that is a redirect, which Playwright cannot answer for, so the phone
    shows its own "no internet" page there: what matters is that it left Voice."""
    page = phone.page
    if phone.js:  # a fetch that does not follow the redirect: Playwright reports only the request
        with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/exit")):
            press()
    else:
        with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/exit")) as exited:
            press()
        headers = exited.value.all_headers()
        assert exited.value.status == 303, exited.value.status
        assert headers["location"] == EXIT_URL
        assert headers.get("clear-site-data") == '"cache", "storage"', headers
    for _ in range(100):
        if not page.url.startswith(phone.server.base_url):
            break
        page.wait_for_timeout(100)
    assert not page.url.startswith(phone.server.base_url), page.url
    page.wait_for_load_state()


def _shows_no_child_data(phone: journeys.Phone) -> None:
    page = phone.page
    assert page.query_selector("input[name=pin]") is not None, page.url
    assert page.query_selector(".message-list, .reply-bubble, ol.chat, dl.answers") is None, page.url


EXIT_CASES = [
    pytest.param("en", True, "C-1001", id="en-js"),
    pytest.param("en", False, "C-1002", id="en-nojs"),
    pytest.param("ar", True, "C-1005", id="ar-js"),
    pytest.param("ar", False, "C-1003", id="ar-nojs"),
]


@pytest.mark.parametrize(("lang", "js", "ref"), EXIT_CASES)
def test_after_exit_back_and_messages_ask_for_the_pin(new_phone, lang: str, js: bool, ref: str) -> None:
    phone = new_phone(lang, js=js, label="exit-")
    page = phone.page
    _neutral_site(phone)
    journeys.send_quickly(phone, ref)
    page.goto(phone.url("/messages"))
    assert page.query_selector(".message-list a") is not None, "nothing to hide: the test proves nothing"

    session = _this_phones_session(phone)
    # A double tap: the second press must not undo or break the first.
    _press_exit(phone, lambda: page.dblclick("header form.exit-form button", no_wait_after=True))
    assert _ended(phone, session) == "quick_exit"

    page.go_back(wait_until="load")
    assert page.url.startswith(phone.server.base_url), page.url
    _shows_no_child_data(phone)
    phone.audit.check(page, "after-exit-back")

    page.goto(phone.url("/messages"))
    assert page.url.endswith("/sign-in"), page.url
    _shows_no_child_data(phone)

    # The phone is still the child's: their PIN opens Voice again.
    page.fill("input[name=pin]", journeys.PIN)
    with page.expect_navigation(wait_until="load"):
        page.click("main form[method=post] button[type=submit]")
    assert "/chat" in page.url, page.url
    _forget_neutral_site(phone)
    phone.audit.assert_clean()


def test_exit_while_offline_ends_the_session_when_the_phone_is_back(new_phone) -> None:
    ref = "C-1004"
    phone = new_phone("en", js=True, label="exit-offline-")
    page = phone.page
    _neutral_site(phone)
    journeys.send_quickly(phone, ref)
    page.goto(phone.url("/messages"))
    session = _this_phones_session(phone)
    phone.context.set_offline(True)
    page.click("header form.exit-form button", no_wait_after=True)
    page.wait_for_timeout(1500)
    assert page.query_selector(".message-list") is None, "the child's messages are still on screen"
    assert _ended(phone, session) is None, "offline, nothing could reach Voice"
    phone.context.set_offline(False)
    page.goto(phone.url("/messages"))  # the next contact, whatever it is
    assert page.url.endswith("/sign-in"), page.url
    _shows_no_child_data(phone)
    assert _ended(phone, session) == "quick_exit"
    _forget_neutral_site(phone)
    phone.audit.assert_clean()


def test_escape_three_times_exits_the_same_way(new_phone) -> None:
    phone = new_phone("ar", js=True, label="exit-escape-")
    page = phone.page
    _neutral_site(phone)
    journeys.enrol(phone, "C-1006", audit=False)
    session = _this_phones_session(phone)
    _press_exit(phone, lambda: [page.keyboard.press("Escape") for _ in range(3)])
    assert _ended(phone, session) == "quick_exit"
    page.go_back(wait_until="load")
    _shows_no_child_data(phone)
    _forget_neutral_site(phone)
    phone.audit.assert_clean()


# --- always on screen ------------------------------------------------------------------------

_IN_VIEW = """(sel) => {
  const el = document.querySelector(sel);
  if (!el) return 'missing';
  const r = el.getBoundingClientRect();
  const ok = r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  const at = [r.left, r.top, r.right, r.bottom].map(n => n.toFixed(0)).join(',');
  return ok ? '' : `${sel} at ${at}`;
}"""

# The first control of the answer (or the link to the review page) is on screen, and what is
# drawn at its middle is the control itself, not the sticky bar over it.
# The first control of the answer (or the link to the review page) is on screen, and what is
# drawn at its middle is the control itself, not the sticky bar over it. ``bring`` scrolls it
# into view the way the browser does for a focused control or a child scrolling back up
# (scroll-padding decides where it stops).
_ANSWER_UNCOVERED = """(bring) => {
  const el = document.querySelector(
    'form.answer-form textarea, form.answer-form button[name=answer], ' +
    'form.answer-form input[type=checkbox], #now a.button');
  if (!el) return 'no answer control';
  if (bring) el.scrollIntoView({block: 'nearest'});
  const r = el.getBoundingClientRect();
  const x = r.left + Math.min(r.width / 2, 20), y = r.top + Math.min(r.height / 2, 10);
  if (y < 0 || y > window.innerHeight) return `answer off screen at y=${y.toFixed(0)}`;
  const hit = document.elementFromPoint(x, y);
  return hit && (hit === el || el.contains(hit) || hit.contains(el)) ? '' :
    `answer covered by ${hit ? hit.tagName + '.' + hit.className : 'nothing'}`;
}"""


# Set the text size. With JavaScript, also let two frames pass, so child.js's ResizeObserver
# can give the bar's new height to scroll-padding as it would for a child. (Without JavaScript
# no frame callback ever runs, and the layout is read synchronously anyway.)
_TEXT_SIZE = """(size) => { document.documentElement.style.fontSize = size; }"""
_TWO_FRAMES = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"""


def _check_bar(phone: journeys.Phone, step: str, problems: list[str], heights: dict[str, float]) -> None:
    """As the step is shown (JavaScript: focus on the answer; without: scrolled to #now), and
    with the text at 200% after scrolling to the end and back up to the answer."""
    page = phone.page
    for size in ("", "200%"):
        page.evaluate(_TEXT_SIZE, size)
        if phone.js:
            page.evaluate(_TWO_FRAMES)
        if size:
            page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        bar = page.evaluate("() => document.querySelector('header.quick-bar').getBoundingClientRect().height")
        heights[size or "100%"] = max(heights.get(size or "100%", 0), bar)
        for sel in ("header form.exit-form button", "header form.not-safe button"):
            where = page.evaluate(_IN_VIEW, sel)
            if where:
                problems.append(f"{step} text {size or '100%'}: {where}")
        covered = page.evaluate(_ANSWER_UNCOVERED, bool(size))
        if covered:
            problems.append(f"{step} text {size or '100%'}: {covered}")
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")


BAR_CASES = [
    pytest.param("en", True, "C-1006", id="en-js"),
    pytest.param("en", False, "C-1007", id="en-nojs"),
    pytest.param("ar", True, "C-1002", id="ar-js"),
    pytest.param("ar", False, "C-1001", id="ar-nojs"),
    pytest.param("bn", True, "C-1003", id="bn-js"),
]


@pytest.mark.parametrize(("lang", "js", "ref"), BAR_CASES)
def test_exit_and_not_safe_stay_on_screen_at_every_chat_step(
    new_phone, lang: str, js: bool, ref: str
) -> None:
    phone = new_phone(lang, js=js, label="bar-")
    page = phone.page
    journeys.enrol(phone, ref, audit=False)
    journeys.start_chat(phone, audit=False)
    problems: list[str] = []
    heights: dict[str, float] = {}
    steps = 0
    for number in range(1, 80):
        node = journeys.current_node(phone)
        _check_bar(phone, f"step {number} ({node or 'end'})", problems, heights)
        if node is None:
            break
        steps += 1
        journeys.answer_current(phone, skip=number % 4 == 0)
    else:
        pytest.fail("the chat did not end")
    with page.expect_navigation(wait_until="load"):
        page.click("#now a.button")
    assert page.url.endswith("/review"), page.url
    for sel in ("header form.exit-form button", "header form.not-safe button"):
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        assert page.evaluate(_IN_VIEW, sel) == "", f"review page, scrolled to the end: {sel}"
    assert steps >= 5, steps
    assert not problems, "\n".join(problems)
    # The bar leaves the chat most of the screen: at most a quarter of it, even at 200% text
    # (measured: 52 px at 100%; at 200%, Arabic 76, English 149, Bengali 186).
    print(f"\nquick bar [{lang} js={js}] over {steps} steps: tallest {heights} of 844 px")
    assert max(heights.values()) <= 844 / 4, heights


# --- no signal -------------------------------------------------------------------------------

WORDS = "I want to stay at my school next year, please."


@pytest.mark.parametrize(("lang", "ref"), [("en", "C-1003"), ("ar", "C-1004")])
def test_a_send_with_no_signal_keeps_the_words_and_goes_when_the_signal_is_back(
    new_phone, lang: str, ref: str
) -> None:
    phone = new_phone(lang, js=True, label="offline-")
    page = phone.page
    journeys.enrol(phone, ref, audit=False)
    journeys.start_chat(phone, audit=False)
    box = "form.answer-form textarea[name=answer]"
    for _ in range(60):
        if page.query_selector(box):
            break
        journeys.answer_current(phone)
    else:
        pytest.fail("no question with a text box was reached")
    node = journeys.current_node(phone)

    page.fill(box, WORDS)
    phone.context.set_offline(True)
    page.click("form.answer-form fieldset button[type=submit]:not([name])")
    page.wait_for_selector("#chat-offline:not([hidden])")
    assert page.input_value(box) == WORDS
    assert journeys.current_node(phone) == node
    assert page.url.startswith(phone.server.base_url) and "/chat/" in page.url
    phone.audit.check(page, "offline-words-kept")

    phone.context.set_offline(False)  # the phone says it is online again: the answer goes
    page.wait_for_function(
        "(node) => { const f = document.querySelector('form.answer-form input[name=node]');"
        " return !f || f.value !== node; }",
        arg=node,
    )
    assert WORDS in page.inner_text("ol.chat")
    phone.audit.assert_clean()


_STORAGE = """async () => {
  const kept = [JSON.stringify(Object.entries(localStorage)), JSON.stringify(Object.entries(sessionStorage))];
  const names = indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [];
  kept.push(JSON.stringify(names));
  const caches_ = window.caches ? await caches.keys() : [];
  kept.push(JSON.stringify(caches_));
  return kept.join("\\n");
}"""


def test_after_exit_no_typed_words_are_left_in_the_browsers_storage(new_phone) -> None:
    """THREATS row 33: words typed with no signal, then Exit: localStorage, sessionStorage,
    IndexedDB and the Cache API hold none of them, and Back shows the PIN page."""
    canary = "CANARY-storage-3b7e"
    phone = new_phone("en", js=True, label="storage-")
    page = phone.page
    _neutral_site(phone)
    journeys.enrol(phone, "C-1002", audit=False)
    journeys.start_chat(phone, audit=False)
    box = "form.answer-form textarea[name=answer]"
    for _ in range(60):
        if page.query_selector(box):
            break
        journeys.answer_current(phone)
    else:
        pytest.fail("no question with a text box was reached")
    page.fill(box, f"{canary} {WORDS}")
    phone.context.set_offline(True)  # the words stay on the phone, waiting for a signal
    page.click("form.answer-form fieldset button[type=submit]:not([name])")
    page.wait_for_selector("#chat-offline:not([hidden])")
    phone.context.set_offline(False)
    _press_exit(phone, lambda: page.click("header form.exit-form button", no_wait_after=True))
    page.goto(phone.url("/sign-in"))
    assert canary not in page.evaluate(_STORAGE)
    assert canary not in page.content()
    page.go_back(wait_until="load")
    assert canary not in page.content()
    _forget_neutral_site(phone)

"""A child whose session ends while they type gets their words back after the PIN, in Chromium,
with and without JavaScript (voice/web/child/carry.py; with JavaScript the answer goes by fetch,
and the PIN page must still be shown rather than the words dropped)."""

from __future__ import annotations

import pytest

from tests.browser import journeys

pytestmark = pytest.mark.browser

WORDS = "I would like to choose my own bedtime on Fridays."


@pytest.mark.parametrize(("js", "ref"), [(True, "C-1006"), (False, "C-1007")], ids=["js", "nojs"])
def test_words_typed_as_the_session_ended_come_back_after_the_pin(new_phone, js: bool, ref: str) -> None:
    phone = new_phone("en", js=js, label="signed-out")
    page = phone.page
    journeys.enrol(phone, ref, audit=False)
    journeys.start_chat(phone, audit=False)
    for _ in range(60):
        if page.query_selector("form.answer-form textarea[name=answer]"):
            break
        journeys.answer_current(phone)
    else:
        pytest.fail("no question with a text box was reached")
    node = journeys.current_node(phone)

    # The session ends while the child is typing, as it does after 15 minutes idle.
    phone.context.add_cookies([{"name": "voice_auth", "value": "ended", "url": phone.server.base_url}])
    page.fill("form.answer-form textarea[name=answer]", WORDS)
    with page.expect_navigation(wait_until="load"):
        page.click("form.answer-form fieldset button[type=submit]:not([name])")
    assert page.query_selector("input[name=pin]") is not None, page.url
    assert "what you typed is kept" in page.inner_text("main")
    phone.audit.check(page, "signed-out-carrying-words")

    page.fill("input[name=pin]", journeys.PIN)
    with page.expect_navigation(wait_until="load"):
        page.click("main form[method=post] button[type=submit]")
    assert page.input_value("form.answer-form textarea[name=answer]") == WORDS
    assert journeys.current_node(phone) == node
    phone.audit.check(page, "words-given-back")

    send = "form.answer-form fieldset button[type=submit]:not([name])"
    journeys.submit_and_wait(phone, lambda: page.click(send))
    assert journeys.current_node(phone) != node, "the kept words were not saved when sent again"
    phone.audit.assert_clean()

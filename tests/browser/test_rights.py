"""The rights explorer and "Ask a question", in three languages, without signing in.

/rights → one of the seven big ideas → care words → ask a question in the child's own words
→ the answer → "that's not what I meant" → another answer; and the rights quiz's first
question. Every page is audited.
"""

from __future__ import annotations

import pytest

from tests.browser import journeys

pytestmark = pytest.mark.browser


def _needs_rights(phone: journeys.Phone) -> None:
    response = phone.page.goto(phone.url(f"/rights?lang={phone.lang}"))
    if response is None or response.status == 404:
        pytest.skip("the rights explorer (/rights) is not built yet")


def _go(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize(("lang", "js"), [("en", True), ("bn", True), ("ar", False)])
def test_rights_explorer_and_ask(new_phone, lang: str, js: bool) -> None:
    phone = new_phone(lang, js=js, label="rights-")
    page = phone.page
    _needs_rights(phone)
    phone.audit.check(page, "index")

    _go(page, "main ul.rights-cards li:first-child a")
    assert "/rights/" in page.url
    phone.audit.check(page, "explainer")

    page.goto(phone.url("/rights/words"))
    phone.audit.check(page, "words")

    page.goto(phone.url("/rights/ask"))
    phone.audit.check(page, "ask")
    page.fill("main textarea[name=question]", "can I see my brother")
    _go(page, "main form.rights-ask-form button[type=submit]")
    assert "/rights/ask" in page.url, page.url
    phone.audit.check(page, "ask-answer")
    assert page.locator("main h1").count() == 1

    other = page.locator("main ul.rights-links a[href*='/rights/answers/']")
    if other.count():
        _go(page, "main ul.rights-links a[href*='/rights/answers/'] >> nth=0")
        phone.audit.check(page, "topic")

    page.goto(phone.url("/rights/quiz"))
    phone.audit.check(page, "quiz-start")
    start = page.locator("main a[href*='/rights/quiz/1'], main form button[type=submit]")
    if start.count():
        _go(page, "main a[href*='/rights/quiz/1'], main form button[type=submit] >> nth=0")
        phone.audit.check(page, "quiz-question")
        page.check("main input[type=radio][name=answer] >> nth=0")
        _go(page, "main form.rights-quiz-form button[type=submit]")
        phone.audit.check(page, "quiz-answer")
    phone.audit.assert_clean()

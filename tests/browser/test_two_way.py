"""Two-way, in Chromium on a phone: a worker writes back, the child sees "new reply" on their
next visit, answers it in the same thread, and the worker sees the answer as new.

The child is in English and in Arabic, each with and without JavaScript; staff pages are English.
"""

from __future__ import annotations

import uuid

import pytest

from tests.browser import journeys

pytestmark = pytest.mark.browser

REPLY = "Thanks for your answers. Shall we talk about football at your review?"
ANSWERS = {"en": "Yes please, after school is best for me.", "ar": "نعم من فضلك، بعد المدرسة أفضل لي."}

CASES = [
    pytest.param("en", True, "C-1007", id="en-js"),
    pytest.param("ar", False, "C-1005", id="ar-nojs"),
    pytest.param("en", False, "C-1001", id="en-nojs"),
    pytest.param("ar", True, "C-1006", id="ar-js"),
]


def _sign_in(desk: journeys.Phone, worker: dict[str, str]) -> None:
    page = desk.page
    page.goto(desk.url("/staff/sign-in"))
    page.fill("input[name=email]", worker["email"])
    page.fill("input[name=password]", worker["password"])
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")


@pytest.mark.parametrize(("lang", "js", "ref"), CASES)
def test_a_child_answers_a_reply_and_the_worker_sees_it(new_phone, lang: str, js: bool, ref: str) -> None:
    child = new_phone(lang, js=js)
    sent_url = journeys.send_quickly(child, ref)
    submission_id = uuid.UUID(sent_url.rstrip("/").split("/")[-2])
    thread_path = f"/messages/{submission_id}"

    # The worker writes back.
    desk = new_phone("en", js=False, label="staff-")
    _sign_in(desk, child.server.worker_of(ref))
    desk.page.goto(desk.url(f"/staff/submissions/{submission_id}"))
    desk.page.fill("main form[action$='/reply'] textarea", REPLY)
    with desk.page.expect_navigation():
        desk.page.click("main form[action$='/reply'] button[type=submit]")

    # The child's next visit says there is a new reply, and leads to it.
    page = child.page
    page.goto(child.url("/chat"))
    journeys.check(child, None, "new-reply-notice")
    notice = page.locator("main .new-reply-notice a")
    assert notice.count() == 1, "no 'new reply' notice on the child's next visit"
    with page.expect_navigation(wait_until="load"):
        notice.click()
    assert page.url.endswith(thread_path), page.url
    journeys.check(child, None, "message-new-reply")
    assert REPLY in page.inner_text("main .thread")
    assert page.locator("main .thread .new .badge").count() == 1

    # An empty answer gets a kind line and nothing is sent; then the real answer.
    with page.expect_navigation(wait_until="load"):
        page.click("main form.answer-reply button[type=submit]")
    assert page.locator("main form.answer-reply .error").count() == 1
    journeys.check(child, None, "answer-reply-empty")
    page.fill("main form.answer-reply textarea", ANSWERS[lang])
    with page.expect_navigation(wait_until="load"):
        page.click("main form.answer-reply button[type=submit]")
    assert page.url.split("#")[0].endswith(thread_path), page.url
    journeys.check(child, None, "message-answered")
    bubbles = page.locator("main .thread li").all_inner_texts()
    assert REPLY in bubbles[0] and ANSWERS[lang] in bubbles[-1], bubbles
    assert page.locator("main .new-reply-notice").count() == 0

    # The worker's inbox shows it as new, and the thread shows the child's words.
    desk.page.goto(desk.url("/staff/"))
    row = desk.page.locator(f"table.inbox tr:has(a[href$='/staff/submissions/{submission_id}'])")
    assert "New answer from the child" in row.inner_text()
    with desk.page.expect_navigation():
        row.locator("a").first.click()
    desk.audit.check(desk.page, "staff-child-answered", child=False)
    assert ANSWERS[lang] in desk.page.inner_text("main")

    rows = child.server.sql("SELECT count(*) FROM child_replies WHERE submission_id = ?", submission_id.hex)
    assert rows == [(1,)], rows
    child.audit.assert_clean()
    desk.audit.assert_clean()

"""A social worker signs in, reads what a child sent, and writes back; the child sees the
reply on their phone. Staff pages are in English, checked on the same small screen (workers
read on phones too), and held to the same accessibility and HTML bars; the page-weight budget
is for child pages."""

from __future__ import annotations

import uuid

import pytest

from tests.browser import journeys

pytestmark = pytest.mark.browser

REPLY = "Thank you for telling me. Let's talk about football at your review."


def test_worker_reads_and_replies(new_phone) -> None:
    ref = "C-1002"
    child = new_phone("en", js=True, label="staff-")
    sent_url = journeys.send_quickly(child, ref)
    submission_id = uuid.UUID(sent_url.rstrip("/").split("/")[-2])

    worker = child.server.worker_of(ref)
    desk = new_phone("en", js=False, label="staff-")
    page = desk.page
    page.goto(desk.url("/staff/sign-in"))
    desk.audit.check(page, "staff-sign-in", child=False)
    page.fill("input[name=email]", worker["email"])
    page.fill("input[name=password]", worker["password"])
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    desk.audit.check(page, "staff-inbox", child=False)

    with page.expect_navigation():
        page.click(f"main a[href$='/staff/submissions/{submission_id}']")
    desk.audit.check(page, "staff-submission", child=False)
    assert page.is_visible("main section.summary"), "the summary does not lead the page"
    assert not page.is_visible("main dl.answers"), "the topics should start folded"
    page.click("main details.topic > summary >> nth=0")
    assert page.is_visible("main dl.answers"), "a topic does not open to show the child's answers"

    page.fill("main form[action$='/reply'] textarea", REPLY)
    with page.expect_navigation():
        page.click("main form[action$='/reply'] button[type=submit]")
    desk.audit.check(page, "staff-replied", child=False)
    assert REPLY in page.inner_text("main")

    page.goto(desk.url("/staff/children"))
    desk.audit.check(page, "staff-children", child=False)

    status = child.server.sql("SELECT status FROM submissions WHERE id = ?", submission_id.hex)
    assert status == [("replied",)], status

    # The child sees the reply on their phone.
    child.page.goto(child.url(f"/messages/{submission_id}"))
    child.audit.check(child.page, "message-with-reply")
    assert REPLY in child.page.inner_text("main")

    desk.audit.assert_clean()
    child.audit.assert_clean()

"""A child's steps through Voice, driven in Chromium like a person would: tap, type, send.

Selectors name what the page offers (form classes, field names, button values), never the
English words, so the same steps work in Bengali and Arabic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.browser.audit import Auditor
from tests.browser.tools import LiveServer

PIN = "4826"
TEXT_ANSWER = "Things are OK. I like football and I want to see my brother more."

# With JavaScript, child.js posts answers with fetch and marks <main aria-busy> until the new
# chat is in place; without it, every answer is a full post/redirect/get.
_NOT_BUSY = "() => !document.querySelector('main[aria-busy=true]')"


@dataclass
class Phone:
    """One browser context on a phone-sized screen, in one language, with or without JavaScript."""

    context: Any
    page: Any
    audit: Auditor
    server: LiveServer
    lang: str
    js: bool

    def url(self, path: str) -> str:
        return self.server.base_url + path


@dataclass
class Journey:
    """What a journey saw: the pages it checked and the live-region text after each answer."""

    pages: list[str] = field(default_factory=list)
    announcements: list[str] = field(default_factory=list)
    submission_url: str = ""


def check(phone: Phone, journey: Journey | None, name: str, *, audit: bool = True) -> None:
    if journey is not None:
        journey.pages.append(name)
    if audit:
        phone.audit.check(phone.page, name)


def submit_and_wait(phone: Phone, click: Callable[[], None]) -> None:
    """Press a button that posts a form, and wait until the next page (or chat) is shown."""
    page = phone.page
    if phone.js:
        click()
        page.wait_for_function(_NOT_BUSY)
        page.wait_for_load_state("load")
    else:
        with page.expect_navigation(wait_until="load"):
            click()


def enrol(
    phone: Phone,
    ref: str,
    *,
    journey: Journey | None = None,
    audit: bool = True,
    first_lang: str | None = None,
) -> None:
    """Open a fresh invite link (with ``?lang=``), press start, choose a PIN twice."""
    page = phone.page
    lang = first_lang or phone.lang
    page.goto(f"{phone.server.invite(ref)}?lang={lang}")
    check(phone, journey, "welcome", audit=audit)
    with page.expect_navigation(wait_until="load"):
        page.click("main form[method=post] button[type=submit]")
    assert page.url.endswith("/choose-pin"), page.url
    check(phone, journey, "choose-pin", audit=audit)
    page.fill("input[name=pin]", PIN)
    page.fill("input[name=pin_again]", PIN)
    with page.expect_navigation(wait_until="load"):
        page.click("main form[method=post] button[type=submit]")
    if "/chat/" in page.url:
        # This demo child has a conversation open from an earlier test: send it, start afresh.
        finish_open_conversation(phone)
    assert page.url.endswith("/chat"), page.url


def finish_open_conversation(phone: Phone) -> None:
    page = phone.page
    page.goto(page.url.split("#")[0].rstrip("/") + "/review")
    with page.expect_navigation(wait_until="load"):
        page.click("button[name=action][value=send]")
    page.goto(phone.url("/chat"))


def start_chat(
    phone: Phone, flow: str = "pre-review", *, journey: Journey | None = None, audit: bool = True
) -> None:
    check(phone, journey, "chat-start", audit=audit)
    with phone.page.expect_navigation(wait_until="load"):
        phone.page.click(f"form.mode-choice button[name=flow][value='{flow}']")
    assert "/chat/" in phone.page.url, phone.page.url


def current_node(phone: Phone) -> str | None:
    field_ = phone.page.query_selector("form.answer-form input[name=node]")
    return field_.get_attribute("value") if field_ else None


def answer_current(phone: Phone, *, skip: bool = False, text: str = TEXT_ANSWER) -> None:
    """Answer the question on screen the way its controls ask: tap, tick and Done, or type."""
    page = phone.page
    form = "form.answer-form"
    if skip:
        submit_and_wait(phone, lambda: page.click(f"{form} button[name=action][value=skip]"))
        return
    replies = page.query_selector_all(f"{form} button[name=answer]")
    if replies:
        choice = replies[len(replies) // 2]  # a middle face or option, not always the first
        submit_and_wait(phone, choice.click)
        return
    boxes = page.query_selector_all(f"{form} input[type=checkbox][name=answer]")
    if boxes:
        boxes[0].check()
        if len(boxes) > 2:
            boxes[2].check()
    else:
        page.fill(f"{form} textarea[name=answer]", text)
    submit_and_wait(phone, lambda: page.click(f"{form} fieldset button[type=submit]:not([name])"))


def announcement(phone: Phone) -> str:
    return phone.page.eval_on_selector("#chat-news", "el => el.textContent.trim()")


def answer_all(
    phone: Phone, *, journey: Journey | None = None, audit: bool = True, skip_every: int = 0, limit: int = 60
) -> None:
    """Answer until the chat ends, checking every chat page on the way."""
    page = phone.page
    for number in range(1, limit):
        node = current_node(phone)
        if node is None:
            check(phone, journey, "chat-end", audit=audit)
            return
        check(phone, journey, f"chat-{number:02d}-{node}", audit=audit)
        answer_current(phone, skip=bool(skip_every) and number % skip_every == 0)
        if phone.js and journey is not None:
            page.wait_for_function("() => document.querySelector('#chat-news').textContent.trim() !== ''")
            said = announcement(phone)
            question = page.query_selector("form.answer-form legend")
            if question is not None:
                asked = " ".join(question.text_content().split())
                assert asked in said, f"the live region said {said!r}, not the new question {asked!r}"
            journey.announcements.append(said)
    raise AssertionError("the chat did not end")


def review_and_send(phone: Phone, *, journey: Journey | None = None, audit: bool = True) -> None:
    page = phone.page
    with page.expect_navigation(wait_until="load"):
        page.click("#now a.button")
    assert page.url.endswith("/review"), page.url
    check(phone, journey, "review", audit=audit)
    # "Who sees this" is asked once for every answer (the worker only, by default); one
    # answer's own choice waits behind its "Change who sees this answer" disclosure.
    disclosures = page.query_selector_all("details.share-one")
    if disclosures:
        assert page.is_checked("input[name=share-all][value=worker]")
        disclosures[0].query_selector("summary").click()  # open it, as a child would
        disclosures[0].query_selector("input[type=radio][value=worker_iro]").check()
    else:  # everything skipped: skipped questions come with no choices at all
        assert not page.query_selector_all("main input[type=radio]")
    with page.expect_navigation(wait_until="load"):
        page.click("button[name=action][value=send]")
    assert "/sent" in page.url, page.url
    if journey is not None:
        journey.submission_url = page.url
    check(phone, journey, "sent", audit=audit)


def read_my_copy(phone: Phone, *, journey: Journey | None = None, audit: bool = True) -> None:
    page = phone.page
    with page.expect_navigation(wait_until="load"):
        page.click("main a.button[href*='/messages/']")
    check(phone, journey, "message", audit=audit)
    page.goto(phone.url("/messages"))
    check(phone, journey, "messages", audit=audit)


def send_quickly(phone: Phone, ref: str) -> str:
    """Enrol, answer the short pictures chat and send it, without checking pages. Returns the
    submission's sent-page URL."""
    enrol(phone, ref, audit=False)
    start_chat(phone, "pre-review-pictures", audit=False)
    journey = Journey()
    answer_all(phone, audit=False)
    review_and_send(phone, journey=journey, audit=False)
    return journey.submission_url

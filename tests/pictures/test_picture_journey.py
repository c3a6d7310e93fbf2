"""The picture journey without a browser: plain forms all the way, help after a sad face, the
adult's words apart, and what the worker receives."""

from __future__ import annotations

from sqlalchemy import select

from tests.helpers.child import start_chat
from tests.helpers.pages import Page, PageFetcher
from voice.extensions import db
from voice.models import Alert, Submission

FORM = "main form.picture-form"


def _start(client) -> tuple[PageFetcher, Page]:
    page = PageFetcher(client)
    hello = start_chat(page, page.get("/chat"), flow="all-about-me")
    assert hello.url.startswith("/pictures/")
    assert "social worker" in hello.soup.select_one("main").get_text()
    return page, page.get(hello.soup.select_one("a.card.next")["href"])


def _tap(page: PageFetcher, at: Page, value: str) -> Page:
    return page.submit(at, selector=FORM, button=("answer", value))


def _question(at: Page) -> str:
    return at.soup.select_one("legend.picture-question").get_text(" ", strip=True)


def _through(page, at, taps):
    for value in taps:
        if isinstance(value, list):
            at = page.submit(at, {"answer": value}, selector=FORM)
        else:
            at = _tap(page, at, value)
    return at


def test_taps_alone_reach_the_end_and_send_with_who_helped_and_adult_words_apart(app, client, kid):
    page, at = _start(client)
    assert _question(at) == "Who is with you?"
    at = _tap(page, at, "my-worker")
    assert "For the grown-up" in _question(at)
    at = page.submit(at, {"answer": "She chose quickly and smiled."}, selector=FORM)
    at = _through(page, at, ["4", "3", "5", "4", "5", "4", "3", ["mum", "pet"], ["music"], "school"])
    assert at.soup.select_one("form.send-form") is not None
    sent = page.submit(at, selector="form.send-form")
    assert "/sent" in sent.url
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        answers = {a.node_id: a for a in submission.answers}
        assert answers["who"].choices == "my-worker"
        assert answers["important"].choices == "mum,pet"
        assert answers["adult-words"].topic == "adult-words"
        assert answers["adult-words"].answer_text == "She chose quickly and smiled."
        assert answers["home"].answer_type == "scale"


def test_a_sad_face_on_home_offers_help_and_yes_raises_the_same_alert_as_the_button(app, client, kid):
    page, at = _start(client)
    at = _through(page, at, ["just-me", "1"])
    assert _question(at) == "Do you want someone to help now?"
    safety = _tap(page, at, "help")
    assert safety.url == "/safety"
    with app.app_context():
        alert = db.session.scalar(select(Alert))
        assert alert is not None and alert.source == "button"
    back = page.get("/chat")  # the journey is still there, one step on
    assert _question(back) == "How is school?"


def test_not_now_carries_on_without_an_alert_and_a_happy_face_asks_nothing(app, client, kid):
    page, at = _start(client)
    at = _through(page, at, ["just-me", "2", "not-now", "4", "4", "4", "4", "2"])
    assert _question(at) == "Do you want someone to help now?"  # a sad face on "my body"
    at = _through(page, at, ["not-now", "5"])
    assert _question(at) == "Who is important?"
    with app.app_context():
        assert db.session.scalar(select(Alert)) is None

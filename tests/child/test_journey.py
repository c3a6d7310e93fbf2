"""The whole child journey through plain HTML forms: no JavaScript anywhere."""

from sqlalchemy import select

from tests.helpers.child import demo, enrol, finish_chat, review_link, start_chat
from voice.extensions import db
from voice.models import AuditEvent, Conversation, OutboxMessage, RoutingRecord, Submission


def test_invite_pin_chat_review_send_and_my_messages(app, runner, page):
    info = demo(runner)
    ayo = info["children"][0]
    start = enrol(page, ayo["invite_url"])
    assert start.url == "/chat"
    assert "/start/" not in start.url
    chat = start_chat(page, start)
    assert chat.url.startswith("/chat/")
    assert chat.soup.select_one("progress") is not None
    chat = finish_chat(page, chat, text="I want to see my sister more 🧡")
    review = page.get(review_link(chat))
    assert review.h1 == "Check your answers"
    assert "I want to see my sister more 🧡" in review.text
    # One choice for every answer, the private default; each answer follows it unless changed.
    assert review.soup.select_one("input[name=share-all][checked]")["value"] == "worker"
    own = review.soup.select("details.share-one input[type=radio][checked]")
    assert own and all(r["value"] == "same" for r in own)

    sent = page.submit(review, selector="main form[method=post]", button=("action", "send"))
    assert sent.url.endswith("/sent")
    assert "I want to see my sister" not in sent.text  # no echo of their words
    assert "Sam will read" in sent.text

    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert submission.child.ref == ayo["ref"]
        assert any(a.answer_text == "I want to see my sister more 🧡" for a in submission.answers)
        assert {a.share for a in submission.answers} == {"worker"}
        routing = db.session.scalar(select(RoutingRecord).where(RoutingRecord.submission_id == submission.id))
        assert routing.recipient_staff.email == ayo["allocated_worker"]
        assert routing.reason == "allocated"
        outbox = db.session.scalars(select(OutboxMessage)).all()
        assert [m.to_address for m in outbox] == [ayo["allocated_worker"]]
        assert db.session.scalar(select(Conversation)).status == "submitted"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "submission.sent"))

    mine = page.get("/messages")
    assert "Not read yet" in mine.text
    copy = page.get(mine.soup.select_one(".message-list a")["href"])
    assert "I want to see my sister more 🧡" in copy.text


def test_the_invite_link_works_once(runner, page, app):
    info = demo(runner)
    url = info["children"][1]["invite_url"]
    enrol(page, url)
    with app.test_client() as other:
        from tests.helpers.pages import PageFetcher

        again = PageFetcher(other).get(url.replace("http://voice.test", ""), status=410)
        assert "already been used" in again.text
        assert "Ask your worker for a new link" in again.text

"""The chat and sending: bad input, double taps, stale tabs, other children's ids."""

import threading
import uuid

from sqlalchemy import func, select

from tests import factories
from tests.helpers.child import answer_current, finish_chat, review_link, sign_in_directly, start_chat
from tests.helpers.pages import PageFetcher
from voice.extensions import db
from voice.models import AuditEvent, Conversation, Submission


def chat_at_text_question(page):
    chat = start_chat(page, page.get("/chat"))
    for _ in range(60):
        if chat.soup.select_one("form.answer-form textarea"):
            return chat
        chat = answer_current(page, chat)
    raise AssertionError("no free-text question reached")


def conversation_state(app):
    with app.app_context():
        conv = db.session.scalar(select(Conversation))
        return conv.version, conv.state


def test_nul_bytes_get_a_kind_message_and_the_text_is_kept(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    before = conversation_state(app)
    result = page.submit(chat, {"answer": "hello\x00there"}, selector="form.answer-form", status=400)
    assert result.soup.select_one(".error")
    assert "hello" in result.soup.select_one("textarea").get_text()
    assert conversation_state(app) == before


def test_a_megabyte_of_text_gets_a_kind_message_not_a_crash(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    huge = "I have a lot to say. " * 50_000
    result = page.submit(chat, {"answer": huge}, selector="form.answer-form", status=400)
    assert result.soup.select_one(".error")
    assert len(result.soup.select_one("textarea").get_text()) == len(huge)  # nothing lost


def test_emoji_and_rtl_text_round_trip_exactly(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    words = "👩‍👩‍👧‍👦 أريد أن أرى أختي \u202eabc\u202c ok"
    chat = page.submit(chat, {"answer": words}, selector="form.answer-form")
    chat = finish_chat(page, chat)
    review = page.get(review_link(chat))
    page.submit(review, selector="main form[method=post]", button=("action", "send"))
    with app.app_context():
        texts = [a.answer_text for a in db.session.scalar(select(Submission)).answers]
    assert words in texts


def test_posting_the_same_answer_twice_changes_nothing(app, client, kid):
    page = PageFetcher(client)
    chat = start_chat(page, page.get("/chat"))
    first_value = chat.form("form.answer-form").select("button[name=answer]")[0]["value"]
    page.submit(chat, selector="form.answer-form", button=("answer", first_value))
    after_first = conversation_state(app)
    page.submit(chat, selector="form.answer-form", button=("answer", first_value))  # the same old form again
    assert conversation_state(app) == after_first


def test_a_stale_tab_cannot_overwrite_a_newer_answer(app, client, kid):
    page = PageFetcher(client)
    chat = start_chat(page, page.get("/chat"))
    buttons = chat.form("form.answer-form").select("button[name=answer]")
    page.submit(chat, selector="form.answer-form", button=("answer", buttons[0]["value"]))
    newer = conversation_state(app)
    conflict = page.submit(
        chat, selector="form.answer-form", button=("answer", buttons[1]["value"]), status=409
    )
    assert "changed on another screen" in conflict.text
    assert conversation_state(app) == newer


def test_another_childs_conversation_is_not_found_and_audited(app, client, kid):
    page = PageFetcher(client)
    start_chat(page, page.get("/chat"))
    with app.app_context():
        conv_id = db.session.scalar(select(Conversation.id))
        other = factories.child(team_=factories.team())
        db.session.commit()
        other_ref = other.ref
    with app.test_client() as intruder:
        sign_in_directly(app, intruder, other_ref)
        assert intruder.get(f"/chat/{conv_id}").status_code == 404
        assert intruder.get(f"/chat/{conv_id}/review").status_code == 404
        assert intruder.post(f"/chat/{conv_id}", data={"answer": "x"}).status_code in (400, 404)
        assert intruder.get(f"/chat/{uuid.uuid4()}").status_code == 404
        assert intruder.get("/chat/not-a-uuid").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "authz.denied"))


def test_extra_fields_cannot_set_child_recipient_or_status(app, client, kid):
    page = PageFetcher(client)
    chat = finish_chat(page, start_chat(page, page.get("/chat")))
    review = page.get(review_link(chat))
    page.submit(
        review,
        {
            "child_id": str(uuid.uuid4()),
            "status": "read",
            "recipient": "staff:999",
            "flagged": "false",
            "concern": "0",
        },
        selector="main form[method=post]",
        button=("action", "send"),
    )
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert submission.child.ref == kid
        assert submission.status == "sent"


def test_every_question_can_be_skipped_and_it_can_still_be_sent(app, client, kid):
    page = PageFetcher(client)
    chat = start_chat(page, page.get("/chat"))
    for _ in range(80):
        if chat.soup.select_one("form.answer-form") is None:
            break
        chat = page.submit(chat, selector="form.answer-form", button=("action", "skip"))
    assert "You skipped this" in chat.text
    review = page.get(review_link(chat))
    sent = page.submit(review, selector="main form[method=post]", button=("action", "send"))
    assert sent.url.endswith("/sent")
    with app.app_context():
        answers = db.session.scalar(select(Submission)).answers
        assert answers and all(a.skipped for a in answers)


def test_private_answers_are_never_sent(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    node = chat.form("form.answer-form").find("input", attrs={"name": "node"})["value"]
    chat = page.submit(chat, {"answer": "only for me PRIVATE-CANARY"}, selector="form.answer-form")
    review = page.get(review_link(finish_chat(page, chat)))
    page.submit(
        review, {f"share-{node}": "private"}, selector="main form[method=post]", button=("action", "send")
    )
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert node not in [a.node_id for a in submission.answers]
        assert all("PRIVATE-CANARY" not in (a.answer_text or "") for a in submission.answers)


def test_going_back_keeps_answers(app, client, kid):
    page = PageFetcher(client)
    chat = start_chat(page, page.get("/chat"))
    chat = answer_current(page, chat)
    answered = conversation_state(app)[1]["answers"]
    back = page.submit(chat, selector="form.answer-form", button=("action", "back"))
    assert conversation_state(app)[1]["answers"] == answered
    assert back.soup.select_one("button[aria-pressed=true]") is not None


def test_a_double_tap_on_send_makes_one_submission_and_both_land_on_the_same_page(app, client, kid):
    page = PageFetcher(client)
    review = page.get(review_link(finish_chat(page, start_chat(page, page.get("/chat")))))
    first = page.submit(
        review, selector="main form[method=post]", button=("action", "send"), follow=False, status=302
    )
    second = page.submit(
        review, selector="main form[method=post]", button=("action", "send"), follow=False, status=302
    )
    assert first.response.headers["Location"] == second.response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Submission.id))) == 1


def test_two_concurrent_sends_make_exactly_one_submission(app, client, kid):
    page = PageFetcher(client)
    review = page.get(review_link(finish_chat(page, start_chat(page, page.get("/chat")))))
    form = review.form("main form[method=post]")
    data = {
        i["name"]: i.get("value", "")
        for i in form.find_all("input")
        if i.get("name") and i.get("checked", True)
    }
    data["action"] = "send"
    url = review.url
    locations, barrier = [], threading.Barrier(2)

    def send():
        with app.test_client() as c:
            for cookie in ("voice_auth", "voice", "voice_device"):
                c.set_cookie(cookie, client.get_cookie(cookie).value)
            barrier.wait()
            locations.append(c.post(url, data=data).headers.get("Location"))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(locations) == 2 and locations[0] == locations[1] and locations[0].endswith("/sent")
    with app.app_context():
        assert db.session.scalar(select(func.count(Submission.id))) == 1


def test_an_expired_csrf_token_keeps_the_draft(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    before = conversation_state(app)
    node = chat.form("form.answer-form").find("input", attrs={"name": "node"})["value"]
    response = client.post(
        chat.url,
        data={"csrf_token": "expired-or-forged", "node": node, "answer": "hi", "version": str(before[0])},
    )
    assert response.status_code == 400
    assert b"Anything you already saved is safe" in response.data
    assert conversation_state(app) == before
    assert client.get(chat.url).status_code == 200

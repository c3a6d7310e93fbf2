"""Words typed as the session ends, or as the form's token runs out, are given back, not lost
(voice/web/child/carry.py). Nothing is saved until the child presses the button again."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from tests import factories
from tests.child.test_chat import chat_at_text_question, conversation_state
from tests.helpers.child import PIN
from tests.helpers.pages import PageFetcher
from voice import clock
from voice.extensions import db
from voice.models import AuditEvent

WORDS = "I want to see my sister every weekend, please 🙏 أختي"


def _node(chat) -> str:
    return chat.form("form.answer-form").find("input", attrs={"name": "node"})["value"]


def test_words_typed_as_the_session_ended_come_back_in_the_box_after_the_pin(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    node = _node(chat)
    before = conversation_state(app)
    with time_machine.travel(clock.now() + timedelta(minutes=20), tick=False):
        pin_page = page.submit(chat, {"answer": WORDS}, selector="form.answer-form")
        assert pin_page.soup.select_one("input[name=pin]") is not None
        assert "what you typed is kept" in pin_page.text
        assert "no-store" in pin_page.response.headers["Cache-Control"]
        assert conversation_state(app) == before  # nothing saved while signed out

        back = page.submit(pin_page, {"pin": PIN}, selector="main form[method=post]")
        assert back.soup.select_one("textarea").get_text() == WORDS
        assert _node(back) == node
        assert "We kept what you typed" in back.text
        assert "no-store" in back.response.headers["Cache-Control"]
        assert conversation_state(app) == before  # still only in the box

        page.submit(back, selector="form.answer-form")
    version, state = conversation_state(app)
    assert version > before[0]
    assert state["answers"][node]["value"] == WORDS


def test_a_wrong_pin_keeps_carrying_the_words(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    with time_machine.travel(clock.now() + timedelta(minutes=20), tick=False):
        pin_page = page.submit(chat, {"answer": WORDS}, selector="form.answer-form")
        wrong = page.submit(pin_page, {"pin": "9317"}, selector="main form[method=post]", status=400)
        assert "did not work" in wrong.text
        assert wrong.soup.select_one("input[name=carry_answer]")["value"] == WORDS
        back = page.submit(wrong, {"pin": PIN}, selector="main form[method=post]")
        assert back.soup.select_one("textarea").get_text() == WORDS


def test_an_empty_answer_after_the_session_ended_just_asks_for_the_pin(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    with time_machine.travel(clock.now() + timedelta(minutes=20), tick=False):
        response = page.submit(chat, {"answer": "  "}, selector="form.answer-form", follow=False, status=302)
        assert response.response.headers["Location"] == "/sign-in"


def test_carried_words_only_open_the_childs_own_conversation(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    with app.app_context():
        someone_else = factories.child(worker=factories.staff(team_=factories.team()))
        from voice.chat import conversations

        theirs = conversations.start(someone_else, "pre-review", language="en").id
    with time_machine.travel(clock.now() + timedelta(minutes=20), tick=False):
        pin_page = page.submit(chat, {"answer": WORDS}, selector="form.answer-form")
        forged = {"pin": PIN, "carry_conversation": str(theirs), "carry_node": "anything"}
        response = page.submit(pin_page, forged, selector="main form[method=post]", follow=False, status=302)
        assert response.response.headers["Location"] == "/chat"
    with app.app_context():
        denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "authz.denied")).all()
        assert any(str(theirs) == str(e.object_id) for e in denied)


def test_an_expired_form_token_gives_the_words_back_to_a_post_from_our_own_page(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    before = conversation_state(app)
    data = {"csrf_token": "run-out", "node": _node(chat), "answer": WORDS, "version": str(before[0])}
    response = client.post(chat.url, data=data, headers={"Origin": "http://localhost"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "We kept what you typed" in html and "أختي" in html
    assert conversation_state(app) == before


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "https://evil.example"}, {"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"}],
    ids=["no-origin", "other-origin", "cross-site"],
)
def test_a_post_from_another_site_cannot_put_words_in_the_box(app, client, kid, headers):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    before = conversation_state(app)
    data = {"csrf_token": "forged", "node": _node(chat), "answer": "words from elsewhere", "version": "1"}
    response = client.post(chat.url, data=data, headers=headers)
    assert response.status_code == 400
    assert "words from elsewhere" not in response.get_data(as_text=True)
    assert conversation_state(app) == before

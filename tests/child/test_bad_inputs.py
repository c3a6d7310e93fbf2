"""The rest of the bad-inputs matrix on a child's answer (THREATS row 24): ten thousand fields and
a lone surrogate sent as raw bytes. Never a 500; nothing half-stored."""

from __future__ import annotations

from sqlalchemy import select

from tests.child.test_chat import chat_at_text_question, conversation_state
from tests.helpers.pages import PageFetcher
from voice.extensions import db
from voice.models import Conversation


def _form_fields(chat) -> dict[str, str]:
    form = chat.form("form.answer-form")
    return {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]") if i.get("name")}


def test_ten_thousand_fields_get_413_and_change_nothing(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    before = conversation_state(app)
    action = chat.form("form.answer-form").get("action") or chat.url
    fields = {**_form_fields(chat), "answer": "hello", **{f"f{n}": "x" for n in range(10_000)}}
    response = client.post(action, data=fields)
    assert response.status_code == 413
    assert conversation_state(app) == before


def test_a_lone_surrogate_in_raw_bytes_is_never_a_500_and_never_stored_broken(app, client, kid):
    from urllib.parse import urlencode

    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    action = chat.form("form.answer-form").get("action") or chat.url
    body = urlencode(_form_fields(chat)).encode() + b"&answer=before%ED%A0%80after"  # U+D800 as UTF-8
    response = client.post(action, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 302, 303, 400)
    with app.app_context():
        state = db.session.scalar(select(Conversation)).state
    stored = repr(state)
    assert "\\ud800" not in stored  # whatever was kept is valid text
    str(state).encode("utf-8")  # and encodes: no lone surrogate reached the database

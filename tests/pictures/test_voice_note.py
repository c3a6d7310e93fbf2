"""Voice notes and drawings: kept encrypted when they are fine; a kind message and nothing lost
when they are not (too long, too big, a format we can't keep, no sound at all)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select, text

from tests.pictures.helpers import WEBM, conversation_url, png, question, tap, to_the_change_question
from voice.extensions import db
from voice.models import ChildMedia, Submission


def _end(client):
    page, at = to_the_change_question(client)
    at = tap(page, at, "school")
    assert at.soup.select_one("form.send-form") is not None
    return page, at


def _upload(client, at, data: bytes, *, seconds: str = "", name: str = "note.webm"):
    form = at.soup.select_one("form.voice-form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    fields.update({"seconds": seconds, "note": (io.BytesIO(data), name)})
    return client.post(form["action"], data=fields, content_type="multipart/form-data")


def _media(app) -> list[ChildMedia]:
    with app.app_context():
        return list(db.session.scalars(select(ChildMedia)))


def test_a_voice_note_is_kept_encrypted_and_makes_the_submission_please_read_soon(app, client, kid):
    page, at = _end(client)
    response = _upload(client, at, WEBM, seconds="12")
    assert response.status_code == 302
    again = page.get(conversation_url(at))
    assert "Voice note kept" in again.soup.get_text()
    [note] = _media(app)
    assert (note.kind, note.mime, note.seconds, note.data) == ("voice", "audio/webm", 12, WEBM)
    with app.app_context():
        stored = db.session.execute(text("SELECT data_encrypted FROM child_media")).scalar_one()
    assert "voice" not in stored and len(stored) > len(WEBM)  # ciphertext, not the sound
    page.submit(again, selector="form.send-form")
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert submission.read_soon and not submission.concern
        assert db.session.scalar(select(ChildMedia)).submission_id == submission.id


@pytest.mark.parametrize(
    ("data", "seconds", "message"),
    [
        (WEBM, "121", "longer than 2 minutes"),
        (b"\x1a\x45\xdf\xa3" + b"\x00" * 20_001, "30", "too big to send"),
        (b"MZ\x90\x00 this is not a sound", "3", "can't keep that kind of sound file"),
        (b"", "", "didn't get a voice note"),
    ],
    ids=["too-long", "too-large", "unsupported-format", "no-microphone-nothing-sent"],
)
def test_a_bad_voice_note_gets_a_kind_message_and_the_answers_stay(
    app, client, kid, data, seconds, message, monkeypatch
):
    monkeypatch.setitem(app.config, "VOICE_NOTE_MAX_BYTES", 20_000)  # a setting; 1 MB unless set
    page, at = _end(client)
    response = _upload(client, at, data, seconds=seconds)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body.replace("&#39;", "'")
    assert 'class="send-form"' in body  # the journey carries on: Send is still there
    assert _media(app) == []
    sent = page.submit(page.get(conversation_url(at)), selector="form.send-form")
    assert "/sent" in sent.url
    with app.app_context():
        answers = {a.node_id: a.choices for a in db.session.scalar(select(Submission)).answers}
    assert answers["change"] == "school" and answers["important"] == "mum,pet"


def test_a_note_bigger_than_any_request_gets_the_same_kind_page(app, client, kid, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 20_000)
    _page, at = _end(client)
    response = _upload(client, at, WEBM * 30, seconds="10")
    assert response.status_code == 413
    assert "too big to send" in response.get_data(as_text=True)
    assert 'class="send-form"' in response.get_data(as_text=True)


def test_a_drawing_is_kept_and_answers_what_i_would_change(app, client, kid):
    _page, at = to_the_change_question(client)
    assert at.soup.select_one("form.draw-form") is not None
    form = at.soup.select_one("form.draw-form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    response = client.post(
        form["action"],
        data={**fields, "drawing": (io.BytesIO(png()), "d.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    [drawing] = _media(app)
    assert drawing.kind == "drawing" and drawing.node_id == "change"
    with app.app_context():
        from voice.models import Conversation

        state = db.session.scalar(select(Conversation)).state
    assert state["answers"]["change"]["value"] == "my-drawing"


@pytest.mark.parametrize("data", [b"GIF89a not a png", png(5000, 10), b""], ids=["not-png", "huge", "empty"])
def test_a_bad_drawing_is_refused_kindly_and_the_question_stays(app, client, kid, data):
    page, at = to_the_change_question(client)
    form = at.soup.select_one("form.draw-form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    response = client.post(
        form["action"],
        data={**fields, "drawing": (io.BytesIO(data), "d.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "couldn't keep that drawing" in response.get_data(as_text=True).replace("&#39;", "'")
    assert question(page.get(conversation_url(at))) == "What would you change?"
    assert _media(app) == []

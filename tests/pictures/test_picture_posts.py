"""What all four posts of the picture journey (a tap, a drawing, a voice note, Send) check before
they change anything: the conversation is the child's own, the form is genuine, and it is still
open. One place does this for all four (picture_views._conversation with posted=True); each
is checked here."""

from __future__ import annotations

import io
import uuid

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from tests.pictures.helpers import WEBM, conversation_url, png, tap, to_the_change_question
from voice.extensions import db
from voice.models import ChildMedia, Conversation, Submission

POSTS = ("", "/drawing", "/voice", "/send")


def _stored(app) -> tuple[int, int, int]:
    with app.app_context():
        conversation = db.session.scalar(select(Conversation))
        media = db.session.scalar(select(func.count()).select_from(ChildMedia))
        submissions = db.session.scalar(select(func.count()).select_from(Submission))
        return conversation.version, media, submissions


def _csrf(at) -> str:
    return at.soup.select_one("input[name=csrf_token]")["value"]


def _post(client, url: str, path: str, token: str | None):
    data = {"node": "change", "answer": "school", "version": "999", "seconds": "3"}
    if token is not None:
        data["csrf_token"] = token
    if path == "/drawing":
        data["drawing"] = (io.BytesIO(png()), "d.png")
    if path == "/voice":
        data["note"] = (io.BytesIO(WEBM), "note.webm")
    return client.post(url + path, data=data, content_type="multipart/form-data")


@pytest.mark.parametrize("path", POSTS, ids=["answer", "drawing", "voice", "send"])
def test_a_post_after_sending_goes_to_the_sent_page_and_changes_nothing(app, client, kid, path):
    page, at = to_the_change_question(client)
    url, token = conversation_url(at), _csrf(at)
    end = tap(page, at, "school")
    page.submit(end, selector="form.send-form")
    before = _stored(app)
    assert before[2] == 1
    response = _post(client, url, path, token)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}/sent")
    assert _stored(app) == before


@pytest.mark.parametrize("path", POSTS, ids=["answer", "drawing", "voice", "send"])
def test_another_childs_conversation_is_not_found(app, client, kid, path):
    _page, at = to_the_change_question(client)
    url = conversation_url(at)
    before = _stored(app)
    with app.app_context():
        other = factories.child(worker=factories.staff(team_=factories.team()))
        db.session.commit()
        other_ref = other.ref
    sign_in_directly(app, client, other_ref)  # the same phone, now another child's
    own_token = _csrf(PageFetcher(client).get("/chat"))
    assert _post(client, url, path, own_token).status_code == 404
    with app.app_context():
        assert db.session.get(Conversation, uuid.UUID(url.split("/")[-1])).version == before[0]
        assert db.session.scalar(select(func.count()).select_from(ChildMedia)) == 0


@pytest.mark.parametrize("path", POSTS, ids=["answer", "drawing", "voice", "send"])
def test_a_post_without_its_form_token_is_refused_and_nothing_changes(app, client, kid, path):
    _page, at = to_the_change_question(client)
    before = _stored(app)
    assert _post(client, conversation_url(at), path, None).status_code == 400
    assert _stored(app) == before

"""The worker's "All about me": on screen, as a one-page PDF and as JSON, beside the answers,
with the adult's words apart and the voice note only for those who may read the answers."""

from __future__ import annotations

import io
import json

from pypdf import PdfReader
from sqlalchemy import select

from tests.helpers.auth import sign_in_staff
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from tests.inbox.conftest import world  # noqa: F401 - the staff and children fixture
from tests.pictures.helpers import WEBM, conversation_url, tap, to_the_change_question
from voice.extensions import db
from voice.models import ChildMedia, Submission


def _send_picture_journey(app) -> str:
    client = app.test_client()
    sign_in_directly(app, client, "K-A1")
    page, at = to_the_change_question(client, helper="my-carer")
    at = tap(page, at, "friends")
    form = at.soup.select_one("form.voice-form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    client.post(
        form["action"],
        data={**fields, "seconds": "9", "note": (io.BytesIO(WEBM), "n.webm")},
        content_type="multipart/form-data",
    )
    page.submit(page.get(conversation_url(at)), selector="form.send-form")
    with app.app_context():
        return str(db.session.scalar(select(Submission)).id)


def _staff(app, email) -> PageFetcher:
    page = PageFetcher(app.test_client())
    sign_in_staff(page, email)
    return page


def test_the_worker_sees_all_about_me_as_a_page_a_one_page_pdf_and_json(app, world):  # noqa: F811
    sid = _send_picture_journey(app)
    worker = _staff(app, world["emails"]["sw_a1"])
    answers = worker.get(f"/staff/submissions/{sid}")
    link = answers.soup.find("a", href=f"/staff/submissions/{sid}/about-me")
    assert link is not None
    about = worker.get(link["href"])
    main = about.soup.select_one("main").get_text(" ", strip=True)
    for words in (
        "All about me",
        "Who helped: My carer",
        "How is home?",
        "Happy",
        "Mum",
        "Pet",
        "Music",
        "Friends",
    ):
        assert words in main
    adult = about.soup.select_one("section.adult-words")
    assert "not the child's words" in adult.get_text() and "Makaton" in adult.get_text()
    assert "Makaton" not in about.soup.select_one(".areas").get_text()
    audio = about.soup.select_one("audio")
    heard = worker.client.get(audio["src"])
    assert heard.status_code == 200 and heard.data == WEBM and heard.mimetype == "audio/webm"

    pdf = worker.client.get(f"/staff/submissions/{sid}/about-me.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 1
    pdf_text = reader.pages[0].extract_text()
    assert "OFFICIAL-SENSITIVE" in pdf_text and "All about me" in pdf_text and "Music" in pdf_text

    exported = json.loads(worker.client.get(f"/staff/submissions/{sid}/about-me.json").data)
    assert exported["schema"] == "voice.about-me/1" and exported["marking"] == "OFFICIAL-SENSITIVE"
    assert exported["who_helped"] == {"symbol": "carer", "label": "My carer"}
    assert [p["label"] for p in exported["important_people"]] == ["Mum", "Pet"]
    assert exported["voice_note"]["transcript"] is None and exported["voice_note"]["seconds"] == 9
    assert exported["adult_words"].startswith("He used Makaton")


def test_someone_who_may_not_read_the_answers_gets_no_profile_and_no_voice_note(app, world):  # noqa: F811
    sid = _send_picture_journey(app)
    with app.app_context():
        media_id = db.session.scalar(select(ChildMedia.id))
    other = _staff(app, world["emails"]["sw_b"])  # another team's worker
    assert other.client.get(f"/staff/submissions/{sid}/about-me").status_code == 404
    assert other.client.get(f"/staff/submissions/{sid}/media/{media_id}").status_code == 404
    iro = _staff(app, world["emails"]["iro"])  # the child shared nothing with the IRO here
    assert iro.client.get(f"/staff/submissions/{sid}/about-me").status_code == 404
    assert iro.client.get(f"/staff/submissions/{sid}/media/{media_id}").status_code == 404


def test_a_drawing_counts_only_while_my_drawing_is_the_answer(app, world):  # noqa: F811
    """The child drew, then went back and chose another picture for "what I'd change": the
    worker's profile shows the chosen picture and no drawing, and its media link is gone."""
    from tests.pictures.helpers import png
    from voice.chat import conversations
    from voice.models import Conversation

    client = app.test_client()
    sign_in_directly(app, client, "K-A1")
    page, at = to_the_change_question(client)
    form = at.soup.select_one("form.draw-form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    drawn = client.post(
        form["action"],
        data={**fields, "drawing": (io.BytesIO(png()), "d.png")},
        content_type="multipart/form-data",
    )
    assert drawn.status_code == 302
    with app.app_context():  # as if the child went back and tapped "Friends" instead
        conversation = db.session.scalar(select(Conversation))
        state = dict(conversation.state)
        state["answers"] = {**state["answers"], "change": {**state["answers"]["change"], "value": "friends"}}
        conversations._save(conversation, state, conversation.version)
        db.session.commit()
    page.submit(page.get(conversation_url(at)), selector="form.send-form")
    with app.app_context():
        sid = str(db.session.scalar(select(Submission)).id)
        assert db.session.scalar(select(ChildMedia).where(ChildMedia.kind == "drawing")) is not None
    exported = json.loads(
        _staff(app, "a1@voice.test").client.get(f"/staff/submissions/{sid}/about-me.json").data
    )
    assert exported["drawing"] is None
    assert "friends" in json.dumps(exported).lower()

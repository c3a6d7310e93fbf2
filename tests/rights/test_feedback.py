"""'Did this help?': stored per page, anonymously, even for a signed-in child."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from voice.extensions import db
from voice.models import RightsFeedback
from voice.rights.feedback import feedback_summary, record_feedback


def _votes(app):
    with app.app_context():
        return [
            (f.page_id, f.helpful, f.language, f.given_on) for f in db.session.scalars(select(RightsFeedback))
        ]


def test_the_feedback_table_cannot_hold_who_gave_it():
    columns = set(RightsFeedback.__table__.columns.keys())
    assert columns == {"id", "page_id", "helpful", "language", "given_on"}
    assert not any("child" in c or "session" in c or "device" in c or "address" in c for c in columns)


def test_yes_is_stored_for_the_page_and_thanks_are_shown(app, page):
    explainer = page.get("/rights/article-12")
    thanked = page.submit(explainer, selector="#feedback form", button=("helpful", "yes"))
    assert thanked.url == "/rights/article-12"
    assert "Thanks for telling us" in thanked.text
    assert thanked.soup.select_one("#feedback form") is None
    assert _votes(app) == [("article-12", True, "en", date.today())]


def test_no_is_stored_too_and_in_the_language_of_the_page(app, client, page):
    client.set_cookie("voice_lang", "pl")  # the child's chosen language
    explainer = page.get("/rights/dignity")
    page.submit(explainer, selector="#feedback form", button=("helpful", "no"))
    assert _votes(app) == [("dignity", False, "pl", date.today())]


def test_a_signed_in_childs_feedback_is_still_anonymous(app, page, signed_in_child):
    explainer = page.get("/rights/article-9")
    assert explainer.soup.find(string="Sign out")  # really signed in
    page.submit(explainer, selector="#feedback form", button=("helpful", "yes"))
    assert _votes(app) == [("article-9", True, "en", date.today())]


def test_the_words_page_takes_feedback(app, page):
    words = page.get("/rights/words")
    back = page.submit(words, selector="#feedback form", button=("helpful", "no"))
    assert back.url == "/rights/words"
    assert _votes(app)[0][:2] == ("words", False)


def test_bad_feedback_is_refused(app, client, page):
    explainer = page.get("/rights/article-12")
    token = explainer.soup.select_one("#feedback input[name=csrf_token]")["value"]
    assert (
        client.post("/rights/article-12/feedback", data={"csrf_token": token, "helpful": "maybe"}).status_code
        == 400
    )
    assert client.post("/rights/article-12/feedback", data={"helpful": "yes"}).status_code == 400  # no CSRF
    assert (
        client.post("/rights/no-such-page/feedback", data={"csrf_token": token, "helpful": "yes"}).status_code
        == 404
    )
    assert _votes(app) == []


def test_summary_counts_yes_and_no_per_page(app_ctx):
    for page_id, helpful in [
        ("article-9", True),
        ("article-9", True),
        ("article-9", False),
        ("words", False),
    ]:
        record_feedback(page_id, helpful, "en")
    assert feedback_summary() == {"article-9": (2, 1), "words": (0, 1)}

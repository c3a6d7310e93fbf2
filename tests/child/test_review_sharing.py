"""The review page asks "who sees this" once, with a per-answer change. Private stays private."""

from __future__ import annotations

from sqlalchemy import select

from tests.helpers.child import finish_chat, review_link, start_chat
from tests.helpers.pages import PageFetcher
from voice.extensions import db
from voice.models import Submission

SEND = {"selector": "main form.review-form", "button": ("action", "send")}


def _review(client):
    page = PageFetcher(client)
    review = page.get(review_link(finish_chat(page, start_chat(page, page.get("/chat")), text="MY-WORDS")))
    answered = [i["value"] for i in review.soup.select("button[name=edit]")]
    return page, review, answered


def _sent(app) -> dict[str, str]:
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        return {a.node_id: a.share for a in submission.answers}


def test_one_choice_covers_every_answer_and_one_answer_can_differ(app, client, kid):
    page, review, answered = _review(client)
    first, second = answered[0], answered[1]
    page.submit(review, {"share-all": "worker_iro", f"share-{second}": "review"}, **SEND)
    sent = _sent(app)
    assert sent[second] == "review"
    assert sent[first] == "worker_iro"
    assert set(sent.values()) == {"worker_iro", "review"}


def test_keeping_everything_private_sends_no_answers_except_the_one_chosen(app, client, kid):
    page, review, answered = _review(client)
    keep = answered[0]
    page.submit(review, {"share-all": "private", f"share-{keep}": "worker"}, **SEND)
    assert _sent(app) == {keep: "worker"}  # skipped and private answers never leave the draft


def test_a_saved_choice_comes_back_and_made_up_values_change_nothing(app, client, kid):
    page, review, answered = _review(client)
    saved = page.submit(
        review,
        {"share-all": "everyone-on-earth", f"share-{answered[0]}": "worker_iro"},
        selector="main form.review-form",
        button=("action", "save"),
    )
    assert saved.soup.select_one("input[name=share-all][checked]")["value"] == "worker"
    own = saved.soup.select_one(f"input[name=share-{answered[0]}][checked]")
    assert own["value"] == "worker_iro"
    assert own.find_parent("details").has_attr("open")  # a changed answer shows its choice
    back = page.submit(saved, {f"share-{answered[0]}": "same"}, **SEND)
    assert back.url.endswith("/sent")
    assert set(_sent(app).values()) == {"worker"}

"""'Ask a question': screened first, answered from approved content, or honestly not,
with the question text never in a URL, a title or a log."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import func, select

from voice.ask.answers import clean_question
from voice.extensions import db
from voice.models import Alert, OutboxMessage, RoutingRecord, Submission

CONCERN = "what do i do if my carer hits me"
OFF_TOPIC = "whats the best minecraft seed"


def ask(page, question: str, **kwargs):
    form = page.get("/rights/ask")
    assert form.h1 == "Ask a question"
    return page.submit(form, {"question": question}, selector="form.rights-ask-form", **kwargs)


def assert_private(response, question: str) -> None:
    """The words are not in the Location header or the title (history, tabs, referrers)."""
    location = response.headers.get("Location", "")
    for word in question.split():
        if len(word) > 3:
            assert word.lower() not in location.lower()
    title = response.get_data(as_text=True).split("<title>")[1].split("</title>")[0]
    assert question.lower() not in title.lower()


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_question_is_answered_with_links_and_other_topics(app, client, page):
    form = page.get("/rights/ask")
    token = form.soup.select_one("input[name=csrf_token]")["value"]
    posted = client.post("/rights/ask", data={"csrf_token": token, "question": "can i see my bro"})
    assert posted.status_code == 302
    assert posted.headers["Location"].endswith("/rights/ask/answer")
    answer = page.get("/rights/ask/answer")
    assert answer.h1 == "Here is what we found"
    assert "Can I see my brothers and sisters?" in answer.text
    assert answer.soup.find("a", href="/rights/article-9")  # the right that backs it
    assert "can i see my bro" not in answer.soup.title.string
    others = answer.soup.select(".rights-not-meant a[href^='/rights/answers/']")
    assert 1 <= len(others) <= 2  # the runner-ups of the top 3
    other = page.get(others[0]["href"])
    assert other.h1 and other.soup.select_one(".prose")
    # Not signed in: sending to a worker is explained, not offered.
    assert "you need to sign in" in answer.text
    assert answer.soup.select_one("form[action='/rights/ask/send']") is None


def test_off_topic_gets_an_honest_dont_know(app, page):
    answer = ask(page, OFF_TOPIC)
    assert answer.url == "/rights/ask/answer"
    assert answer.h1 == "Sorry, we don't know the answer to that"
    assert "rather say so than guess" in answer.text
    assert OFF_TOPIC not in answer.soup.title.string
    assert count(app, Submission) == 0


def test_send_to_my_worker_makes_one_routed_submission(app, page, signed_in_child):
    answer = ask(page, OFF_TOPIC)
    assert answer.h1 == "Sorry, we don't know the answer to that"
    assert OFF_TOPIC in answer.soup.select_one("blockquote.rights-question").text  # what will be sent
    sent = page.submit(answer, selector="form[action='/rights/ask/send']")
    assert sent.url == "/rights/ask/sent"
    assert sent.h1 == "Your question has been sent"
    assert OFF_TOPIC not in sent.text
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert submission.kind == "question"
        assert submission.child_id == signed_in_child.id
        assert submission.reference in sent.text
        [answer_row] = submission.answers
        assert (answer_row.node_id, answer_row.topic, answer_row.answer_type, answer_row.share) == (
            "question",
            "question",
            "text",
            "worker",
        )
        assert answer_row.answer_text == OFF_TOPIC
        routing = db.session.scalar(select(RoutingRecord))
        assert (
            routing.submission_id == submission.id
            and routing.recipient_staff.email == signed_in_child.worker_email
        )
        [message] = db.session.scalars(select(OutboxMessage)).all()
        assert message.to_address == signed_in_child.worker_email
    # A second tap (the same form again) sends nothing more.
    page.submit(answer, selector="form[action='/rights/ask/send']")
    assert (count(app, Submission), count(app, RoutingRecord), count(app, OutboxMessage)) == (1, 1, 1)


def test_an_answered_question_can_still_go_to_the_worker(app, page, signed_in_child):
    answer = ask(page, "when is my next review")
    assert answer.h1 == "Here is what we found"
    page.submit(answer, selector="form[action='/rights/ask/send']")
    assert count(app, Submission) == 1


def test_sending_needs_a_signed_in_child(client, page):
    token = page.get("/rights/ask").soup.select_one("input[name=csrf_token]")["value"]
    response = client.post("/rights/ask/send", data={"csrf_token": token})
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_a_concern_gets_help_and_an_alert_when_signed_in(app, page, signed_in_child):
    answer = ask(page, CONCERN)
    assert answer.h1 == "Thank you for telling us"
    assert "999" in answer.text and "0800 1111" in answer.text
    assert app.config["VOICE_OUT_OF_HOURS_PHONE"] in answer.text
    assert "we have told your social worker's team" in answer.text
    assert answer.soup.select_one("form[action='/rights/ask/send']") is None
    with app.app_context():
        [alert] = db.session.scalars(select(Alert)).all()
        assert alert.source == "ask"
        assert alert.child_id == signed_in_child.id
        assert alert.words == CONCERN  # the duty worker needs to know what was asked
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) >= 1
    assert count(app, Submission) == 0
    page.get("/rights/ask/answer")  # reloading the page does not raise a second alert
    assert count(app, Alert) == 1


def test_a_concern_gets_help_but_no_alert_when_not_signed_in(app, page):
    answer = ask(page, CONCERN)
    assert answer.h1 == "Thank you for telling us"
    assert "999" in answer.text and "0800 1111" in answer.text
    assert "because you are not signed in" in answer.text
    assert count(app, Alert) == 0


@pytest.mark.parametrize("question", ["can i see my bro", OFF_TOPIC, CONCERN])
def test_the_question_never_reaches_the_url_title_or_logs(
    app, client, page, caplog, signed_in_child, question
):
    caplog.set_level(logging.DEBUG)
    form = page.get("/rights/ask")
    token = form.soup.select_one("input[name=csrf_token]")["value"]
    posted = client.post("/rights/ask", data={"csrf_token": token, "question": question})
    assert posted.status_code == 302
    assert_private(posted, question)
    shown = client.get(posted.headers["Location"])
    assert_private(shown, question)
    for link in page.get("/rights/ask/answer").soup.find_all(href=True):
        assert question not in link["href"]
    assert question not in caplog.text


def test_empty_and_invisible_questions_are_a_friendly_400(page):
    form = page.get("/rights/ask")
    for question in ["", "   ", "\x00\x00", "\u202e\u200b"]:
        again = page.submit(form, {"question": question}, selector="form.rights-ask-form", status=400)
        assert "Type your question first." in again.text


def test_a_huge_paste_is_refused_kindly(page):
    form = page.get("/rights/ask")
    again = page.submit(form, {"question": "x" * 1_000_000}, selector="form.rights-ask-form", status=413)
    assert "bit long" in again.text
    assert len(again.soup.select_one("textarea").text) <= 500  # not the megabyte back


def test_a_longer_than_allowed_question_is_a_400(page):
    form = page.get("/rights/ask")
    again = page.submit(
        form, {"question": "can i see my bro " * 40}, selector="form.rights-ask-form", status=400
    )
    assert "bit long" in again.text


@pytest.mark.parametrize(
    "question",
    [
        "can i see my \udfff bro",
        "\ud800",
        "can i\x00 see my bro",
        "\u202eorb ym ees i nac",
        "🤔" * 400,
        "ما هي حقوقي",
    ],
)
def test_awkward_text_never_breaks_the_page(client, page, question):
    form = page.get("/rights/ask")
    token = form.soup.select_one("input[name=csrf_token]")["value"]
    body = f"csrf_token={token}&question=".encode() + question.encode("utf-8", "surrogatepass")
    response = client.post("/rights/ask", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert client.get(response.headers["Location"]).status_code == 200


def test_clean_question_drops_what_cannot_be_seen():
    assert clean_question("can i\x00 see\u202e my\u200b bro ") == "can i see my bro"
    assert clean_question("\ud800oops") == "oops"
    assert clean_question(None) == ""


def test_cli_ask_writes_one_json_line_per_question(runner):
    result = runner.invoke(
        args=["ask", "--jsonl"], input="can i see my bro\nwhats the best minecraft seed\n\n"
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [set(r) for r in rows] == [{"question", "topic", "score", "confidence", "alternatives"}] * 3
    assert rows[0]["question"] == "can i see my bro" and rows[0]["topic"] == "siblings"
    assert 0 < rows[0]["score"] <= 1
    assert rows[1]["topic"] is None and rows[2]["topic"] is None


def test_cli_ask_takes_a_language_and_falls_back_to_english(runner):
    result = runner.invoke(args=["ask", "--jsonl", "--lang", "pl"], input="what is an iro\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout.splitlines()[-1])["topic"] == "iro"


@pytest.mark.parametrize(
    "question",
    [
        "will my parents still have a say in what happens to me",
        "can my social worker take me out so I can talk without my carers there",
        "I'm an asylum seeker, will I get sent back when I'm 18",
    ],
)
def test_the_three_rights_questions_get_an_answer_not_a_fright(app, page, signed_in_child, question):
    answer = ask(page, question)
    assert answer.h1 != "Thank you for telling us"
    assert "999" not in answer.text
    assert count(app, Alert) == 0


def test_a_too_long_question_is_still_screened_like_a_chat_answer(app, page, signed_in_child):
    question = (
        "i wanted to ask about my review meeting and my school. " * 12 + "my step dad hits me every night"
    )
    assert len(question) > 500
    answer = ask(page, question)
    assert answer.h1 == "Thank you for telling us"
    assert "999" in answer.text
    with app.app_context():
        [alert] = db.session.scalars(select(Alert)).all()
        assert alert.source == "ask" and "physical-harm" in alert.categories


def test_a_too_long_ordinary_question_gets_the_kind_message_and_no_alert(app, page, signed_in_child):
    form = page.get("/rights/ask")
    question = "can i have more pocket money please " * 20
    response = page.submit(form, {"question": question}, selector="form.rights-ask-form", status=400)
    assert "keep your question to 500 letters or fewer" in response.text
    assert count(app, Alert) == 0


KIND_HEADINGS = {
    "Here is what we found",
    "Sorry, we don't know the answer to that",
    "Thank you for telling us",
}


@pytest.mark.parametrize(
    ("question", "heading"),
    [
        ("a", "Sorry, we don't know the answer to that"),  # one character
        ("😢😢😢", "Sorry, we don't know the answer to that"),  # emoji only
        ("can i see my ভাই and my sis", "Here is what we found"),  # mixed scripts
        ("আমি কি আমার ভাইকে দেখতে পারি? can i", None),
        ("can i see my brother? my carer hits me", "Thank you for telling us"),  # also a disclosure
    ],
)
def test_bad_input_gets_a_kind_answer(page, question, heading):
    answer = ask(page, question)
    assert answer.url == "/rights/ask/answer"
    assert answer.h1 in KIND_HEADINGS
    if heading:
        assert answer.h1 == heading


def test_ten_kilobytes_is_refused_kindly_with_the_start_kept(page):
    form = page.get("/rights/ask")
    again = page.submit(
        form, {"question": "can i see my bro " * 600}, selector="form.rights-ask-form", status=400
    )
    assert "bit long" in again.text


def test_a_question_below_the_threshold_offers_did_you_mean(page):
    answer = ask(page, "what time is it in america")
    assert answer.h1 == "Sorry, we don't know the answer to that"
    offered = answer.soup.select("a[href^='/rights/answers/']")
    assert 2 <= len(offered) <= 3

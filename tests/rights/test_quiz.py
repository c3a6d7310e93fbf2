"""The "Do you know your rights?" quiz: one question a page, the answer after each."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from voice.content.rights import load_rights
from voice.extensions import db
from voice.models import QuizResponse
from voice.rights.quiz import load_quiz, quiz_summary, record_answer

from .helpers import CONTENT_DIR

RIGHTS = load_rights(CONTENT_DIR)
QUIZ = load_quiz(CONTENT_DIR, RIGHTS)


def test_the_quiz_content_is_sound():
    assert 5 <= len(QUIZ) <= 10
    for q in QUIZ.questions:
        assert q.option(q.answer) is not None
        assert q.link in RIGHTS.link_ids()


def test_the_whole_quiz_through_forms(app, page):
    start = page.get("/rights/quiz")
    assert start.h1 == "Do you know your rights?"
    current = page.get(start.soup.select_one("main a.button")["href"])
    for index, question in enumerate(QUIZ.questions):
        assert current.h1 == f"Question {index + 1} of {len(QUIZ)}"
        assert question.question in current.text
        # Answer the first two wrongly (if the first option is wrong), the rest rightly.
        choice = (
            question.answer if index >= 2 else next(o.id for o in question.options if o.id != question.answer)
        )
        shown = page.submit(current, {"answer": choice}, selector="form.rights-quiz-form")
        assert shown.url == f"/rights/quiz/{index + 1}/answer"
        assert shown.h1 == ("That's right!" if index >= 2 else "Not quite")
        assert question.explanation.split()[0] in shown.text
        assert shown.soup.select_one("main a[href^='/rights/']") is not None  # read more
        current = page.get(shown.soup.select_one("main a.button")["href"])
    assert current.h1 == "How you did"
    assert f"You got {len(QUIZ) - 2} out of {len(QUIZ)} right" in current.text
    with app.app_context():
        rows = db.session.scalars(select(QuizResponse).order_by(QuizResponse.id)).all()
        assert [(r.question_id, r.correct) for r in rows] == [
            (q.id, i >= 2) for i, q in enumerate(QUIZ.questions)
        ]
        assert set(QuizResponse.__table__.columns.keys()) == {"id", "question_id", "correct", "answered_on"}


def test_no_choice_or_a_made_up_choice_is_a_friendly_400(app, page):
    question = page.get("/rights/quiz/1")
    again = page.submit(question, selector="form.rights-quiz-form", status=400)
    assert "Choose one answer." in again.text
    page.submit(question, {"answer": "not-an-option"}, selector="form.rights-quiz-form", status=400)
    with app.app_context():
        assert db.session.scalar(select(QuizResponse)) is None


def test_questions_that_do_not_exist_are_404(page):
    page.get(f"/rights/quiz/{len(QUIZ) + 1}", status=404)
    page.get("/rights/quiz/0", status=404)


def test_the_answer_page_without_a_choice_goes_back_to_the_question(client):
    response = client.get("/rights/quiz/1/answer?chosen=nonsense")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/rights/quiz/1")


def test_summary_counts_right_and_wrong_per_question(app_ctx):
    first, second = QUIZ.questions[:2]
    record_answer(first, first.answer)
    record_answer(first, "wrong")
    record_answer(second, second.answer)
    assert quiz_summary() == {first.id: (1, 1), second.id: (1, 0)}


def _write_quiz(tmp_path: Path, body: str) -> Path:
    (tmp_path / "rights").mkdir()
    (tmp_path / "rights" / "quiz.yaml").write_text(body, encoding="utf-8")
    return tmp_path


def test_a_broken_quiz_file_stops_start_up_with_clear_messages(tmp_path):
    content = _write_quiz(
        tmp_path,
        """
questions:
  - id: one
    question: Is this OK?
    options: [{id: a, label: Yes}, {id: b, label: No}]
    answer: c
    explanation: Because.
    link: article-999
  - id: two
    question: Only one option?
    options: [{id: a, label: Yes}]
    answer: a
    explanation: Hmm.
    link: dignity
""",
    )
    with pytest.raises(ValueError) as caught:
        load_quiz(content, RIGHTS)
    message = str(caught.value)
    assert "answer 'c' is not one of the options" in message
    assert "link 'article-999'" in message
    assert "give 2 to 4 options" in message

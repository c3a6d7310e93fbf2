"""The "Do you know your rights?" quiz: its content, and anonymous counts of the answers.

The council wants to see whether children's understanding grows over time, so each answer
is stored as (question, right or wrong, day) and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markupsafe import Markup
from sqlalchemy import func, select

from voice.chat.present import ct
from voice.content.fields import ContentErrors, Fields, check_unique, display_path, read_yaml_list
from voice.content.rights import RightsCatalogue
from voice.content.text import render_markdown
from voice.extensions import db
from voice.models import QuizResponse

QUIZ_FILE = Path("rights/quiz.yaml")
MIN_OPTIONS = 2
MAX_OPTIONS = 4


@dataclass(frozen=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    number: int  # 1-based position, used in the URL
    question: str
    options: tuple[Option, ...]
    answer: str
    explanation: str
    link: str

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def is_right(self, option_id: str) -> bool:
        return option_id == self.answer

    # Words in the child's language (English when not yet translated).
    def text(self) -> str:
        return ct(f"quiz:{self.id}:question", self.question)

    def explanation_text(self) -> str:
        return ct(f"quiz:{self.id}:explanation", self.explanation)

    def explanation_html(self) -> Markup:
        return render_markdown(self.explanation_text())

    def label(self, option: Option) -> str:
        return ct(f"quiz:{self.id}:option:{option.id}", option.label)


@dataclass(frozen=True)
class Quiz:
    questions: tuple[Question, ...]

    def __len__(self) -> int:
        return len(self.questions)

    def question(self, number: int) -> Question | None:
        return self.questions[number - 1] if 1 <= number <= len(self.questions) else None


_QUESTION_FIELDS = ("id", "question", "options", "answer", "explanation", "link")


def load_quiz(content_dir: Path, rights: RightsCatalogue) -> Quiz:
    """Load and check `content/rights/quiz.yaml`. Raises ValueError naming every problem."""
    errors = ContentErrors()
    questions: list[Question] = []
    link_ids = rights.link_ids()
    items = read_yaml_list(Path(content_dir), QUIZ_FILE, "questions", errors)
    for number, (where, item) in enumerate(items, start=1):
        f = Fields(where, item, errors, _QUESTION_FIELDS)
        options = _options(where, item.get("options"), errors)
        question = Question(
            id=f.ident(),
            number=number,
            question=f.text("question"),
            options=options,
            answer=f.text("answer", prose=False),
            explanation=f.text("explanation"),
            link=f.text("link", prose=False),
        )
        if question.answer and options and question.option(question.answer) is None:
            errors.add(where, f"answer '{question.answer}' is not one of the options")
        if question.link and question.link not in link_ids:
            errors.add(where, f"link '{question.link}' is not a principle, article or glossary id")
        questions.append(question)
    if not questions and not errors.messages:
        errors.add(display_path(Path(content_dir), QUIZ_FILE), "has no questions")
    check_unique(
        ((f"{display_path(Path(content_dir), QUIZ_FILE)}: {q.id}", q.id) for q in questions),
        errors,
        "question",
    )
    errors.raise_if_any()
    return Quiz(tuple(questions))


def _options(where: str, raw: object, errors: ContentErrors) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not MIN_OPTIONS <= len(raw) <= MAX_OPTIONS:
        errors.add(where, f"give {MIN_OPTIONS} to {MAX_OPTIONS} options, each with an id and a label")
        return ()
    options = []
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            errors.add(where, f"option {index} should have an id and a label")
            continue
        f = Fields(f"{where}: option {index}", item, errors, ("id", "label"))
        options.append(Option(id=f.ident(), label=f.text("label")))
    if len({o.id for o in options}) != len(options):
        errors.add(where, "two options have the same id")
    return tuple(options)


# --- answers ------------------------------------------------------------------------


def record_answer(question: Question, option_id: str) -> bool:
    """Count one answer, anonymously, and commit. Returns whether it was right."""
    correct = question.is_right(option_id)
    db.session.add(QuizResponse(question_id=question.id, correct=correct))
    db.session.commit()
    return correct


def quiz_summary(since: date | None = None) -> dict[str, tuple[int, int]]:
    """{question id: (right, wrong)} over every answer (or those given on or after `since`)."""
    query = select(QuizResponse.question_id, QuizResponse.correct, func.count()).group_by(
        QuizResponse.question_id, QuizResponse.correct
    )
    if since is not None:
        query = query.where(QuizResponse.answered_on >= since)
    summary: dict[str, list[int]] = {}
    for question_id, correct, count in db.session.execute(query):
        summary.setdefault(question_id, [0, 0])[0 if correct else 1] += count
    return {qid: (right, wrong) for qid, (right, wrong) in sorted(summary.items())}

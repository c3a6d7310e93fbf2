"""Anonymous counts from the rights pages: "Did this help?" and the rights quiz.

Deliberately no child id, no session id, no time of day: only what was said about which
page or question, in which language, on which day. A signed-in child's feedback is stored
exactly like a stranger's, so staff can never tie a vote or a quiz answer to a child.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from voice import clock
from voice.extensions import Model


def _today() -> date:
    return clock.now().date()


class RightsFeedback(Model):
    """One "Did this help?" answer on a rights page."""

    __tablename__ = "rights_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[str] = mapped_column(String(80), index=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    language: Mapped[str] = mapped_column(String(16))
    given_on: Mapped[date] = mapped_column(Date, default=_today)


class QuizResponse(Model):
    """One answer to one question of the "Do you know your rights?" quiz."""

    __tablename__ = "quiz_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), index=True)
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_on: Mapped[date] = mapped_column(Date, default=_today, index=True)

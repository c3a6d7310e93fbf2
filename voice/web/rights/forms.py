"""Forms for the rights pages. Every POST carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length

from voice.ask.answers import MAX_QUESTION_CHARS, clean_question


class FeedbackForm(FlaskForm):
    """'Did this help?': two buttons, name="helpful", value yes or no."""

    helpful = StringField(validators=[InputRequired(), AnyOf(["yes", "no"])])

    @property
    def was_helpful(self) -> bool:
        return self.helpful.data == "yes"


class QuizAnswerForm(FlaskForm):
    answer = RadioField(
        _l("Choose one answer"),
        validators=[InputRequired(_l("Choose one answer."))],
        choices=[],
        validate_choice=True,
    )

    @classmethod
    def for_question(cls, question) -> QuizAnswerForm:
        form = cls()
        form.answer.choices = [(o.id, question.label(o)) for o in question.options]
        return form


class AskForm(FlaskForm):
    question = TextAreaField(
        _l("Type your question"),
        filters=[clean_question],
        validators=[
            DataRequired(_l("Type your question first.")),
            Length(
                max=MAX_QUESTION_CHARS,
                message=_l(
                    "That is a bit long. Please keep your question to %(max)d letters or fewer.",
                    max=MAX_QUESTION_CHARS,
                ),
            ),
        ],
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not ok and self.question.data:
            # Show back no more than fits: a pasted letter is not re-sent to the phone whole.
            self.question.data = self.question.data[:MAX_QUESTION_CHARS]
        return ok

"""Studio forms. Text people type here becomes content a child reads, so it is checked for
characters that have no place in it (NUL, other control characters) before anything else."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from voice.content.flows import ICON_NAMES

try:  # WTForms 3.3 deprecates (value, label) tuples for choices
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def choice(value: Any, label: Any) -> Any:
    """One <option>, in whichever form this WTForms wants."""
    return SelectChoice(value, label) if SelectChoice is not None else (value, label)


MAX_TEXT = 6000
PICK = choice("", _l("Choose one"))  # a required <select> starts with an empty choice (HTML)
ANSWER_TYPES = [
    PICK,
    choice("single", _l("Pick one answer")),
    choice("multi", _l("Pick any answers")),
    choice("yesno", _l("Yes or no")),
    choice("scale", _l("Five faces, from really bad to really good")),
    choice("text", _l("Type their own words")),
]


def clean_text(form: Any, field: Any) -> None:
    """No NUL or other control characters (new lines and tabs are fine)."""
    value = field.data or ""
    if any((ord(ch) < 32 and ch not in "\n\r\t") or 0x7F <= ord(ch) <= 0x9F for ch in value):
        raise ValidationError(
            _l("This has a hidden character in it that can't be used. Try typing it again.")
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            _l("This has a character in it that can't be used. Try typing it again.")
        ) from None


def _icon_choices() -> list[Any]:
    return [choice("", _l("No picture"))] + [choice(name, name) for name in sorted(ICON_NAMES)]


class WhyMixin:
    why = TextAreaField(
        _l("Why this change? (optional: helps everyone discuss it)"),
        validators=[Optional(), Length(max=2000), clean_text],
    )


class WordingForm(WhyMixin, FlaskForm):
    value = TextAreaField(_l("New words"), validators=[InputRequired(), Length(max=MAX_TEXT), clean_text])


class AddOptionForm(WhyMixin, FlaskForm):
    label = StringField(
        _l("Words on the new answer button"), validators=[InputRequired(), Length(max=120), clean_text]
    )
    icon = SelectField(_l("Picture"), choices=[], validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.icon.choices = _icon_choices()


class AddExampleForm(WhyMixin, FlaskForm):
    value = StringField(
        _l("Another way a child might ask this"), validators=[InputRequired(), Length(max=300), clean_text]
    )


class MoveForm(WhyMixin, FlaskForm):
    after = SelectField(_l("Ask this question straight after"), choices=[], validators=[InputRequired()])


class AddQuestionForm(WhyMixin, FlaskForm):
    text = TextAreaField(_l("The new question"), validators=[InputRequired(), Length(max=1000), clean_text])
    answer = SelectField(_l("How the child answers"), choices=ANSWER_TYPES, validators=[InputRequired()])
    options = TextAreaField(
        _l("Answer buttons, one per line (for pick one or pick any)"),
        validators=[Optional(), Length(max=2000), clean_text],
    )
    topic = SelectField(_l("Which group its answer goes in"), choices=[], validators=[InputRequired()])
    icon = SelectField(_l("Picture (needed in the pictures chat)"), choices=[], validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.icon.choices = _icon_choices()


class AddFaqForm(WhyMixin, FlaskForm):
    title = StringField(
        _l("The question, as a child would ask it"), validators=[InputRequired(), Length(max=200), clean_text]
    )
    answer = TextAreaField(_l("The answer"), validators=[InputRequired(), Length(max=MAX_TEXT), clean_text])
    examples = TextAreaField(
        _l("At least 10 other ways a child might ask it, one per line"),
        validators=[InputRequired(), Length(max=6000), clean_text],
    )
    links = StringField(
        _l("Rights pages or care words it links to (ids, separated by commas; optional)"),
        validators=[Optional(), Length(max=500), clean_text],
    )


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[InputRequired(), Length(max=4000), clean_text])


class VoteForm(FlaskForm):
    agree = HiddenField(validators=[InputRequired()])


class SendBackForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it is being sent back (the council will read this)"),
        validators=[InputRequired(), Length(max=2000), clean_text],
    )


class PublishForm(FlaskForm):
    note = StringField(
        _l("A note for the history (optional)"), validators=[Optional(), Length(max=400), clean_text]
    )
    replace_newer = BooleanField(_l("I have compared the words and want to replace the newer ones"))


class RollbackForm(FlaskForm):
    note = StringField(_l("Why roll back? (optional)"), validators=[Optional(), Length(max=400), clean_text])


class EmptyForm(FlaskForm):
    """A button that changes something still carries a CSRF token."""


class OutcomeForm(FlaskForm):
    text = TextAreaField(
        _l("What changed because of the council"), validators=[InputRequired(), Length(max=4000), clean_text]
    )
    happened_on = DateField(_l("When"), validators=[DataRequired()])
    proposals = SelectMultipleField(
        _l("Which proposals it came from"), choices=[], coerce=int, validators=[Optional()]
    )


class CouncilMemberForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120), clean_text])
    email = EmailField(
        _l("Email address"),
        validators=[
            InputRequired(),
            Length(max=254),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an email address like name@example.org")),
        ],
    )
    password = PasswordField(
        _l("First password (at least 12 characters)"), validators=[InputRequired(), Length(max=512)]
    )

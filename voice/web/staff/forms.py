import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from voice.safeguarding import wording


def posted_key(raw: str | None) -> uuid.UUID | None:
    """The key a staff form was shown with; None when missing or broken (no double-post guard)."""
    try:
        return uuid.UUID(raw or "")
    except ValueError:
        return None


class SignInForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=512)])


class CodeForm(FlaskForm):
    """The six-digit code from an authenticator app, or a recovery code."""

    code = PasswordField(_l("Code"), validators=[DataRequired(), Length(max=32)])


class ReplyForm(FlaskForm):
    """``key`` is made when the form is shown, so a double post stores one reply."""

    body = TextAreaField(_l("Your reply to the child"), validators=[DataRequired(), Length(max=4000)])
    key = HiddenField()


class OutcomeForm(FlaskForm):
    topic = SelectField(_l("What the child raised"), validators=[DataRequired()])
    body = TextAreaField(_l("What was decided"), validators=[DataRequired(), Length(max=4000)])
    key = HiddenField()


class AllocationForm(FlaskForm):
    worker = SelectField(_l("Allocated social worker"), coerce=str)


class ContactsForm(FlaskForm):
    """The per-child people content/routing.yaml names (choices set by the view)."""

    return_home_worker_id = SelectField(_l("Return home interview worker"), coerce=str)
    designated_teacher_id = SelectField(_l("Designated teacher"), coerce=str)
    virtual_school_id = SelectField(_l("Virtual school contact"), coerce=str)


class MissingForm(FlaskForm):
    returned_at = DateTimeLocalField(
        _l("When the child came back"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()]
    )
    key = HiddenField()


class ScenarioLinkForm(FlaskForm):
    flow = SelectField(_l("What the link opens"), coerce=str, validators=[DataRequired()])
    key = HiddenField()


class EmptyForm(FlaskForm):
    """Buttons that change state still carry a CSRF token."""


class KeyedButtonForm(FlaskForm):
    """A button whose ``key`` is made when the page is shown, so a double post acts once."""

    key = HiddenField()


class AcknowledgeForm(FlaskForm):
    """ "I have seen this", with what was done. An acknowledgement with no action is refused."""

    action = RadioField(
        _l("What did you do?"),
        choices=[SelectChoice(code, label) for code, label in wording.ACTIONS.items()],
        validators=[InputRequired(_l("Choose what you did, so the alert can be closed."))],
    )
    note = TextAreaField(
        _l("Note (only people who can see this alert can read it)"),
        validators=[Length(max=4000, message=_l("Keep the note under 4,000 characters."))],
    )
    key = HiddenField()

    def validate_note(self, field: TextAreaField) -> None:
        if self.action.data == "other" and not (field.data or "").strip():
            raise ValidationError(_l("Say what you did in the note."))


class ReviewMoveForm(FlaskForm):
    due_on = DateField(_l("New review date"), validators=[DataRequired()])
    reason = TextAreaField(_l("Why it is moving"), validators=[DataRequired(), Length(max=1000)])


class ReviewRecordForm(FlaskForm):
    held_on = DateField(_l("Date the review was held"), validators=[DataRequired()])
    decision = TextAreaField(
        _l("What was decided, written to the child (in their words where you can)"),
        validators=[DataRequired(), Length(max=4000)],
    )


class ImportUploadForm(FlaskForm):
    csv_file = FileField(_l("Case-system export (CSV)"), validators=[FileRequired()])


class ImportConfirmForm(FlaskForm):
    upload = HiddenField(validators=[DataRequired(), Length(min=20, max=64)])

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, EmailField, HiddenField, PasswordField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length


class SignInForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=512)])


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply to the child"), validators=[DataRequired(), Length(max=4000)])


class OutcomeForm(FlaskForm):
    topic = SelectField(_l("What the child raised"), validators=[DataRequired()])
    body = TextAreaField(_l("What was decided"), validators=[DataRequired(), Length(max=4000)])


class AllocationForm(FlaskForm):
    worker = SelectField(_l("Allocated social worker"), coerce=str)


class EmptyForm(FlaskForm):
    """Buttons that change state still carry a CSRF token."""


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

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, TextAreaField
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

"""Child forms. PINs are checked by the domain, not by ``\\d`` (which accepts other digits)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from voice.web.forms import CsrfOnlyForm

__all__ = ["ChoosePinForm", "CsrfOnlyForm", "PinSignInForm", "SafetyWordsForm", "posted_version"]


def posted_version(raw: str | None) -> int:
    """The draft's version a chat or picture form was made from; -1 (never current) when the
    field is missing or not a plain number, so a stale or mangled post never overwrites newer
    answers."""
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else -1


class PinField(PasswordField):
    """A PIN box that brings up the number pad on phones."""

    def __call__(self, **kwargs):
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("maxlength", "6")
        return super().__call__(**kwargs)


class ChoosePinForm(FlaskForm):
    pin = PinField(_l("Choose a PIN (4 to 6 numbers)"), validators=[InputRequired(), Length(max=32)])
    pin_again = PinField(_l("Type the same PIN again"), validators=[InputRequired(), Length(max=32)])


class PinSignInForm(FlaskForm):
    pin = PinField(_l("Your PIN"), validators=[InputRequired(), Length(max=32)])


class SafetyWordsForm(FlaskForm):
    """Words after "I don't feel safe". Too long: the words stay in the box with a kind line."""

    words = TextAreaField(
        _l("If you want to, tell us a bit more (you don't have to)"),
        validators=[
            Length(
                max=4000,
                message=_l(
                    "That is more than we can send in one go: it can be up to 4,000 letters and spaces. "
                    "Your words are still in the box. Make it shorter, or send the first part now and "
                    "the rest after. Your worker's team already knows you don't feel safe."
                ),
            )
        ],
    )


class AnswerReplyForm(FlaskForm):
    """A child's answer to a reply. ``key`` is made when the box is shown, so a double tap on
    Send stores one answer. Too long or empty: the words stay in the box with a kind line."""

    body = TextAreaField(
        _l("Write back"),
        validators=[
            DataRequired(message=_l("There are no words to send yet. Write in the box, then press Send.")),
            Length(
                max=4000,
                message=_l(
                    "That is too long to send in one go: it can be up to 4,000 letters and spaces. "
                    "Your words are still in the box. Make it shorter, or send it in two parts."
                ),
            ),
        ],
    )
    key = HiddenField()


class ReplyTextsForm(FlaskForm):
    """Texts that say "you have a new message": a mobile number and a tick, or neither."""

    mobile = StringField(_l("Your mobile number"), validators=[Length(max=32)])
    agree = BooleanField(_l("Yes, text me when someone writes back"))

    def validate_mobile(self, field):
        from voice.routing.notifications import check_mobile

        if not self.agree.data:
            return
        try:
            check_mobile(field.data or "")
        except ValueError:
            raise ValidationError(
                _l("That doesn't look like a mobile number. Check it, for example 07700 900123.")
            ) from None

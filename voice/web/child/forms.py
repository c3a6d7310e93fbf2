"""Child forms. PINs are checked by the domain, not by ``\\d`` (which accepts other digits)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, TextAreaField
from wtforms.validators import InputRequired, Length

from voice.web.forms import CsrfOnlyForm

__all__ = ["ChoosePinForm", "CsrfOnlyForm", "PinSignInForm", "SafetyWordsForm"]


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
    words = TextAreaField(
        _l("If you want to, tell us a bit more (you don't have to)"), validators=[Length(max=4000)]
    )

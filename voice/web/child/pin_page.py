"""The PIN page: shown by sign-in, and by the chat when a post arrives after the session ended."""

from __future__ import annotations

from flask import render_template

from voice.people import enrolment
from voice.web.child import carry, device_cookie
from voice.web.child.forms import PinSignInForm


def sign_in_page(*, carried: carry.Carried | None = None):
    """The PIN page as a GET shows it, answering a post that came after the session ended,
    optionally carrying what the child had typed (voice/web/child/carry.py)."""
    if signed_up_device() is None and not enrolment.is_unknown_device(device_cookie.read()):
        return None
    return show(PinSignInForm(formdata=None), carried, 200)


def signed_up_device():
    device = enrolment.device_for(device_cookie.read())
    return device if device is not None and device.pin_hash is not None else None


def show(form: PinSignInForm, carried: carry.Carried | None, status: int):
    return render_template("child/sign_in.html", form=form, carried=carried), status

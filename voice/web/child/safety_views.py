"""The "I don't feel safe" control: one tap, always an alert, then honest help."""

from __future__ import annotations

import uuid

from flask import abort, current_app, g, redirect, render_template, session, url_for

from voice.auth.permissions import public
from voice.content import registry
from voice.people import enrolment
from voice.safeguarding import child_alerts
from voice.web.child import bp, device_cookie
from voice.web.child.forms import CsrfOnlyForm, SafetyWordsForm

_LAST_ALERT = "voice_safety_alert"
_BEFORE_PIN = "voice_safety_before_pin"


def _facts() -> dict[str, str]:
    cfg = current_app.config
    return {
        "out_of_hours_phone": cfg["VOICE_OUT_OF_HOURS_PHONE"],
        "council_phone": cfg["VOICE_COUNCIL_PHONE"],
    }


@bp.post("/not-safe")
@public
def not_safe():
    """Works for everyone. Signed in: raises an alert whatever else happens. Before the PIN, on
    a phone set up for a child: raises an alert marked so. Otherwise: says nobody was told."""
    if not CsrfOnlyForm().validate_on_submit():
        return redirect(url_for("child.get_help"))
    child = g.child
    before_pin = False
    if child is None:
        device = enrolment.device_for(device_cookie.read())
        if device is None:
            return redirect(url_for("child.nobody_told"))
        child, before_pin = device.child, True
    remember_alert(child_alerts.child_feels_unsafe(child, before_pin=before_pin), before_pin=before_pin)
    return redirect(url_for("child.safety"))


def remember_alert(alert, *, before_pin: bool = False) -> None:
    """So the safety page can say someone was told, and take words to add to this alert."""
    session[_LAST_ALERT] = str(alert.id)  # only an id: no words are kept in the browser
    session[_BEFORE_PIN] = before_pin


@bp.get("/not-safe/nobody-told-yet")
@public
def nobody_told():
    """ "I don't feel safe" on a phone Voice does not know: honest that nobody was told."""
    page = registry.get("pages")["nobody-told-yet"]
    return render_template("child/nobody_told.html", page=page, body=page.html(**_facts()))


@bp.get("/safety")
@public
def safety():
    return _safety_page(SafetyWordsForm())


def _safety_page(form: SafetyWordsForm, status: int = 200):
    before_pin = g.child is None and bool(session.get(_LAST_ALERT)) and bool(session.get(_BEFORE_PIN))
    page = registry.get("pages")["safety-before-pin" if before_pin else "safety"]
    told = (g.child is not None or before_pin) and bool(session.get(_LAST_ALERT))
    return render_template(
        "child/safety.html",
        page=page,
        body=page.html(**_facts()),
        told=told,
        before_pin=before_pin,
        form=form,
        help_page=registry.get("pages")["help"],
        help_body=registry.get("pages")["help"].html(**_facts()),
    ), status


@bp.post("/safety")
@public
def safety_words():
    """Words after the tap. Too long: shown again with the words kept. Blank: nothing is added,
    and the page says so (the alert itself went with the tap)."""
    form = SafetyWordsForm()
    raw_id = session.get(_LAST_ALERT)
    if g.child is None or not raw_id:
        return redirect(url_for("child.safety"))
    if not form.validate_on_submit():
        return _safety_page(form, status=400)
    try:
        alert_id = uuid.UUID(raw_id)
    except ValueError:
        abort(404)
    if not child_alerts.add_words(g.child, alert_id, form.words.data or ""):
        return redirect(url_for("child.safety", empty=1))
    session.pop(_LAST_ALERT, None)
    return redirect(url_for("child.safety", added=1))

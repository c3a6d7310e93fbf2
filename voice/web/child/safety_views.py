"""The "I don't feel safe" control: one tap, always an alert, then honest help."""

from __future__ import annotations

import uuid

from flask import abort, current_app, g, redirect, render_template, session, url_for

from voice.auth.permissions import public
from voice.content import registry
from voice.safeguarding import child_alerts
from voice.web.child import bp
from voice.web.child.forms import CsrfOnlyForm, SafetyWordsForm

_LAST_ALERT = "voice_safety_alert"


def _facts() -> dict[str, str]:
    return {"out_of_hours_phone": current_app.config["VOICE_OUT_OF_HOURS_PHONE"]}


@bp.post("/not-safe")
@public
def not_safe():
    """Works for everyone. Signed in: raises an alert whatever else happens. Not signed in: help."""
    if not CsrfOnlyForm().validate_on_submit():
        return redirect(url_for("child.get_help"))
    if g.child is None:
        return redirect(url_for("child.get_help"))
    alert = child_alerts.child_feels_unsafe(g.child)
    session[_LAST_ALERT] = str(alert.id)  # only an id: no words are kept in the browser
    return redirect(url_for("child.safety"))


@bp.get("/safety")
@public
def safety():
    page = registry.get("pages")["safety"]
    told = g.child is not None and bool(session.get(_LAST_ALERT))
    return render_template(
        "child/safety.html",
        page=page,
        body=page.html(**_facts()),
        told=told,
        form=SafetyWordsForm(),
        help_page=registry.get("pages")["help"],
        help_body=registry.get("pages")["help"].html(**_facts()),
    )


@bp.post("/safety")
@public
def safety_words():
    form = SafetyWordsForm()
    raw_id = session.get(_LAST_ALERT)
    if g.child is None or not raw_id or not form.validate_on_submit():
        return redirect(url_for("child.safety"))
    try:
        alert_id = uuid.UUID(raw_id)
    except ValueError:
        abort(404)
    child_alerts.add_words(g.child, alert_id, form.words.data or "")
    session.pop(_LAST_ALERT, None)
    return redirect(url_for("child.safety", added=1))

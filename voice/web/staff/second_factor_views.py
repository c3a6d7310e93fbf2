"""The second sign-in step for staff with a password: set up an authenticator app, then a code.

Between the password and the code, the Flask session holds only who passed the password and
until when (five minutes); no signed-in session exists yet (docs/adr/0023).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from voice.auth import totp, web
from voice.auth.permissions import has_ability, public
from voice.extensions import db
from voice.models import StaffMember
from voice.redirects import safe_next
from voice.web.staff import bp
from voice.web.staff.forms import CodeForm

PENDING = "second_factor"
PENDING_SECONDS = 300


def ask_for_code(person: StaffMember, next_url: str | None) -> Response:
    session[PENDING] = {"id": person.id, "until": int(time.time()) + PENDING_SECONDS, "next": next_url or ""}
    target = "staff.sign_in_code" if totp.enrolled(person) else "staff.sign_in_set_up_code"
    return redirect(url_for(target))


def _pending() -> StaffMember | None:
    data = session.get(PENDING)
    if not isinstance(data, dict) or int(data.get("until", 0)) < time.time():
        session.pop(PENDING, None)
        return None
    person = db.session.get(StaffMember, data.get("id"))
    return person if person is not None and person.active else None


def _password_passed(view: Callable[[StaffMember], Any]) -> Callable[[], Any]:
    """Both code pages: only for someone who gave the right password in the last five minutes.

    Anyone else is sent back to sign in; the view is called with the person.
    """

    @wraps(view)
    def wrapped() -> Any:
        person = _pending()
        if person is None:
            flash(_("Sign in again: the time to give a code has run out."))
            return redirect(url_for("staff.sign_in"))
        return view(person)

    return wrapped


def _code_limits() -> dict[str, Any]:
    """The throttle settings and the address that each code check counts against."""
    return {"max_failures": current_app.config["VOICE_LOGIN_MAX_FAILURES"], "address": web.client_address()}


def _wrong_code(form: CodeForm, locked: bool) -> None:
    form.code.errors.append(
        _("That code is not right, or too many codes were wrong. Wait a few minutes and try again.")
        if locked
        else _("That code did not match. Try the newest code in your app.")
    )


def _signed_in(person: StaffMember, response: Response) -> Response:
    token = totp.start_session(person, address=web.client_address())
    db.session.commit()
    session.pop(PENDING, None)
    web.renew_csrf_secret()
    return web.set_session_cookie(response, token)


def landing_for(person) -> str:
    """Where a signed-in staff member starts: the inbox, the alerts, or the studio."""
    if has_ability(person, "inbox"):
        return url_for("staff.home")
    if has_ability(person, "alerts"):
        return url_for("staff.alerts")
    return url_for("studio.home")


def _landing(person: StaffMember, next_url: str) -> str:
    return safe_next(next_url or None, landing_for(person))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
@_password_passed
def sign_in_code(person: StaffMember):
    if not totp.enrolled(person):
        return redirect(url_for("staff.sign_in_set_up_code"))
    form = CodeForm()
    if form.validate_on_submit():
        check = totp.verify(person, form.code.data or "", **_code_limits())
        db.session.commit()
        if check.ok:
            if check.recovery_used:
                flash(_("You used a recovery code. %(n)d are left.", n=totp.recovery_codes_left(person)))
            next_url = session.get(PENDING, {}).get("next", "")
            return _signed_in(person, redirect(_landing(person, next_url)))
        _wrong_code(form, check.locked)
    return render_template("staff/sign_in_code.html", form=form), 200 if not form.errors else 400


@bp.route("/sign-in/set-up-code", methods=["GET", "POST"])
@public
@_password_passed
def sign_in_set_up_code(person: StaffMember):
    if totp.enrolled(person):
        return redirect(url_for("staff.sign_in_code"))
    row = totp.begin_enrolment(person)
    db.session.commit()
    form = CodeForm()
    if form.validate_on_submit():
        codes = totp.confirm_enrolment(person, form.code.data or "", **_code_limits())
        db.session.commit()
        if codes is not None:
            next_url = _landing(person, session.get(PENDING, {}).get("next", ""))
            page = render_template("staff/recovery_codes.html", codes=codes, next_url=next_url)
            response = _signed_in(person, current_app.make_response(page))
            response.headers["Cache-Control"] = "no-store"
            return response
        _wrong_code(form, locked=False)
    uri = totp.provisioning_uri(row, person)
    qr = totp.qr_svg(uri, label=_("A QR code holding your key. Scan it with your authenticator app."))
    return (
        render_template("staff/set_up_code.html", form=form, secret=row.secret, uri=uri, qr=qr),
        200 if not form.errors else 400,
    )

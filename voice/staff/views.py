"""Staff blueprint: sign-in, sign-out and the landing page."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voice.auth import staff as staff_auth
from voice.auth import web
from voice.auth.permissions import has_ability, public
from voice.redirects import safe_next
from voice.staff.forms import SignInForm

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        cfg = current_app.config
        result = staff_auth.sign_in(
            form.email.data or "",
            form.password.data or "",
            address=web.client_address(),
            max_failures=cfg["VOICE_LOGIN_MAX_FAILURES"],
            address_ceiling=cfg["VOICE_ADDRESS_MAX_FAILURES"],
        )
        if result.ok:
            default = url_for("studio.home") if result.kind == "council" else _landing_for(result.person)
            response = redirect(safe_next(request.args.get("next"), default))
            return web.set_session_cookie(response, result.token or "")
        form.password.errors.append(
            _(
                "That email and password did not match, or the account is locked for a while. "
                "Try again later, or ask your team administrator."
            )
        )
    return render_template("staff/sign_in.html", form=form), 200 if not form.errors else 400


def _landing_for(person) -> str:
    if has_ability(person, "inbox"):
        return url_for("staff.home")
    return url_for("studio.home")


@bp.post("/sign-out")
@public
def sign_out():
    web.sign_out_current()
    flash(_("You have signed out."))
    return web.clear_session_cookie(redirect(url_for("staff.sign_in")))


from voice.staff import alert_views, children_views, inbox_views, review_views  # noqa: E402,F401 - register their routes

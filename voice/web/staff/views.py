"""Staff blueprint: sign-in, sign-out and the landing page."""

from urllib.parse import urlencode

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from voice.auth import oidc, web
from voice.auth import staff as staff_auth
from voice.auth.permissions import public
from voice.redirects import safe_next
from voice.web.staff import bp, second_factor_views
from voice.web.staff.forms import SignInForm
from voice.web.staff.second_factor_views import landing_for


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
            account_ceiling=cfg["VOICE_ACCOUNT_MAX_FAILURES"],
            second_factor=cfg["VOICE_STAFF_TOTP"],
        )
        if result.needs_second_factor:
            return second_factor_views.ask_for_code(result.person, request.args.get("next"))
        if result.ok:
            web.renew_csrf_secret()
            default = url_for("studio.home") if result.kind == "council" else landing_for(result.person)
            response = redirect(safe_next(request.args.get("next"), default))
            return web.set_session_cookie(response, result.token or "")
        form.password.errors.append(
            _(
                "That email and password did not match, or the account is locked for a while. "
                "Try again later, or ask your team administrator."
            )
        )
    return render_template("staff/sign_in.html", form=form), 200 if not form.errors else 400


@bp.get("/sign-in/council")
@public
def sign_in_council():
    """Off to the council's identity provider (Authlib adds state, nonce and PKCE)."""
    if not oidc.enabled(current_app):
        abort(404)
    return oidc.client().authorize_redirect(url_for("staff.sign_in_council_done", _external=True))


@bp.get("/sign-in/council/done")
@public
def sign_in_council_done():
    """Back from the provider: the code is exchanged and the ID token checked, or refused kindly."""
    if not oidc.enabled(current_app):
        abort(404)
    result = oidc.finish(current_app.config, address=web.client_address())
    if not result.ok:
        flash(_("The council sign-in did not let you into Voice. Try again, or ask your team administrator."))
        return render_template("staff/sign_in.html", form=SignInForm()), 400
    web.renew_csrf_secret()
    session["oidc_id_token"] = result.id_token
    return web.set_session_cookie(redirect(landing_for(result.person)), result.token or "")


@bp.post("/sign-out")
@public
def sign_out():
    web.sign_out_current()
    id_token = session.pop("oidc_id_token", None)
    if id_token and oidc.enabled(current_app):
        # RP-initiated logout: the provider ends its own session too, then sends the person back.
        end = oidc.client().load_server_metadata().get("end_session_endpoint")
        if end:
            back = url_for("staff.sign_in", _external=True)
            target = f"{end}?{urlencode({'id_token_hint': id_token, 'post_logout_redirect_uri': back})}"
            return web.clear_session_cookie(redirect(target))
    flash(_("You have signed out."))
    return web.clear_session_cookie(redirect(url_for("staff.sign_in")))

"""Child blueprint: the way in (invite, PIN, sign-in), help, and safety. Chat lives in chat_views."""

from __future__ import annotations

from flask import abort, current_app, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from voice import i18n
from voice.auth import web
from voice.auth.permissions import child_required, public
from voice.content import registry
from voice.extensions import csrf
from voice.people import enrolment
from voice.redirects import safe_next
from voice.web.child import bp, carry, device_cookie, pin_page
from voice.web.child.chat_views import with_carried_words
from voice.web.child.forms import ChoosePinForm, CsrfOnlyForm, PinSignInForm
from voice.web.child.messages_views import with_carried_reply

_OPENED_INVITE = "voice_opened_invite"

_PIN_MESSAGES = {
    enrolment.PinProblem.FORMAT: _l("Use 4 to 6 numbers, from 0 to 9."),
    enrolment.PinProblem.MISMATCH: _l("The two PINs were different. Try again."),
    enrolment.PinProblem.COMMON: _l(
        "That PIN is too easy to guess. Try 4 to 6 numbers that are not in a row and not "
        "all the same, that only you would think of."
    ),
}


def _page(page_id: str):
    return registry.get("pages")[page_id]


def _facts() -> dict[str, str]:
    return {"out_of_hours_phone": current_app.config["VOICE_OUT_OF_HOURS_PHONE"]}


@bp.get("/")
@public
def landing():
    if g.child is not None:
        return redirect(url_for("child.chat"))
    if enrolment.device_for(device_cookie.read()) is not None:
        return redirect(url_for("child.sign_in"))
    return render_template("child/landing.html")


@bp.get("/help")
@public
def get_help():
    page = _page("help")
    return render_template("child/content_page.html", page=page, body=page.html(**_facts()))


@bp.get("/start/<string:token>")
@public
def welcome(token: str):
    found = enrolment.check_invitation(token)
    if isinstance(found, enrolment.InviteProblem):
        return render_template("child/link_problem.html", problem=found.value), 410
    page = _page("welcome")
    return render_template(
        "child/welcome.html", page=page, body=page.html(**_facts()), token=token, form=CsrfOnlyForm()
    )


@bp.post("/start/<string:token>")
@public
def redeem(token: str):
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    result = enrolment.open_invitation(token, address=web.client_address())
    if isinstance(result, enrolment.InviteProblem):
        return render_template("child/link_problem.html", problem=result.value), 410
    # Only the invitation's number, in the signed session cookie; the link stays usable until
    # a PIN is chosen, so a child who is interrupted here can simply open it again.
    session[_OPENED_INVITE] = result.id
    return redirect(url_for("child.choose_pin"))


@bp.route("/choose-pin", methods=["GET", "POST"])
@public
def choose_pin():
    if _OPENED_INVITE not in session:
        return redirect(url_for("child.sign_in"))
    invitation = enrolment.invitation_by_id(session[_OPENED_INVITE])
    if isinstance(invitation, enrolment.InviteProblem):
        session.pop(_OPENED_INVITE, None)
        return render_template("child/link_problem.html", problem=invitation.value), 410
    form = ChoosePinForm()
    if form.validate_on_submit():
        problem = enrolment.choose_pin(form.pin.data or "", form.pin_again.data or "")
        if problem is None:
            result = enrolment.enrol_with_pin(
                invitation,
                form.pin.data or "",
                pepper=current_app.config["VOICE_PIN_PEPPER"],
                address=web.client_address(),
            )
            session.pop(_OPENED_INVITE, None)
            if isinstance(result, enrolment.InviteProblem):
                return render_template("child/link_problem.html", problem=result.value), 410
            device_token, session_token = result
            # A scenario link (a visit, a PEP meeting) opens that chat's start; any other, the chat.
            first = (
                url_for("child.scenario", flow_id=invitation.flow_id)
                if invitation.flow_id
                else url_for("child.chat")
            )
            response = web.set_session_cookie(redirect(first), session_token)
            return device_cookie.write(response, device_token)
        form.pin.errors = [str(_PIN_MESSAGES[problem])]
    return render_template("child/choose_pin.html", form=form), 400 if form.errors else 200


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    cfg = current_app.config
    device = pin_page.signed_up_device()
    unknown = device is None and enrolment.is_unknown_device(device_cookie.read())
    if device is None and not unknown:
        if request.method == "GET":
            return render_template("child/no_device.html"), 200
        enrolment.no_device_attempt(web.client_address(), ceiling=cfg["VOICE_ADDRESS_MAX_FAILURES"])
        return render_template("child/no_device.html"), 400
    form = PinSignInForm()
    carried = carry.from_sign_in_form(request.form) if request.method == "POST" else None
    if form.validate_on_submit():
        result = enrolment.sign_in(
            device,
            form.pin.data or "",
            pepper=cfg["VOICE_PIN_PEPPER"],
            address=web.client_address(),
            max_failures=cfg["VOICE_LOGIN_MAX_FAILURES"],
            address_ceiling=cfg["VOICE_ADDRESS_MAX_FAILURES"],
            unknown_token=device_cookie.read() or "",
        )
        if result.ok and device is not None:
            web.renew_csrf_secret()
            return web.set_session_cookie(_after_sign_in(device, carried), result.token or "")
        form.pin.errors = [_sign_in_message(result)]
        if result.busy and not result.ask_worker:
            return pin_page.show(form, carried, 429)
    return pin_page.show(form, carried, 400 if form.errors else 200)


def _after_sign_in(device, carried: carry.Carried | None):
    """To the chat; with carried words, straight to them in the box of their own conversation."""
    if carried is not None:
        g.child = device.child
        shown = with_carried_reply(carried) if carried.kind == "reply" else with_carried_words(carried)
        if shown is not None:
            return make_response(shown)
    return redirect(url_for("child.chat"))


def _sign_in_message(result: enrolment.ChildSignIn) -> str:
    if result.ask_worker:
        return _("This PIN is locked. Ask your worker to unlock it or send you a new link.")
    if result.locked or result.busy:
        return _("Too many tries. Please wait a while, then try again. You can still get help now.")
    if result.malformed:
        return _("A PIN is 4 to 6 numbers, from 0 to 9.")
    return _("That PIN did not work. Try again.")


@bp.post("/language")
@public
def choose_language():
    """The language buttons on every child page. Remembered in a cookie and, for a signed-in
    child, on their record, so it follows them to another phone."""
    code = i18n.supported(request.form.get("lang"))
    back = safe_next(request.form.get("next"), url_for("child.landing"))
    if not CsrfOnlyForm().validate_on_submit() or code is None:
        return redirect(back)
    if g.child is not None:
        i18n.remember_for_child(g.child, code)
    response = redirect(back)
    response.set_cookie(
        i18n.cookie_name(),
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.post("/sign-out")
@child_required
def sign_out():
    web.sign_out_current()
    # Keep the device cookie: signing out must not un-enrol the phone.
    return web.clear_session_cookie(redirect(url_for("child.signed_out")), keep_cookies=True)


@bp.post("/exit")
@public
@csrf.exempt  # Exit must work from any page, however old its form: ending a session is all it does
def quick_exit():
    """Exit: the moment someone else picks up the phone. Ends the session on the server (a
    double tap finds nothing left to end and leaves just the same), and lands on an ordinary
    public page. With JavaScript, child.js posts here and replaces the history entry itself."""
    web.sign_out_current("quick_exit")
    session.clear()  # the signed cookie can hold a question the child typed (rights.ask)
    response = redirect(current_app.config["VOICE_EXIT_URL"], code=303)
    response.delete_cookie(web.EXIT_MARKER, path="/", samesite="Lax")
    # Clear-Site-Data empties the cache and storage but not the cookies: the device cookie
    # must survive, so the child's own PIN still opens Voice on this phone next time (a PIN
    # alone is useless to anyone else). The session cookie is deleted on its own.
    return web.clear_session_cookie(response, keep_cookies=True)


@bp.get("/signed-out")
@public
def signed_out():
    return render_template("child/signed_out.html")

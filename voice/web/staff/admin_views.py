"""What an admin looks after for staff accounts: resetting the sign-in code of someone who has
lost their phone (``voice/people/second_factor.py``; the CLI has ``reset-second-factor``)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from voice.auth.permissions import staff_required
from voice.people import second_factor
from voice.web.staff import bp
from voice.web.staff.forms import KeyedButtonForm, posted_key


@bp.get("/sign-in-codes")
@staff_required("manage_accounts")
def sign_in_codes():
    return render_template(
        "staff/sign_in_codes.html", people=second_factor.enrolled_staff(g.staff), form=KeyedButtonForm()
    )


@bp.post("/sign-in-codes/<int:staff_id>/reset")
@staff_required("manage_accounts")
def reset_sign_in_code(staff_id: int):
    form = KeyedButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = second_factor.reset(g.staff, staff_id, key=posted_key(form.key.data))
    except second_factor.NotAnAdmin:
        abort(403)
    if outcome.person is None:
        abort(404)
    if outcome.done:
        flash(
            _(
                "%(name)s's sign-in code is reset. They have been signed out and sent an email. At "
                "their next sign-in they will set up their authenticator app again.",
                name=outcome.person.name,
            )
        )
    else:
        flash(_("%(name)s has no sign-in code to reset.", name=outcome.person.name))
    return redirect(url_for("staff.sign_in_codes"))

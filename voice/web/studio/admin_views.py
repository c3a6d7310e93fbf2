"""Council member accounts: an admin adds and turns off accounts."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from voice.auth.permissions import staff_required
from voice.studio import accounts
from voice.web.studio import bp, me
from voice.web.studio.forms import CouncilMemberForm, EmptyForm


@bp.route("/council-members", methods=["GET", "POST"])
@staff_required("manage_accounts")
def council_members():
    form = CouncilMemberForm()
    problem = None
    if form.validate_on_submit():
        try:
            added = accounts.add_council_member(
                me(), name=form.name.data, email=form.email.data, password=form.password.data
            )
        except accounts.AccountError as error:
            problem = str(error)
        else:
            flash(_("Account made for %(name)s. Give them their first password in person.", name=added.name))
            return redirect(url_for("studio.council_members"))
    return render_template(
        "studio/council_members.html",
        members=accounts.council_members(),
        form=form,
        problem=problem,
        empty_form=EmptyForm(),
    ), 400 if problem or form.errors else 200


@bp.post("/council-members/<int:member_id>/deactivate")
@staff_required("manage_accounts")
def deactivate(member_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    member = accounts.deactivate(me(), member_id)
    if member is None:
        abort(404)
    flash(_("%(name)s's account is turned off, and they have been signed out everywhere.", name=member.name))
    return redirect(url_for("studio.council_members"))

"""A child's scenarios, from their staff page: the people routing names for them (return
home interview worker, designated teacher, virtual school), a missing episode, and a link
that opens one scenario (for a visit or a PEP meeting)."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voice import clock
from voice.auth.permissions import staff_required
from voice.dates import LONDON
from voice.models import Child
from voice.people import invitations
from voice.scenarios import contacts, missing, panel
from voice.web.staff import bp
from voice.web.staff.forms import ContactsForm, MissingForm, ScenarioLinkForm, posted_key
from voice.web.staff.lookups import child_or_404


def contacts_form(child: Child) -> ContactsForm:
    form = ContactsForm()
    choices = [("", _("Nobody set"))] + [(str(p.id), p.name) for p in contacts.candidates()]
    for name in contacts.CONTACT_FIELDS:
        field = getattr(form, name)
        field.choices = choices
        if request.method == "GET":
            field.data = str(getattr(child, name) or "")
    return form


def link_form(child: Child) -> ScenarioLinkForm:
    form = ScenarioLinkForm()
    form.flow.choices = [(flow.id, flow.title or flow.id) for flow in panel.for_child(child).link_flows]
    return form


def panel_context(child: Child) -> dict:
    """What the child page needs for its scenarios section (children_views.child)."""
    return {
        "scenarios": panel.for_child(child),
        "contacts_form": contacts_form(child),
        "missing_form": MissingForm(
            returned_at=clock.now().astimezone(LONDON).replace(second=0, microsecond=0)
        ),
        "link_form": link_form(child),
    }


@bp.post("/children/<uuid:child_id>/contacts")
@staff_required("invite")
def set_contacts(child_id: uuid.UUID):
    target = child_or_404(child_id)
    form = contacts_form(target)
    if not form.validate_on_submit():
        abort(400)
    chosen = {
        name: int(getattr(form, name).data) if getattr(form, name).data else None
        for name in contacts.CONTACT_FIELDS
    }
    contacts.set_contacts(target, chosen, by=g.staff)
    flash(_("Contacts saved."))
    return redirect(url_for("staff.child", child_id=target.id, _anchor="scenarios"))


@bp.post("/children/<uuid:child_id>/missing")
@staff_required("invite")
def record_missing(child_id: uuid.UUID):
    target = child_or_404(child_id)
    form = MissingForm()
    if not form.validate_on_submit() or form.returned_at.data is None:
        abort(400)
    returned: datetime = form.returned_at.data.replace(tzinfo=LONDON)
    if returned > clock.now():
        flash(_("The time the child came back cannot be in the future."))
        return redirect(url_for("staff.child", child_id=target.id, _anchor="scenarios"))
    missing.record(target, returned, by=g.staff, key=posted_key(form.key.data))
    flash(_("Recorded. Voice offers the child a chat about it. Return home interview due within 72 hours."))
    return redirect(url_for("staff.child", child_id=target.id, _anchor="scenarios"))


@bp.post("/children/<uuid:child_id>/scenario-link")
@staff_required("invite")
def scenario_link(child_id: uuid.UUID):
    target = child_or_404(child_id)
    form = link_form(target)
    if not form.validate_on_submit():
        abort(400)
    link = invitations.mint_link(
        target, created_by=g.staff, flow_id=form.flow.data, key=posted_key(form.key.data)
    )
    return render_template("staff/invite.html", child=target, link=link)

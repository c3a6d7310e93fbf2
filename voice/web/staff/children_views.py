"""A worker's children: invites, devices, unlocking, allocation; and marking oneself away."""

from __future__ import annotations

import uuid

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voice import clock
from voice.auth.permissions import staff_required
from voice.inbox import allocation, timeline
from voice.models import Child
from voice.people import caseload, invitations
from voice.safeguarding import alert_list
from voice.web.staff import bp, scenario_views
from voice.web.staff.forms import AllocationForm, EmptyForm, posted_key
from voice.web.staff.lookups import child_or_404


def _allocation_form(child: Child) -> AllocationForm:
    form = AllocationForm()
    workers = caseload.team_workers(child)
    form.worker.choices = [("", _("Nobody (send to the team)"))] + [(str(w.id), w.name) for w in workers]
    if request.method == "GET":
        form.worker.data = str(child.social_worker_id or "")
    return form


@bp.get("/children")
@staff_required("inbox")
def children():
    rows = caseload.children_of(g.staff)
    return render_template("staff/children.html", children=rows, today=clock.now().date())


@bp.get("/children/<uuid:child_id>")
@staff_required("inbox")
def child(child_id: uuid.UUID):
    target = child_or_404(child_id)
    devices = caseload.open_record(g.staff, target, route=request.endpoint)
    return render_template(
        "staff/child.html",
        child=target,
        devices=devices,
        form=EmptyForm(),
        allocation_form=_allocation_form(target),
        today=clock.now().date(),
        alerts=alert_list.history_for(target),
        timeline=timeline.for_child(g.staff, target),
        **scenario_views.panel_context(target),
    )


@bp.post("/children/<uuid:child_id>/invite")
@staff_required("invite")
def invite(child_id: uuid.UUID):
    target = child_or_404(child_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    link = invitations.mint_link(target, created_by=g.staff, key=posted_key(request.form.get("key")))
    return render_template("staff/invite.html", child=target, link=link)


@bp.post("/children/<uuid:child_id>/devices/<uuid:device_id>/revoke")
@staff_required("invite")
def revoke_device(child_id: uuid.UUID, device_id: uuid.UUID):
    target = child_or_404(child_id)
    if not EmptyForm().validate_on_submit() or not caseload.revoke_device(g.staff, target, device_id):
        abort(404)
    flash(_("That phone can no longer open Voice. Send a new link if the child needs one."))
    return redirect(url_for("staff.child", child_id=target.id))


@bp.post("/children/<uuid:child_id>/unlock")
@staff_required("invite")
def unlock(child_id: uuid.UUID):
    target = child_or_404(child_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    caseload.unlock(g.staff, target)
    flash(_("Unlocked. The child can try their PIN again."))
    return redirect(url_for("staff.child", child_id=target.id))


@bp.post("/children/<uuid:child_id>/allocation")
@staff_required("manage_team")
def allocate(child_id: uuid.UUID):
    target = child_or_404(child_id)
    form = _allocation_form(target)
    if form.validate_on_submit():
        worker = caseload.worker(int(form.worker.data)) if form.worker.data else None
        moved = allocation.reallocate(target, worker, by=g.staff)
        flash(_("Allocation changed. %(count)d unread item(s) moved.", count=moved))
        return redirect(url_for("staff.child", child_id=target.id))
    abort(400)


@bp.post("/away")
@staff_required("inbox")
def toggle_away():
    if not EmptyForm().validate_on_submit():
        abort(400)
    away = caseload.toggle_away(g.staff)
    flash(_("You are marked as away. New items go to your manager.") if away else _("Welcome back."))
    return redirect(url_for("staff.home"))

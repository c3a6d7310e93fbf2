"""A worker's children: invites, devices, unlocking, allocation; and marking oneself away."""

from __future__ import annotations

import uuid

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from voice import audit, clock
from voice.auth.permissions import staff_required
from voice.child import enrolment, invitations
from voice.extensions import db
from voice.inbox import allocation, timeline
from voice.inbox.scope import child_filter, find_child
from voice.models import Child, Device, StaffMember
from voice.staff.forms import AllocationForm, EmptyForm
from voice.staff.views import bp


def _child(child_id: uuid.UUID) -> Child:
    child = find_child(g.staff, child_id)
    if child is None:
        audit.record(
            "authz.denied", actor=g.staff, object_type="child", object_id=child_id, route=request.endpoint
        )
        db.session.commit()
        abort(404)
    return child


def _allocation_form(child: Child) -> AllocationForm:
    form = AllocationForm()
    workers = db.session.scalars(
        select(StaffMember)
        .where(
            StaffMember.team_id == child.team_id,
            StaffMember.role == "social_worker",
            StaffMember.active.is_(True),
        )
        .order_by(StaffMember.name)
    )
    form.worker.choices = [("", _("Nobody (send to the team)"))] + [(str(w.id), w.name) for w in workers]
    if request.method == "GET":
        form.worker.data = str(child.social_worker_id or "")
    return form


@bp.get("/children")
@staff_required("inbox")
def children():
    rows = db.session.scalars(select(Child).where(child_filter(g.staff)).order_by(Child.first_name)).all()
    return render_template("staff/children.html", children=rows, today=clock.now().date())


@bp.get("/children/<uuid:child_id>")
@staff_required("inbox")
def child(child_id: uuid.UUID):
    target = _child(child_id)
    audit.record("child.viewed", actor=g.staff, child_ref=target.ref, route=request.endpoint)
    db.session.commit()
    devices = db.session.scalars(
        select(Device).where(Device.child_id == target.id).order_by(Device.created_at)
    )
    return render_template(
        "staff/child.html",
        child=target,
        devices=list(devices),
        form=EmptyForm(),
        allocation_form=_allocation_form(target),
        today=clock.now().date(),
        timeline=timeline.for_child(g.staff, target),
    )


@bp.post("/children/<uuid:child_id>/invite")
@staff_required("invite")
def invite(child_id: uuid.UUID):
    target = _child(child_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    link = invitations.mint_link(target, created_by=g.staff)
    return render_template("staff/invite.html", child=target, link=link)


@bp.post("/children/<uuid:child_id>/devices/<uuid:device_id>/revoke")
@staff_required("invite")
def revoke_device(child_id: uuid.UUID, device_id: uuid.UUID):
    target = _child(child_id)
    device = db.session.get(Device, device_id)
    if device is None or device.child_id != target.id or not EmptyForm().validate_on_submit():
        abort(404)
    enrolment.revoke_device(device, by=g.staff)
    db.session.commit()
    flash(_("That phone can no longer open Voice. Send a new link if the child needs one."))
    return redirect(url_for("staff.child", child_id=target.id))


@bp.post("/children/<uuid:child_id>/unlock")
@staff_required("invite")
def unlock(child_id: uuid.UUID):
    target = _child(child_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    enrolment.unlock(target, by=g.staff)
    db.session.commit()
    flash(_("Unlocked. The child can try their PIN again."))
    return redirect(url_for("staff.child", child_id=target.id))


@bp.post("/children/<uuid:child_id>/allocation")
@staff_required("manage_team")
def allocate(child_id: uuid.UUID):
    target = _child(child_id)
    form = _allocation_form(target)
    if form.validate_on_submit():
        worker = db.session.get(StaffMember, int(form.worker.data)) if form.worker.data else None
        moved = allocation.reallocate(target, worker, by=g.staff)
        flash(_("Allocation changed. %(count)d unread item(s) moved.", count=moved))
        return redirect(url_for("staff.child", child_id=target.id))
    abort(400)


@bp.post("/away")
@staff_required("inbox")
def toggle_away():
    if not EmptyForm().validate_on_submit():
        abort(400)
    g.staff.away = not g.staff.away
    audit.record("staff.away" if g.staff.away else "staff.back", actor=g.staff)
    db.session.commit()
    flash(_("You are marked as away. New items go to your manager.") if g.staff.away else _("Welcome back."))
    return redirect(url_for("staff.home"))

"""Safeguarding alerts for staff: the list, one alert, "I have seen this" with what was done,
and the child's basic record opened through an alert."""

from __future__ import annotations

import uuid

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voice import audit, clock, dates
from voice.auth.permissions import staff_required
from voice.extensions import db
from voice.models import Alert, Child
from voice.safeguarding import alert_list, escalation, wording
from voice.web.staff import bp
from voice.web.staff.forms import AcknowledgeForm, posted_key
from voice.web.staff.lookups import not_found


def _alert(alert_id: uuid.UUID) -> Alert:
    alert = escalation.find_for(g.staff, alert_id)
    if alert is None:
        not_found("alert", alert_id)
    return alert


def _team_id() -> int | None:
    raw = request.args.get("team", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


@bp.get("/alerts")
@staff_required("alerts")
def alerts():
    listing = alert_list.alert_list(g.staff, team_id=_team_id(), state=request.args.get("state", "all"))
    return render_template("staff/alerts.html", listing=listing, states=wording.STATE_FILTERS)


def _render_alert(target: Alert, form: AcknowledgeForm, status: int = 200):
    return render_template("staff/alert.html", alert=target, form=form), status


@bp.get("/alerts/<uuid:alert_id>")
@staff_required("alerts")
def alert(alert_id: uuid.UUID):
    target = _alert(alert_id)
    escalation.open_alert(g.staff, target, route=request.endpoint or "")
    return _render_alert(target, AcknowledgeForm())


@bp.post("/alerts/<uuid:alert_id>/acknowledge")
@staff_required("alerts")
def acknowledge(alert_id: uuid.UUID):
    target = _alert(alert_id)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        return _render_alert(target, form, 400)
    result = escalation.acknowledge(
        g.staff, target, action=form.action.data, note=form.note.data or "", key=posted_key(form.key.data)
    )
    if result.won:
        flash(_("Thank you. The alert is closed and what you did is on the record."))
    else:
        flash(
            _(
                "%(name)s had already marked this as seen at %(when)s. What you did was added to "
                "the record too.",
                name=result.alert.acknowledged_by.name if result.alert.acknowledged_by else "",
                when=dates.staff_when(result.alert.acknowledged_at),
            )
        )
    return redirect(url_for("staff.alert", alert_id=target.id))


@bp.get("/children/<uuid:child_id>/record")
@staff_required("alerts")
def basic_record(child_id: uuid.UUID):
    child: Child | None = alert_list.find_basic_record(g.staff, child_id)
    if child is None:
        not_found("child", child_id)
    audit.record("child.record_viewed", actor=g.staff, child_ref=child.ref, route=request.endpoint)
    db.session.commit()
    return render_template("staff/basic_record.html", child=child, today=clock.now().date())

"""Safeguarding alerts for staff: look, and press "I have seen this"."""

from __future__ import annotations

import uuid

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from voice import audit
from voice.auth.permissions import staff_required
from voice.extensions import db
from voice.models import Alert
from voice.safeguarding import escalation
from voice.web.staff import bp
from voice.web.staff.forms import EmptyForm


def _alert(alert_id: uuid.UUID) -> Alert:
    alert = escalation.find_for(g.staff, alert_id)
    if alert is None:
        audit.record(
            "authz.denied", actor=g.staff, object_type="alert", object_id=alert_id, route=request.endpoint
        )
        db.session.commit()
        abort(404)
    return alert


@bp.get("/alerts/<uuid:alert_id>")
@staff_required("inbox")
def alert(alert_id: uuid.UUID):
    target = _alert(alert_id)
    escalation.open_alert(g.staff, target, route=request.endpoint or "")
    return render_template("staff/alert.html", alert=target, form=EmptyForm())


@bp.post("/alerts/<uuid:alert_id>/acknowledge")
@staff_required("inbox")
def acknowledge(alert_id: uuid.UUID):
    target = _alert(alert_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    escalation.acknowledge(g.staff, target)
    flash(_("Thank you. The alert is marked as seen by you. Follow your safeguarding procedures."))
    return redirect(url_for("staff.alert", alert_id=target.id))

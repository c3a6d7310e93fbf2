"""Insight for staff: the figures a person may see, each table as CSV, and the supervision page.
Thin: the figures, their scope and suppression live in voice.insight."""

from __future__ import annotations

from flask import abort, g, render_template, request
from flask_babel import gettext as _

from voice import audit, clock, dates
from voice.auth.permissions import staff_required
from voice.extensions import db
from voice.insight import access, charts, csv_export, period, report, supervision
from voice.insight.scope import Scope
from voice.insight.tables import text
from voice.web.downloads import attachment
from voice.web.staff import bp
from voice.web.staff.lookups import not_found


def _team_arg() -> int | None:
    raw = request.args.get("team", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _access() -> access.Access:
    try:
        return access.for_staff(g.staff, _team_arg())
    except access.NotInScope:
        not_found("insight")


def _period() -> tuple[period.Period | None, str | None]:
    try:
        return period.make(request.args.get("from"), request.args.get("to")), None
    except period.PeriodError as error:
        return None, str(error)


@bp.get("/insight")
@staff_required()
def insight():
    scope_access = _access()
    chosen, problem = _period()
    if chosen is None:
        chosen = period.make()
    tables = report.figures(Scope(chosen, scope_access.team_ids), scope_access.audience)
    audit.record("insight.viewed", actor=g.staff, purpose=scope_access.audience)
    db.session.commit()
    return render_template(
        "staff/insight.html",
        tables=tables,
        period=chosen,
        problem=problem,
        access=scope_access,
        team=_team_arg(),
        args={k: v for k, v in request.args.items() if k in ("from", "to", "team")},
        cell_text=text,
        charts=charts.charts_for(tables),
        workers=supervision.workers(g.staff) if scope_access.audience == "manager" else [],
    ), 400 if problem else 200


@bp.get("/insight/<string:key>.csv")
@staff_required()
def insight_csv(key: str):
    scope_access = _access()
    chosen, _problem = _period()
    if chosen is None:
        abort(400)
    tables = report.figures(Scope(chosen, scope_access.team_ids), scope_access.audience)
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        abort(404)
    audit.record("insight.exported", actor=g.staff, purpose=key[:40])
    db.session.commit()
    heading = _("Exported by %(name)s on %(when)s, %(start)s to %(end)s") % {
        "name": g.staff.name,
        "when": dates.staff_when(clock.now()),
        "start": dates.staff_day(chosen.start),
        "end": dates.staff_day(chosen.end),
    }
    return attachment(csv_export.table_csv(table, heading=heading), "text/csv", f"{table.key}.csv")


@bp.get("/insight/supervision/<int:worker_id>")
@staff_required("manage_team")
def insight_supervision(worker_id: int):
    try:
        worker = access.worker_for_supervision(g.staff, worker_id)
    except access.NotInScope:
        not_found("staff", worker_id)
    chosen, problem = _period()
    chosen = chosen or period.make()
    page = supervision.build(worker, Scope(chosen, (worker.team_id,) if worker.team_id is not None else ()))
    audit.record("insight.supervision", actor=g.staff, object_type="staff", object_id=worker.id)
    db.session.commit()
    return render_template("staff/insight_supervision.html", page=page, period=chosen, problem=problem)

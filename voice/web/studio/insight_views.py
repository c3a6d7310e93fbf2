"""Insight for the Children in Care Council: the aggregate figures only ("you said, we did",
themes, the quiz). No team filter: a council member asking for a team gets "not found"."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _

from voice import audit, clock, dates
from voice.auth.permissions import council_or_staff_required
from voice.extensions import db
from voice.insight import charts, csv_export, period, report
from voice.insight.scope import Scope
from voice.insight.tables import text
from voice.web.downloads import attachment
from voice.web.studio import bp, me


def _scope() -> tuple[period.Period, str | None]:
    """The period asked for. A council member never chooses a team: asking for one is 404."""
    if request.args.get("team"):
        abort(404)
    try:
        chosen, problem = period.make(request.args.get("from"), request.args.get("to")), None
    except period.PeriodError as error:
        chosen, problem = period.make(), str(error)
    return chosen, problem


@bp.get("/insight")
@council_or_staff_required("council_reports")
def insight():
    chosen, problem = _scope()
    tables = report.figures(Scope(chosen, None), "council")
    audit.record("insight.viewed", actor=me(), purpose="council")
    db.session.commit()
    return render_template(
        "studio/insight.html",
        tables=tables,
        charts=charts.charts_for(tables),
        period=chosen,
        problem=problem,
        access=None,
        team=None,
        args={k: v for k, v in request.args.items() if k in ("from", "to")},
        cell_text=text,
    ), 400 if problem else 200


@bp.get("/insight/<string:key>.csv")
@council_or_staff_required("council_reports")
def insight_csv(key: str):
    chosen, problem = _scope()
    if problem:
        abort(400)
    table = next((t for t in report.figures(Scope(chosen, None), "council") if t.key == key), None)
    if table is None:
        abort(404)
    audit.record("insight.exported", actor=me(), purpose=key[:40])
    db.session.commit()
    heading = _("Exported on %(when)s, %(start)s to %(end)s") % {
        "when": dates.staff_when(clock.now()),
        "start": dates.staff_day(chosen.start),
        "end": dates.staff_day(chosen.end),
    }
    return attachment(csv_export.table_csv(table, heading=heading), "text/csv", f"{table.key}.csv")

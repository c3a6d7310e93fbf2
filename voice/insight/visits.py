"""The "purposeful visits" figure (issue 27) in Insight: after a statutory visit the child is
asked once whether they got to talk about what they wanted; this counts the answers by team.

The counting is the scenarios' own (voice.scenarios.visits.purposeful_visits); this module only
lays it out as a suppressed table for the managers' report.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from voice.extensions import db
from voice.insight.scope import Scope
from voice.insight.suppression import primary, share, suppress_line
from voice.insight.tables import Label, Share, Table
from voice.models import Child, Team, Visit
from voice.scenarios.visits import purposeful_visits

DEFINITION = _l(
    "Visits dated in the period that a child told Voice about beforehand, by the child's team. "
    'After the visit day the child is asked once: "Did you get to talk about what you wanted?" '
    "Yes, some of it, or no. The share is yes out of the children who answered."
)


def table(scope: Scope) -> list[Table]:
    teams = _teams_with_visits(scope)
    out = Table(
        "purposeful_visits",
        _l("Purposeful visits: did the child get to talk about what they wanted?"),
        DEFINITION,
        [_l("Team"), _l("Visits"), _l("Answered"), _l("Yes"), _l("Some of it"), _l("No"), _l("Share yes")],
        chart=(0, 6),
    )
    for team_id, name in teams:
        found = purposeful_visits(db.session, scope.period.start, scope.period.end, team=team_id)
        answers, answered = suppress_line([found.yes, found.some, found.no])
        _, _, fraction = share(found.yes, found.answered)
        if answers[0].hidden:
            fraction = None
        out.rows.append([Label(name), primary(found.planned), answered, *answers, Share(fraction)])
    return [out]


def _teams_with_visits(scope: Scope) -> list[tuple[int, str]]:
    query = (
        select(Team.id, Team.name)
        .join(Child, Child.team_id == Team.id)
        .join(Visit, Visit.child_id == Child.id)
        .where(Visit.visit_on >= scope.period.start, Visit.visit_on <= scope.period.end)
        .where(scope.teams(Team.id))
        .distinct()
        .order_by(Team.name)
    )
    return [(team_id, name) for team_id, name in db.session.execute(query).all()]

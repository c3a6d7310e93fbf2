"""Uptake: of the reviews held in the period, the share where the child's views arrived first.

Reviews are few next to submissions (two or three a child a year), so these figures read the
reviews held in the period and, for those reviews only, the first submission sent for each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from voice import clock
from voice.dates import LONDON
from voice.extensions import db
from voice.insight.scope import Scope
from voice.insight.suppression import share, suppress_line
from voice.insight.tables import Label, Share, Table
from voice.models import Child, Review, StaffMember, Submission, Team

CHUNK = 500

UPTAKE_DEFINITION = _l(
    "Reviews held in the period (the date the review was recorded as held). A review counts as "
    "'views in first' when the child sent something for that review before the day it was held. "
    "The share is views in first divided by reviews held."
)


@dataclass(frozen=True)
class HeldReview:
    id: int
    held_on: date
    team_id: int
    iro_id: int | None
    child_id: object
    views_first: bool


def held_reviews(scope: Scope) -> list[HeldReview]:
    rows = db.session.execute(
        select(Review.id, Review.held_on, Child.team_id, Child.iro_id, Child.id)
        .join(Child, Child.id == Review.child_id)
        .where(
            Review.held_on >= scope.period.start,
            Review.held_on <= scope.period.end,
            scope.teams(Child.team_id),
        )
    ).all()
    first_sent: dict[int | None, datetime] = {}
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        first_sent.update(
            (review_id, sent)
            for review_id, sent in db.session.execute(
                select(Submission.review_id, func.min(Submission.sent_at))
                .where(Submission.review_id.in_(chunk))
                .group_by(Submission.review_id)
            ).all()
        )
    out = []
    for review_id, held_on, team_id, iro_id, child_id in rows:
        if held_on is None:  # the query asks only for held reviews
            continue
        sent = first_sent.get(review_id)
        before = sent is not None and clock.as_utc(sent) < datetime.combine(held_on, time.min, LONDON)
        out.append(HeldReview(review_id, held_on, team_id, iro_id, child_id, before))
    return out


def _names(model, ids) -> dict[int | None, str]:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())


def _share_row(label, held: list[HeldReview]) -> list:
    part, whole, fraction = share(sum(1 for r in held if r.views_first), len(held))
    return [label, whole, part, Share(fraction)]


def by_team_and_month(scope: Scope, held: list[HeldReview]) -> Table:
    groups: dict[tuple[int, str], list[HeldReview]] = defaultdict(list)
    for review in held:
        groups[(review.team_id, review.held_on.strftime("%Y-%m"))].append(review)
    teams = _names(Team, {t for t, _ in groups})
    table = Table(
        "uptake_by_team_month",
        _l("Views in before the review, by team and month"),
        UPTAKE_DEFINITION,
        [_l("Team and month"), _l("Reviews held"), _l("Views in first"), _l("Share")],
        chart=(0, 3),
    )
    for (team_id, month), reviews in sorted(groups.items(), key=lambda g: (teams.get(g[0][0], ""), g[0][1])):
        table.rows.append(_share_row(Label(f"{teams.get(team_id, '?')} {month}"), reviews))
    return table


def by_iro(scope: Scope, held: list[HeldReview]) -> Table:
    groups: dict[int | None, list[HeldReview]] = defaultdict(list)
    for review in held:
        groups[review.iro_id].append(review)
    names = _names(StaffMember, groups)
    table = Table(
        "uptake_by_iro",
        _l("Views in before the review, by IRO"),
        UPTAKE_DEFINITION,
        [_l("IRO"), _l("Reviews held"), _l("Views in first"), _l("Share")],
        chart=(0, 3),
        audience="iro",
    )
    for iro_id, reviews in sorted(groups.items(), key=lambda g: names.get(g[0], "~")):
        label = names.get(iro_id) if iro_id is not None else _l("No IRO named")
        table.rows.append(_share_row(Label(label), reviews))
    return table


def without_views(scope: Scope, held: list[HeldReview]) -> Table:
    groups: dict[int | None, list[HeldReview]] = defaultdict(list)
    for review in held:
        if not review.views_first:
            groups[review.iro_id].append(review)
    names = _names(StaffMember, groups)
    keys = sorted(groups, key=lambda k: names.get(k, "~"))
    cells, total = suppress_line([len(groups[k]) for k in keys])
    table = Table(
        "reviews_without_views",
        _l("Reviews held without the child's views"),
        _l("Reviews held in the period for which the child sent nothing before the day of the review."),
        [_l("IRO"), _l("Reviews without views")],
        chart=(0, 1),
        audience="iro",
    )
    for key, cell in zip(keys, cells, strict=True):
        table.rows.append([Label(names.get(key) if key is not None else _l("No IRO named")), cell])
    table.rows.append([Label(_l("All")), total])
    return table

"""Equality: uptake broken down by ethnicity, age band, gender and disability, beside each
group's share of the children in care, to show who is over- or under-represented.

The fields are those the case system gives (voice.reviews.importer); a child with no value is
counted as "not recorded". Every count is suppressed like any other.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from voice.extensions import db
from voice.insight.scope import Scope
from voice.insight.suppression import share, suppress_line
from voice.insight.tables import Label, Share, Table
from voice.insight.uptake import HeldReview
from voice.models import Child

NOT_RECORDED = "not recorded"
AGE_BANDS = ((0, 4, "0–4"), (5, 9, "5–9"), (10, 15, "10–15"), (16, 17, "16–17"), (18, 200, "18+"))
DIMENSIONS = (
    ("ethnicity", _l("Ethnicity")),
    ("age_band", _l("Age band")),
    ("gender", _l("Gender")),
    ("disability", _l("Disability")),
)


def age_band(born: date, on: date) -> str:
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return NOT_RECORDED


def _populations(scope: Scope) -> dict[str, dict[str, int]]:
    """Children in scope by group, for every dimension, from one grouped query (a council may
    hold many children; the distinct combinations are few)."""
    out: dict[str, dict[str, int]] = {d: defaultdict(int) for d, _ in DIMENSIONS}
    rows = db.session.execute(
        select(Child.date_of_birth, Child.ethnicity, Child.gender, Child.disability, func.count())
        .where(scope.teams(Child.team_id))
        .group_by(Child.date_of_birth, Child.ethnicity, Child.gender, Child.disability)
    )
    for born, ethnicity, gender, disability, n in rows:
        out["age_band"][age_band(born, scope.period.end)] += int(n)
        out["ethnicity"][ethnicity or NOT_RECORDED] += int(n)
        out["gender"][gender or NOT_RECORDED] += int(n)
        out["disability"][disability or NOT_RECORDED] += int(n)
    return out


def _held_children(held: list[HeldReview]) -> dict:
    ids = list({r.child_id for r in held})
    out = {}
    for start in range(0, len(ids), 500):
        for cid, dob, eth, gen, dis in db.session.execute(
            select(Child.id, Child.date_of_birth, Child.ethnicity, Child.gender, Child.disability).where(
                Child.id.in_(ids[start : start + 500])
            )
        ):
            out[cid] = {"dob": dob, "ethnicity": eth, "gender": gen, "disability": dis}
    return out


def _group(child: dict, dimension: str, on: date) -> str:
    if dimension == "age_band":
        return age_band(child["dob"], on)
    return child[dimension] or NOT_RECORDED


def tables(scope: Scope, held: list[HeldReview]) -> list[Table]:
    children = _held_children(held)
    populations = _populations(scope)
    out = []
    for dimension, title in DIMENSIONS:
        population = populations[dimension]
        reviews: dict[str, list[HeldReview]] = defaultdict(list)
        for review in held:
            child = children.get(review.child_id)
            if child is not None:
                reviews[_group(child, dimension, review.held_on)].append(review)
        keys = sorted(set(population) | set(reviews), key=lambda k: (k == NOT_RECORDED, k))
        cells, total = suppress_line([population.get(k, 0) for k in keys])
        table = Table(
            f"equality_{dimension}",
            _l("Uptake and representation by %(dimension)s", dimension=title),
            _l(
                "Children in care: the children in scope now, by the group the case system records "
                "(age on the last day of the period). Their share of all of them, beside the reviews "
                "held in the period and the share with the child's views in first. A group whose "
                "share with views in first is well below the others is being heard less."
            ),
            [
                title,
                _l("Children in care"),
                _l("Share of children"),
                _l("Reviews held"),
                _l("Views in first"),
                _l("Share with views in first"),
            ],
            chart=(0, 5),
        )
        whole = total.value
        for key, cell in zip(keys, cells, strict=True):
            fraction = cell.value / whole if whole and not cell.hidden and not total.hidden else None
            group = reviews.get(key, [])
            part, held_cell, views_share = share(sum(1 for r in group if r.views_first), len(group))
            table.rows.append([Label(key), cell, Share(fraction), held_cell, part, Share(views_share)])
        out.append(table)
    return out

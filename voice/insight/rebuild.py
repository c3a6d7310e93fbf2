"""Recompute every Insight count from the raw tables.

Used after the migration on a database that already holds submissions, after a restore, and
by the test that checks the running counts: the two must agree row for row. It reads only
the columns it needs, in batches, and writes the totals in one transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from itertools import groupby
from typing import Any

from sqlalchemy import ColumnElement, Result, Select, delete, func, insert, select

from voice.extensions import db
from voice.insight import counts as c
from voice.insight import themes
from voice.models import (
    Alert,
    AlertAction,
    Child,
    InsightCount,
    Reply,
    Review,
    RoutingRecord,
    Submission,
    SubmissionAnswer,
)

Key = tuple[date, int, int, str, str]
BATCH = 5000


def _first_routes():
    first = (
        select(RoutingRecord.submission_id, func.min(RoutingRecord.id).label("id"))
        .group_by(RoutingRecord.submission_id)
        .subquery()
    )
    return (
        select(RoutingRecord.submission_id, RoutingRecord.recipient_team_id, RoutingRecord.recipient_staff_id)
        .join(first, first.c.id == RoutingRecord.id)
        .subquery()
    )


def _routed(
    query: Callable[[ColumnElement[Any], ColumnElement[Any]], Select[Any]],
) -> Result[*tuple[Any, ...]]:
    """Rows of ``query(team, staff)`` over submissions, in batches: ``team`` is the team the
    submission was first routed to (else the child's), ``staff`` the person it was first routed
    to (None for a team inbox). The query names its columns and anything it joins before
    ``Submission``; the child and the first route are joined here."""
    route = _first_routes()
    team = func.coalesce(route.c.recipient_team_id, Child.team_id)
    return db.session.execute(
        query(team, route.c.recipient_staff_id)
        .join(Child, Child.id == Submission.child_id)
        .outerjoin(route, route.c.submission_id == Submission.id)
        .execution_options(yield_per=BATCH)
    )


def _submissions(totals: Counter[Key]) -> None:
    rows = _routed(
        lambda team, staff: select(
            Submission.sent_at, Submission.kind, Submission.read_at, Submission.replied_at, team, staff
        )
    )
    for sent_at, kind, read_at, replied_at, team_id, staff_id in rows:
        day, staff_id = c.day_of(sent_at), staff_id or c.NOBODY
        totals[(day, team_id, staff_id, c.SENT, kind or "")] += 1
        if read_at is not None:
            totals[(day, team_id, staff_id, c.READ, c.bucket(sent_at, read_at))] += 1
        else:
            totals[(day, team_id, staff_id, c.UNREAD, "")] += 1
        if replied_at is not None:
            totals[(day, team_id, staff_id, c.REPLIED, c.bucket(sent_at, replied_at))] += 1
        else:
            totals[(day, team_id, staff_id, c.UNANSWERED, "")] += 1


def _themes(totals: Counter[Key]) -> None:
    rows = _routed(
        lambda team, staff: (
            select(
                Submission.id,
                Submission.sent_at,
                Submission.flow_id,
                Submission.content_version,
                team,
                staff,
                SubmissionAnswer.node_id,
                SubmissionAnswer.topic,
                SubmissionAnswer.answer_type,
                SubmissionAnswer.skipped,
                SubmissionAnswer.choices,
            )
            .join(Submission, Submission.id == SubmissionAnswer.submission_id)
            .order_by(Submission.id)
        )
    )
    for _, grouped in groupby(rows, key=lambda r: r[0]):
        group = list(grouped)
        _, sent_at, flow_id, version, team_id, staff_id = group[0][:6]
        day, staff_id = c.day_of(sent_at), staff_id or c.NOBODY
        for metric, key in themes.keys_for(flow_id, version, [r[6:] for r in group]):
            totals[(day, team_id, staff_id, metric, key)] += 1


def _decisions(totals: Counter[Key]) -> None:
    rows = _routed(
        lambda team, _staff: (
            select(Reply.created_at, Reply.author_id, Reply.topic, team)
            .join(Submission, Submission.id == Reply.submission_id)
            .where(Reply.kind == "outcome")
        )
    )
    for created_at, author_id, topic, team_id in rows:
        totals[(c.day_of(created_at), team_id, author_id, c.DECISION, topic or "")] += 1
    reviews = db.session.execute(
        select(Review.recorded_at, Review.recorded_by_id, Child.team_id)
        .join(Child, Child.id == Review.child_id)
        .where(Review.recorded_at.is_not(None))
    )
    for recorded_at, by_id, team_id in reviews:
        if recorded_at is None:  # excluded by the query; keeps the type checker sure
            continue
        totals[(c.day_of(recorded_at), team_id, by_id or c.NOBODY, c.REVIEW_DECISION, "")] += 1


def _alerts(totals: Counter[Key]) -> None:
    rows = db.session.execute(
        select(Alert.raised_at, Alert.team_id, Alert.source, Alert.escalation_level, Alert.acknowledged_at)
    )
    for raised_at, team_id, source, level, acknowledged_at in rows:
        day = c.day_of(raised_at)
        totals[(day, team_id, c.NOBODY, c.ALERT_RAISED, source)] += 1
        if level > 0:
            totals[(day, team_id, c.NOBODY, c.ALERT_ESCALATED, "")] += 1
        if acknowledged_at is not None:
            totals[(day, team_id, c.NOBODY, c.ALERT_ACKED, c.bucket(raised_at, acknowledged_at))] += 1
    actions = db.session.execute(
        select(AlertAction.at, AlertAction.action, Alert.team_id).join(
            Alert, Alert.id == AlertAction.alert_id
        )
    )
    for at, action, team_id in actions:
        totals[(c.day_of(at), team_id, c.NOBODY, c.ALERT_ACTION, action)] += 1


def recompute() -> Counter[Key]:
    """The counts as the raw tables say they should be, without writing anything."""
    totals: Counter[Key] = Counter()
    _submissions(totals)
    _themes(totals)
    _decisions(totals)
    _alerts(totals)
    return totals


def stored() -> Counter[Key]:
    """The running counts as they stand."""
    rows = db.session.execute(
        select(
            InsightCount.day,
            InsightCount.team_id,
            InsightCount.staff_id,
            InsightCount.metric,
            InsightCount.key,
            InsightCount.n,
        ).where(InsightCount.n != 0)
    )
    return Counter({(day, team, staff, metric, key): n for day, team, staff, metric, key, n in rows})


def rebuild() -> int:
    """Replace the running counts with the recomputed ones. Commits. Returns the rows written."""
    totals = recompute()
    db.session.execute(delete(InsightCount))
    rows = [
        {"day": d, "team_id": t, "staff_id": s, "metric": m, "key": k[:64], "n": n}
        for (d, t, s, m, k), n in totals.items()
    ]
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(InsightCount), rows[start : start + BATCH])
    db.session.commit()
    return len(rows)

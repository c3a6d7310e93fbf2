"""The inbox's default view (no filter, no search, most urgent first) without sorting the
whole team.

The single query in ``queries.inbox`` tested every submission in scope for a new answer and
sorted them all before taking 25. Here the page is merged from three short streams, each an
``ORDER BY ... LIMIT`` the database can read in index order:

1. unread submissions (``status = 'sent'``), concerns first, newest first;
2. read ones whose child has answered a reply that nobody has opened (few);
3. everything else, newest first (``sent_at`` index).

The counts come from the same pieces: unread and overdue only ever look at unread rows
(the ``status`` index), so only the total still counts the whole scope. Deep pages (past
``MERGE_DEPTH`` rows) go back to the single query.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from voice import clock
from voice.extensions import db
from voice.models import ChildReply, Submission

MERGE_DEPTH = 500


def _answered_unread():
    return select(ChildReply.submission_id).where(ChildReply.read_at.is_(None))


def counts(scope, now: datetime) -> tuple[int, int, int]:
    """(total, unread, overdue) for the default view, as ``queries.inbox`` defines them."""
    total = db.session.scalar(select(func.count(Submission.id)).where(scope)) or 0
    sent, overdue = db.session.execute(
        select(func.count(Submission.id), func.count(Submission.id).filter(Submission.review_by < now)).where(
            scope, Submission.status == "sent"
        )
    ).one()
    answered = (
        db.session.scalar(
            select(func.count(Submission.id)).where(
                scope, Submission.status != "sent", Submission.id.in_(_answered_unread())
            )
        )
        or 0
    )
    return int(total), int(sent or 0) + int(answered), int(overdue or 0)


def _key(s: Submission, unread: bool) -> tuple:
    rank = (0 if s.concern else 1) if unread else 2
    return (rank, -clock.as_utc(s.sent_at).timestamp(), str(s.id))


def rows(scope, offset: int, limit: int) -> list[Submission]:
    """One page of the default order (the caller keeps ``offset`` under ``MERGE_DEPTH``)."""
    depth = offset + limit
    newest = (Submission.sent_at.desc(), Submission.id)
    unread = db.session.scalars(
        select(Submission)
        .where(scope, Submission.status == "sent")
        .order_by(Submission.concern.desc(), *newest)
        .limit(depth)
    ).all()
    answered = db.session.scalars(
        select(Submission)
        .where(scope, Submission.status != "sent", Submission.id.in_(_answered_unread()))
        .order_by(*newest)
        .limit(depth)
    ).all()
    # Each stream holds its top ``depth`` rows, so the merge's top ``depth`` is right; and with
    # fewer than ``depth`` unread rows in all, the unread group is complete and the rest follow.
    first = sorted([*unread, *answered], key=lambda s: _key(s, True))[:depth]
    rest: list[Submission] = []
    if len(first) < depth:
        rest = list(
            db.session.scalars(
                select(Submission)
                .where(scope, Submission.status != "sent", Submission.id.not_in(_answered_unread()))
                .order_by(*newest)
                .limit(depth - len(first))
            ).all()
        )
    return (first + rest)[offset:depth]

"""The inbox: what a member of staff should look at, most urgent and newest first, in pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select

from voice import clock
from voice.extensions import db
from voice.inbox import first_page
from voice.inbox.scope import submission_filter
from voice.models import Alert, Child, ChildReply, OutboxMessage, Reply, Review, StaffMember, Submission

PER_PAGE = 25
REVIEW_SOON_DAYS = 14
FILTERS = ("unread", "awaiting", "review_soon", "concern", "not_filed")
SORTS = ("urgent", "review", "sent")
SEARCH_MAX = 80


@dataclass(frozen=True)
class InboxFilters:
    """What the inbox shows: any of ``FILTERS`` (all must hold), one of ``SORTS``, a search."""

    show: frozenset[str] = field(default_factory=frozenset)
    sort: str = "urgent"
    search: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> InboxFilters:
        """From a query string. Anything unknown is ignored rather than refused."""
        show = frozenset(f for f in FILTERS if args.get(f) in ("1", "on", "yes"))
        sort = args.get("sort", "urgent")
        search = " ".join(str(args.get("q", "")).split())[:SEARCH_MAX]
        return cls(show, sort if sort in SORTS else "urgent", search)

    @property
    def active(self) -> bool:
        return bool(self.show or self.search or self.sort != "urgent")

    def as_args(self) -> dict[str, str]:
        args = {f: "1" for f in sorted(self.show)}
        if self.sort != "urgent":
            args["sort"] = self.sort
        if self.search:
            args["q"] = self.search
        return args


def _matching_children(search: str):
    """Children whose first or last name contains the words, or whose Voice reference or
    case-system id is exactly what was typed. Children are few next to submissions, so this
    narrows submissions through the child_id index."""
    words = [w for w in search.split() if w]
    names = [
        or_(Child.first_name.icontains(w, autoescape=True), Child.last_name.icontains(w, autoescape=True))
        for w in words
    ]
    exact = or_(func.upper(Child.ref) == search.upper(), Child.case_id == search)
    return select(Child.id).where(or_(exact, and_(*names)))


def _conditions(filters: InboxFilters, now: datetime) -> list:
    where: list = []
    if "unread" in filters.show:
        where.append(Submission.status == "sent")
    if "awaiting" in filters.show:
        where.append(Submission.status.in_(("sent", "read")))
    if "concern" in filters.show:
        where.append(Submission.concern.is_(True))
    if "not_filed" in filters.show:  # still to copy into the case record (THREATS row 36)
        where.append(Submission.transferred_at.is_(None))
    if "review_soon" in filters.show:
        today = now.date()
        soon = select(Review.child_id).where(
            Review.held_on.is_(None),
            Review.due_on >= today,
            Review.due_on <= today + timedelta(days=REVIEW_SOON_DAYS),
        )
        where.append(Submission.child_id.in_(soon))
    if filters.search:
        where.append(Submission.child_id.in_(_matching_children(filters.search)))
    return where


@dataclass(frozen=True)
class InboxPage:
    submissions: list[Submission]
    page: int
    pages: int
    total: int
    unread: int
    overdue: int
    new_answers: frozenset = frozenset()  # submissions whose child answered a reply, unread


# The child has answered a reply and nobody it went to has opened it since.
_NEW_ANSWER = exists().where(ChildReply.submission_id == Submission.id, ChildReply.read_at.is_(None))


def inbox(
    staff: StaffMember,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    filters: InboxFilters | None = None,
) -> InboxPage:
    filters = filters or InboxFilters()
    now = clock.now()
    where = [submission_filter(staff), *_conditions(filters, now)]
    fast = not filters.active
    if fast:
        total, unread, overdue = first_page.counts(where[0], now)
    else:
        total, unread, overdue = _counts(where, now)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    offset = (page - 1) * per_page
    if fast and offset < first_page.MERGE_DEPTH:
        rows = first_page.rows(where[0], offset, per_page)
    else:
        rows = _rows(where, filters, offset, per_page)
    new_answers = frozenset(
        db.session.scalars(
            select(ChildReply.submission_id).where(
                ChildReply.submission_id.in_([s.id for s in rows]), ChildReply.read_at.is_(None)
            )
        )
    )
    return InboxPage(list(rows), page, pages, total, unread, overdue, new_answers)


def _counts(where: list, now: datetime) -> tuple[int, int, int]:
    counts = db.session.execute(
        select(
            func.count(Submission.id),
            func.count(case((or_(Submission.status == "sent", _NEW_ANSWER), 1))),
            func.count(case((Submission.status == "sent", case((Submission.review_by < now, 1))))),
        ).where(*where)
    ).one()
    return int(counts[0]), int(counts[1]), int(counts[2])


def _rows(where: list, filters: InboxFilters, offset: int, per_page: int) -> list[Submission]:
    urgent_unread = case(
        (or_(Submission.status == "sent", _NEW_ANSWER), case((Submission.concern.is_(True), 0), else_=1)),
        else_=2,
    )
    query = select(Submission).where(*where)
    if filters.sort == "review":
        query = query.outerjoin(Review, Review.id == Submission.review_id).order_by(
            Review.due_on.is_(None), Review.due_on, Submission.sent_at.desc(), Submission.id
        )
    elif filters.sort == "sent":
        query = query.order_by(Submission.sent_at.desc(), Submission.id)
    else:
        query = query.order_by(urgent_unread, Submission.sent_at.desc(), Submission.id)
    return list(db.session.scalars(query.limit(per_page).offset(offset)).all())


def open_alerts(staff: StaffMember) -> list[Alert]:
    """Alerts waiting for someone to press "I have seen this", for this person's children."""
    where: ColumnElement[bool]
    if staff.role == "social_worker":
        children = select(Child.id).where(Child.social_worker_id == staff.id)
        where = Alert.child_id.in_(children)
    elif staff.role in ("team_manager", "duty"):
        where = Alert.team_id == staff.team_id
    else:
        return []
    return list(
        db.session.scalars(
            select(Alert).where(where, Alert.status != "acknowledged").order_by(Alert.raised_at.desc())
        )
    )


def undelivered_count(staff: StaffMember) -> int:
    """Notifications that could not be delivered, shown to managers as a problem to fix."""
    if staff.role != "team_manager":
        return 0
    team_addresses = select(StaffMember.email).where(StaffMember.team_id == staff.team_id)
    return int(
        db.session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.status == "dead",
                or_(
                    OutboxMessage.to_address.in_(team_addresses),
                    OutboxMessage.to_address == _duty_email(staff),
                ),
            )
        )
        or 0
    )


def _duty_email(staff: StaffMember) -> str:
    return staff.team.duty_email if staff.team is not None else ""


@dataclass(frozen=True)
class ExportRow:
    submission: Submission
    first_reply_at: datetime | None
    first_decision_at: datetime | None
    last_decision_at: datetime | None


def export_rows(
    staff: StaffMember, filters: InboxFilters | None = None, limit: int = 5000
) -> list[ExportRow]:
    """The inbox as a manager's list: the same scope and filters, newest first, with the dates
    of the first reply and of decisions from one grouped query (not one per row)."""
    filters = filters or InboxFilters()
    where = [submission_filter(staff), *_conditions(filters, clock.now())]
    rows = list(
        db.session.scalars(
            select(Submission).where(*where).order_by(Submission.sent_at.desc(), Submission.id).limit(limit)
        )
    )
    ids = [s.id for s in rows]
    firsts: dict = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for submission_id, kind, first, last in db.session.execute(
            select(Reply.submission_id, Reply.kind, func.min(Reply.created_at), func.max(Reply.created_at))
            .where(Reply.submission_id.in_(chunk))
            .group_by(Reply.submission_id, Reply.kind)
        ):
            firsts[(submission_id, kind)] = (first, last)
    return [
        ExportRow(
            s,
            firsts.get((s.id, "reply"), (None, None))[0],
            firsts.get((s.id, "outcome"), (None, None))[0],
            firsts.get((s.id, "outcome"), (None, None))[1],
        )
        for s in rows
    ]

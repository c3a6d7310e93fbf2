"""Keep the Insight counts up to date, in the caller's transaction.

Each ``on_*`` function is called by the domain code that makes the event (sending, reading,
replying, deciding, raising, escalating and acknowledging an alert), before that code
commits, so the counts and the event stand or fall together. ``rebuild`` (voice.insight.
rebuild) recomputes the same rows from the raw tables with the same helpers below, so the
two can be compared.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from voice import clock
from voice.dates import london
from voice.extensions import db
from voice.insight import themes
from voice.models import Alert, InsightCount, Reply, Review, RoutingRecord, Submission

# Time buckets, in minutes: a figure such as "median time to first read" is given as the
# bucket it falls in ("within 4 hours"), read from these counts without scanning items.
BUCKETS = (60, 240, 480, 1440, 2880, 4320, 7200, 10080, 20160)
BEYOND = "more"

SENT, READ, REPLIED, DECISION = "sent", "read", "replied", "decision"
REVIEW_DECISION = "review_decision"
# Open items, by the day they were sent: +1 when sent, -1 at the first read (or reply). What
# is still open and was sent before a cut-off is then a sum over a few rows.
UNREAD, UNANSWERED = "open_unread", "open_unanswered"
ALERT_RAISED, ALERT_ACKED, ALERT_ESCALATED, ALERT_ACTION = (
    "alert_raised",
    "alert_acked",
    "alert_escalated",
    "alert_action",
)
NOBODY = 0


def day_of(moment: datetime) -> date:
    """The London day a moment falls on (figures are reported by the council's calendar)."""
    return london(clock.as_utc(moment)).date()


def bucket(start: datetime, end: datetime) -> str:
    minutes = (clock.as_utc(end) - clock.as_utc(start)).total_seconds() / 60
    for edge in BUCKETS:
        if minutes <= edge:
            return str(edge)
    return BEYOND


def _insert_for(dialect: str):
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def bump(day: date, team_id: int, staff_id: int | None, metric: str, key: str = "", n: int = 1) -> None:
    """Add ``n`` to one count: an upsert, safe when two transactions add at once."""
    insert = _insert_for(db.session.get_bind().dialect.name)
    stmt = insert(InsightCount).values(
        day=day, team_id=team_id, staff_id=staff_id or NOBODY, metric=metric, key=key[:64], n=n
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["day", "team_id", "staff_id", "metric", "key"],
        set_={"n": InsightCount.n + stmt.excluded.n},
    )
    db.session.execute(stmt)


def attribution(submission: Submission) -> tuple[int, int]:
    """The team and worker a submission counts against: whoever it was first routed to (a later
    reallocation does not move history), else the child's team."""
    row = db.session.execute(
        select(RoutingRecord.recipient_team_id, RoutingRecord.recipient_staff_id)
        .where(RoutingRecord.submission_id == submission.id)
        .order_by(RoutingRecord.id)
        .limit(1)
    ).first()
    if row is None:
        return submission.child.team_id, NOBODY
    return row[0], row[1] or NOBODY


def _stamped(when: datetime | None, name: str) -> datetime:
    """A time the caller has already set. Counting an unset one on today's date would quietly put
    history on the wrong day, so it is a programming error, caught by the tests."""
    if when is None:
        raise ValueError(f"Insight counted a submission before its {name} was set")
    return when


def on_sent(submission: Submission, record: RoutingRecord) -> None:
    day, team_id, staff_id = day_of(submission.sent_at), record.recipient_team_id, record.recipient_staff_id
    bump(day, team_id, staff_id, SENT, submission.kind or "")
    bump(day, team_id, staff_id, UNREAD)
    bump(day, team_id, staff_id, UNANSWERED)
    answers = [(a.node_id, a.topic, a.answer_type, a.skipped, a.choices) for a in submission.answers]
    for metric, key in themes.keys_for(submission.flow_id, submission.content_version, answers):
        bump(day, team_id, staff_id, metric, key)


def on_read(submission: Submission) -> None:
    """The first read (call only when ``read_at`` has just been set)."""
    team_id, staff_id = attribution(submission)
    sent, read = _stamped(submission.sent_at, "sent_at"), _stamped(submission.read_at, "read_at")
    day = day_of(sent)
    bump(day, team_id, staff_id, READ, bucket(sent, read))
    bump(day, team_id, staff_id, UNREAD, n=-1)


def on_replied(submission: Submission) -> None:
    """The first reply (call only when ``replied_at`` has just been set)."""
    team_id, staff_id = attribution(submission)
    sent, replied = _stamped(submission.sent_at, "sent_at"), _stamped(submission.replied_at, "replied_at")
    day = day_of(sent)
    bump(day, team_id, staff_id, REPLIED, bucket(sent, replied))
    bump(day, team_id, staff_id, UNANSWERED, n=-1)


def on_decision(submission: Submission, entry: Reply) -> None:
    """A decision ("we did") recorded against what a child said, counted by its topic."""
    team_id, _ = attribution(submission)
    bump(day_of(entry.created_at or clock.now()), team_id, entry.author_id, DECISION, entry.topic or "")


def on_review_decision(review: Review) -> None:
    recorded = review.recorded_at or clock.now()
    bump(day_of(recorded), review.child.team_id, review.recorded_by_id, REVIEW_DECISION)


def on_alert_raised(alert: Alert) -> None:
    bump(day_of(alert.raised_at or clock.now()), alert.team_id, NOBODY, ALERT_RAISED, alert.source)


def on_alert_escalated(alert: Alert) -> None:
    """The first escalation of an alert (level 0 to 1 or more)."""
    bump(day_of(alert.raised_at), alert.team_id, NOBODY, ALERT_ESCALATED)


def on_alert_acknowledged(alert: Alert, acknowledged_at: datetime) -> None:
    bump(
        day_of(alert.raised_at), alert.team_id, NOBODY, ALERT_ACKED, bucket(alert.raised_at, acknowledged_at)
    )


def on_alert_action(alert: Alert, action: str, at: datetime) -> None:
    bump(day_of(at), alert.team_id, NOBODY, ALERT_ACTION, action)

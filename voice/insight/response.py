"""Response and alerts, read from the running counts (voice.insight.counts) wherever possible.

Times are kept as buckets ("within 4 hours"), so a median or 90th percentile is the bucket it
falls in: exact enough to manage by, and it never needs a scan of every item.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from voice import clock
from voice.dates import LONDON
from voice.extensions import db
from voice.insight import counts as c
from voice.insight.scope import Scope
from voice.insight.suppression import primary, suppress_line
from voice.insight.tables import Label, Table
from voice.models import Alert, InsightCount, StaffMember
from voice.routing.working_time import is_working_day

REPLY_WORKING_DAYS = 5  # a reply within a working week; unanswered beyond that is listed

BUCKET_WORDS = {
    "60": _l("within 1 hour"),
    "240": _l("within 4 hours"),
    "480": _l("within 8 hours"),
    "1440": _l("within 1 day"),
    "2880": _l("within 2 days"),
    "4320": _l("within 3 days"),
    "7200": _l("within 5 days"),
    "10080": _l("within 7 days"),
    "20160": _l("within 14 days"),
    c.BEYOND: _l("over 14 days"),
}
ORDER = [str(b) for b in c.BUCKETS] + [c.BEYOND]


def quantile(histogram: dict[str, int], q: float):
    """The bucket (as words) holding the q-th quantile, or None when there is nothing."""
    total = sum(histogram.values())
    if total == 0:
        return None
    seen = 0
    for key in ORDER:
        seen += histogram.get(key, 0)
        if seen >= q * total:
            return BUCKET_WORDS[key]
    return BUCKET_WORDS[c.BEYOND]


def summed(scope: Scope, metrics: tuple[str, ...], *, by_staff: bool = True):
    """{(staff id, metric): {key: n}} from the running counts in scope."""
    columns = [InsightCount.staff_id] if by_staff else []
    rows = db.session.execute(
        select(*columns, InsightCount.metric, InsightCount.key, func.sum(InsightCount.n))
        .where(
            InsightCount.day >= scope.period.start,
            InsightCount.day <= scope.period.end,
            InsightCount.metric.in_(metrics),
            scope.teams(InsightCount.team_id),
        )
        .group_by(*columns, InsightCount.metric, InsightCount.key)
    ).all()
    out: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        staff_id, metric, key, n = tuple(row) if by_staff else (None, *row)
        out[(staff_id, metric)][key] += int(n)
    return out


def working_days_before(moment: datetime, days: int) -> date:
    """The London day ``days`` working days before ``moment``'s day."""
    day = moment.astimezone(LONDON).date()
    while days > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def past_limits(scope: Scope) -> dict[int, tuple[int, int]]:
    """{worker: (unread, unanswered)} for items open now that were sent before the reading
    limit (VOICE_READ_REMINDER_WORKING_DAYS working days) or the reply limit
    (``REPLY_WORKING_DAYS``). From the open-item counts: a few rows, whatever the table size."""
    now = clock.now()
    read_by = working_days_before(now, current_app.config["VOICE_READ_REMINDER_WORKING_DAYS"])
    reply_by = working_days_before(now, REPLY_WORKING_DAYS)
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for metric, cutoff, at in ((c.UNREAD, read_by, 0), (c.UNANSWERED, reply_by, 1)):
        rows = db.session.execute(
            select(InsightCount.staff_id, func.sum(InsightCount.n))
            .where(
                InsightCount.metric == metric, InsightCount.day < cutoff, scope.teams(InsightCount.team_id)
            )
            .group_by(InsightCount.staff_id)
        ).all()
        for staff_id, n in rows:
            if n:
                out[staff_id][at] = int(n)
    return {k: (v[0], v[1]) for k, v in out.items()}


def by_worker(scope: Scope) -> Table:
    sums = summed(scope, (c.SENT, c.READ, c.REPLIED))
    late = past_limits(scope)
    staff_ids = {s for s, _ in sums} | set(late)
    names = dict(
        db.session.execute(
            select(StaffMember.id, StaffMember.name).where(StaffMember.id.in_(staff_ids))
        ).all()
    )
    table = Table(
        "response_by_worker",
        _l("Time to first read and first reply, by worker"),
        _l(
            "For items sent in the period, counted against the worker each was first sent to: how "
            "long until the first read and the first reply (median and 90th percentile, as the time "
            "band they fall in). 'Unread past the deadline' and 'unanswered past the limit' are "
            "items open now that were sent more than the reading limit or %(days)s working days "
            "ago, counted against the worker each was first sent to.",
            days=REPLY_WORKING_DAYS,
        ),
        [
            _l("Worker"),
            _l("Items sent"),
            _l("First read: median"),
            _l("First read: 90th percentile"),
            _l("First reply: median"),
            _l("First reply: 90th percentile"),
            _l("Unread past the deadline"),
            _l("Unanswered past the limit"),
        ],
        chart=(0, 1),
    )
    for staff_id in sorted(staff_ids, key=lambda s: names.get(s, "~")):
        reads, replies = sums.get((staff_id, c.READ), {}), sums.get((staff_id, c.REPLIED), {})
        sent = sum(sums.get((staff_id, c.SENT), {}).values())
        unread, unanswered = late.get(staff_id, (0, 0))
        label = names.get(staff_id) if staff_id else _l("Duty or team inbox")
        table.rows.append(
            [
                Label(label),
                primary(sent),
                quantile(reads, 0.5),
                quantile(reads, 0.9),
                quantile(replies, 0.5),
                quantile(replies, 0.9),
                primary(unread),
                primary(unanswered),
            ]
        )
    return table


def alerts(scope: Scope) -> Table:
    """Alerts raised in the period. Alerts are few, so the times come from the alerts themselves
    (exact median and worst); the counts come from the running counts."""
    sums = summed(scope, (c.ALERT_RAISED, c.ALERT_ESCALATED, c.ALERT_ACTION), by_staff=False)
    waits = sorted(
        clock.as_utc(acked) - clock.as_utc(raised)
        for raised, acked in db.session.execute(
            select(Alert.raised_at, Alert.acknowledged_at).where(
                Alert.raised_at >= scope.period.starts_at,
                Alert.raised_at < scope.period.ends_before,
                Alert.acknowledged_at.is_not(None),
                scope.teams(Alert.team_id),
            )
        )
        if acked is not None
    )
    raised = sum(sums.get((None, c.ALERT_RAISED), {}).values())
    escalated = sum(sums.get((None, c.ALERT_ESCALATED), {}).values())
    actions = sums.get((None, c.ALERT_ACTION), {})
    table = Table(
        "alerts",
        _l("Safeguarding alerts"),
        _l(
            "Alerts raised in the period; the time from raising to the first person pressing 'I have "
            "seen this' (median and longest, in minutes); how many were escalated because nobody had "
            "said they had seen it in time; and what people recorded they did."
        ),
        [_l("Measure"), _l("Value")],
    )
    table.rows.append([Label(_l("Alerts raised")), primary(raised)])
    table.rows.append([Label(_l("Escalated")), primary(escalated)])
    if waits and len(waits) >= 5:
        median = (
            waits[len(waits) // 2]
            if len(waits) % 2
            else (waits[len(waits) // 2 - 1] + waits[len(waits) // 2]) / 2
        )
        table.rows.append([Label(_l("Minutes to acknowledge: median")), round(median.total_seconds() / 60)])
        table.rows.append(
            [Label(_l("Minutes to acknowledge: longest")), round(waits[-1].total_seconds() / 60)]
        )
    else:
        table.rows.append([Label(_l("Alerts acknowledged (too few to give times)")), primary(len(waits))])
    keys = sorted(actions)
    cells, _ = suppress_line([actions[k] for k in keys])
    for key, cell in zip(keys, cells, strict=True):
        table.rows.append([Label(_l("Action recorded: %(action)s", action=key.replace("_", " "))), cell])
    return table

"""No alert is ever lost, whatever happens in whatever order (THREATS 39, SECURITY "Safeguarding").

A hypothesis ``RuleBasedStateMachine`` drives one child, their worker, the team manager and a
duty worker through what really happens: the child writes something worrying or ordinary, or
presses "I don't feel safe"; mail is refused or accepted; the delivery worker runs; someone in
scope presses "I have seen this"; the worker or manager goes away and comes back; the clock
jumps by minutes or days. After T2 the emergency duty team is told again every R minutes for as
long as nobody acknowledges (the repeat step); missed repeats are never sent in a burst. Runs
start on Christmas Day, on the substitute Boxing Day, on a Saturday night, across both 2026
clock changes, and on ordinary days.

The model below decides working hours from its own calendar (Europe/London, England's 2026 bank
holidays written out), not from ``voice.routing.working_time``, so the two can disagree.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
import time_machine
from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from tests import factories
from tests.helpers.database import triggers_lifted
from tests.helpers.submissions import send_for
from tests.routing.smtp_sink import SmtpSink
from voice.extensions import db
from voice.models import Alert, Child, OutboxMessage, RoutingRecord, StaffMember, Submission
from voice.routing import channels, outbox
from voice.safeguarding import escalation, reconcile
from voice.safeguarding.child_alerts import add_words, child_feels_unsafe

LONDON = ZoneInfo("Europe/London")
# England and Wales, 2026 (and New Year 2027, which a run can reach). 26 Dec 2026 is a Saturday,
# so Boxing Day is observed on Monday 28 Dec.
BANK_HOLIDAYS = frozenset(
    {
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 28),
        date(2027, 1, 1),
    }
)


def _utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


STARTS = {
    "christmas-day-10:00": _utc(2026, 12, 25, 10, 0),
    "substitute-boxing-day-monday-09:30": _utc(2026, 12, 28, 9, 30),
    "saturday-22:00": _utc(2026, 11, 21, 22, 0),
    "autumn-change-01:30-bst": _utc(2026, 10, 25, 0, 30),  # clocks go back at 01:00 UTC
    "first-gmt-monday-08:30": _utc(2026, 10, 26, 8, 30),  # 08:30 local: not yet working hours
    "spring-change-00:30-gmt": _utc(2026, 3, 29, 0, 30),  # clocks go forward at 01:00 UTC
    "first-bst-monday-09:30": _utc(2026, 3, 30, 8, 30),  # 09:30 local: working hours
    "maundy-thursday-16:40-bst": _utc(2026, 4, 2, 15, 40),  # into the Easter bank holidays
    "friday-16:30": _utc(2026, 11, 20, 16, 30),  # T1 lands after 17:00
    "wednesday-11:00": _utc(2026, 11, 18, 11, 0),
}

CONCERNING = (
    "my carer hits me when im bad",
    "i want to kms",
    "nobody would notice if i was gone",
)
ORDINARY = ("I would like more time with my brother", "I killed it at football")

WORKER, MANAGER, DUTY_PERSON, OTHER = "sw@voice.test", "tm@voice.test", "dp@voice.test", "other@voice.test"
DUTY_INBOX = "duty@voice.test"
STAFF_IN_SCOPE = (WORKER, MANAGER, DUTY_PERSON)

# Minutes to days, with extra weight on either side of T1 and T2 (60 and 120 by default).
MINUTES = st.one_of(
    st.integers(1, 30),
    st.sampled_from([59, 60, 61, 119, 120, 121]),
    st.integers(30, 4 * 24 * 60),
)
LATER = st.one_of(st.just(0), MINUTES)  # the worker and delivery rules let time pass first

# Sending walks the whole pre-review flow (about 150 ms on PostgreSQL), so a run sends at most
# a few times; the button adds alerts more cheaply.
MAX_SUBMISSIONS, MAX_ALERTS = 4, 6

MACHINE_SETTINGS = settings(
    max_examples=30,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def wipe(app: Flask) -> None:
    """Empty every table, for a fresh start per hypothesis example (``_clean_database`` in
    tests/conftest.py runs once per test). DELETE rather than its TRUNCATE, which takes 0.3 s a
    time on PostgreSQL: children before parents, after clearing the foreign keys that close a
    cycle (a team and its manager)."""
    with app.app_context():
        db.session.remove()
        tables = db.metadata.sorted_tables
        with db.engine.begin() as conn, triggers_lifted(conn):
            for table in tables:
                for fk in table.foreign_keys:
                    if fk.use_alter:
                        conn.execute(table.update().values({fk.parent.name: None}))
            for table in reversed(tables):
                conn.execute(table.delete())


def out_of_hours(moment: datetime, start_hour: int, end_hour: int) -> bool:
    local = moment.astimezone(LONDON)
    workday = local.weekday() < 5 and local.date() not in BANK_HOLIDAYS
    return not (workday and start_hour <= local.hour < end_hour)


def as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass
class AlertModel:
    raised_at: datetime
    source: str
    level: int = 0  # what the model knows was escalated
    acknowledged_at_level: int | None = None
    rows: set[uuid.UUID] = field(default_factory=set)


@dataclass(frozen=True)
class UrgentRow:
    id: uuid.UUID
    alert_id: uuid.UUID | None  # None: an urgent reminder about an unread submission
    to_address: str
    status: str
    next_attempt_at: datetime


Rows = dict[uuid.UUID, UrgentRow]


class AlertsNeverGetLost(RuleBasedStateMachine):
    app: Flask
    sink: SmtpSink

    def __init__(self) -> None:
        super().__init__()
        wipe(self.app)
        self.sink.accept()
        with self.sink.lock:
            self.sink.received.clear()
        cfg = self.app.config
        self.t1 = timedelta(minutes=cfg["VOICE_ALERT_T1_MINUTES"])
        self.t2 = timedelta(minutes=cfg["VOICE_ALERT_T2_MINUTES"])
        self.repeat = timedelta(minutes=cfg["VOICE_ESCALATION_REPEAT_MINUTES"])
        self.hours = (cfg["VOICE_WORKDAY_START"], cfg["VOICE_WORKDAY_END"])
        self.edt = cfg["VOICE_EDT_EMAIL"]
        self.now = STARTS["wednesday-11:00"]
        self.away = {WORKER: False, MANAGER: False}
        self.accepting = True
        self.ever_refused = False
        self.alerts: dict[uuid.UUID, AlertModel] = {}
        self.submissions: dict[uuid.UUID, tuple[bool, str]] = {}  # id -> (concern, expected routed_to)
        self.statuses: dict[uuid.UUID, str] = {}  # every urgent row ever seen, and its last status
        self.worker_ran_at: datetime | None = None
        with self.app.app_context():
            team = factories.team("Team SM", duty_email=DUTY_INBOX)
            worker = factories.staff(team_=team, email=WORKER, name="Sol Worker")
            team.manager = factories.staff("team_manager", team_=team, email=MANAGER, name="Max Manager")
            factories.staff("duty", team_=team, email=DUTY_PERSON, name="Dee Duty")
            factories.staff(team_=team, email=OTHER, name="Oli Other")
            factories.child(worker=worker, ref="K-SM1", first_name="Rue")
            db.session.commit()
            self.ids = {s.email: s.id for s in db.session.scalars(select(StaffMember))}
            self.team_id = team.id

    def teardown(self) -> None:
        wipe(self.app)

    # ------------------------------------------------------------------------------- helpers

    def travel(self) -> time_machine.travel:
        return time_machine.travel(self.now, tick=False)

    def out_of_hours(self, moment: datetime | None = None) -> bool:
        return out_of_hours(moment or self.now, *self.hours)

    def expected_routed_to(self) -> str:
        if not self.away[WORKER]:
            return f"staff:{self.ids[WORKER]}"
        if not self.away[MANAGER]:
            return f"staff:{self.ids[MANAGER]}"
        return f"duty:{self.team_id}"

    def urgent_rows(self) -> Rows:
        rows = db.session.execute(
            select(
                OutboxMessage.id,
                OutboxMessage.alert_id,
                OutboxMessage.to_address,
                OutboxMessage.status,
                OutboxMessage.next_attempt_at,
            ).where(OutboxMessage.urgent.is_(True))
        ).all()
        return {
            r.id: UrgentRow(r.id, r.alert_id, r.to_address, r.status, as_utc(r.next_attempt_at)) for r in rows
        }

    def addresses(self, row_ids: set[uuid.UUID], rows: Rows) -> Counter[str]:
        return Counter(rows[i].to_address for i in row_ids)

    def due_level(self, model: AlertModel, moment: datetime | None, *, with_repeats: bool = False) -> int:
        """0 before T1, 1 before T2, then 2; with repeats, 2 plus every repeat time passed."""
        if moment is None or moment < model.raised_at + self.t1:
            return 0
        if moment < model.raised_at + self.t2:
            return 1
        return 2 + ((moment - model.raised_at - self.t2) // self.repeat if with_repeats else 0)

    def record_new_alert(self, alert_id: uuid.UUID, source: str) -> None:
        """What a fresh alert must look like: level 0, told worker, manager, duty (and EDT when
        it is out of hours), all in urgent rows written with it."""
        model = AlertModel(raised_at=self.now, source=source)
        rows = self.urgent_rows()
        model.rows = {r.id for r in rows.values() if r.alert_id == alert_id}
        expected = {WORKER, MANAGER, DUTY_INBOX} | ({self.edt} if self.out_of_hours() else set())
        assert self.addresses(model.rows, rows) == Counter(expected), f"raised at {self.now.isoformat()}"
        self.alerts[alert_id] = model

    # --------------------------------------------------------------------------------- rules

    @initialize(start=st.sampled_from(sorted(STARTS)), offset=st.integers(0, 90))
    def start_at(self, start: str, offset: int) -> None:
        self.now = STARTS[start] + timedelta(minutes=offset)

    @precondition(lambda self: len(self.submissions) < MAX_SUBMISSIONS)
    @rule(concerning=st.booleans(), pick=st.integers(0, 2))
    def child_sends(self, concerning: bool, pick: int) -> None:
        words = CONCERNING[pick % len(CONCERNING)] if concerning else ORDINARY[pick % len(ORDINARY)]
        with self.travel():
            submission_id = send_for(self.app, "K-SM1", text=words)
        self.submissions[submission_id] = (concerning, self.expected_routed_to())
        with self.app.app_context():
            alert_id = db.session.scalar(select(Alert.id).where(Alert.submission_id == submission_id))
            assert (alert_id is not None) == concerning
            if alert_id is not None:
                self.record_new_alert(alert_id, "detector")

    @precondition(lambda self: len(self.alerts) < MAX_ALERTS)
    @rule(words=st.sampled_from(["", "scared of going home tonight"]))
    def child_presses_i_dont_feel_safe(self, words: str) -> None:
        """One tap, and optionally some words after it: always an alert."""
        with self.travel(), self.app.app_context():
            child = Child.by_ref("K-SM1")
            alert_id = child_feels_unsafe(child).id
            self.record_new_alert(alert_id, "button")
            if words:
                assert add_words(child, alert_id, words)

    @rule(accepting=st.booleans())
    def mail_server(self, accepting: bool) -> None:
        self.accepting = accepting
        if accepting:
            self.sink.accept()
        else:
            self.ever_refused = True
            self.sink.refuse("451 4.3.0 Try again later")

    @rule(how=st.sampled_from(["drain", "deliver_due"]), later=LATER)
    def deliver(self, how: str, later: int) -> None:
        """Some minutes later, delivery alone (no escalation)."""
        self.now += timedelta(minutes=later)
        with self.travel(), self.app.app_context():
            getattr(outbox, how)()

    @precondition(lambda self: any(m.acknowledged_at_level is None for m in self.alerts.values()))
    @rule(pick=st.integers(0, 20), who=st.sampled_from(STAFF_IN_SCOPE))
    def someone_in_scope_acknowledges(self, pick: int, who: str) -> None:
        open_ids = [i for i, m in self.alerts.items() if m.acknowledged_at_level is None]
        alert_id = open_ids[pick % len(open_ids)]
        with self.travel(), self.app.app_context():
            staff = db.session.get(StaffMember, self.ids[who])
            alert = escalation.find_for(staff, alert_id)
            assert alert is not None, f"{who} is in scope"
            assert escalation.acknowledge(staff, alert, action="spoke_to_child").won
            model = self.alerts[alert_id]
            model.acknowledged_at_level = db.session.get(Alert, alert_id).escalation_level
            model.rows = {r.id for r in self.urgent_rows().values() if r.alert_id == alert_id}

    @precondition(lambda self: bool(self.alerts))
    @rule(pick=st.integers(0, 20))
    def another_worker_cannot_acknowledge(self, pick: int) -> None:
        alert_id = list(self.alerts)[pick % len(self.alerts)]
        with self.app.app_context():
            assert escalation.find_for(db.session.get(StaffMember, self.ids[OTHER]), alert_id) is None

    @rule(who=st.sampled_from([WORKER, MANAGER]), away=st.booleans())
    def mark_away(self, who: str, away: bool) -> None:
        with self.app.app_context():
            db.session.get(StaffMember, self.ids[who]).away = away
            db.session.commit()
        self.away[who] = away

    @rule(minutes=MINUTES)
    def clock_advances(self, minutes: int) -> None:
        """Time passes with nobody running the worker (it is down, or between rounds)."""
        self.now += timedelta(minutes=minutes)

    @rule(how=st.sampled_from(["deliver --once", "escalate_due, drain"]), later=LATER)
    def run_worker(self, how: str, later: int) -> None:
        """Some minutes later, a worker round: escalate what is overdue, then deliver.
        ``deliver --once`` is the real command (its housekeeping escalates and queues
        reminders); the other calls the two parts itself."""
        self.now += timedelta(minutes=later)
        with self.app.app_context():
            before = self.urgent_rows()
        with self.travel():
            if how == "deliver --once":
                result = self.app.test_cli_runner().invoke(args=["deliver", "--once"])
                assert result.exit_code == 0, result.output
            else:
                with self.app.app_context():
                    escalation.escalate_due()
                    outbox.drain()
        self.worker_ran_at = self.now
        with self.app.app_context():
            levels = dict(db.session.execute(select(Alert.id, Alert.escalation_level)).all())
            after = self.urgent_rows()
            self.check_escalation_recipients(before, after, levels)
            if self.accepting:
                self.check_reconcile_after_worker(reconcile.problems(now=self.now), after)

    def check_escalation_recipients(
        self,
        before: Rows,
        after: Rows,
        levels: dict[uuid.UUID, int],
    ) -> None:
        """Each step up tells exactly the right people, each once in a run: T1 the manager and
        duty again (and the EDT out of hours); T2 the EDT; each repeat the EDT again. Steps
        taken together (T1 and T2 after an outage) send the EDT one email, not two, and a run
        sends at most one repeat, never one on top of T2."""
        for alert_id, model in self.alerts.items():
            new = {i for i, r in after.items() if r.alert_id == alert_id and i not in before}
            level = levels[alert_id]
            expected: set[str] = set()
            if model.level < 1 <= level:
                expected |= {MANAGER, DUTY_INBOX} | ({self.edt} if self.out_of_hours() else set())
            if model.level < 2 <= level:
                expected |= {self.edt}
            repeats = level - max(model.level, 2)
            if repeats > 0:
                assert repeats == 1 and model.level >= 2, ("a burst of repeats", model, level)
                expected |= {self.edt}
            assert self.addresses(new, after) == Counter(expected), (
                alert_id,
                model,
                level,
                self.now.isoformat(),
            )
            model.level = level
            model.rows |= new

    def check_reconcile_after_worker(self, found: list[str], rows: Rows) -> None:
        """With mail accepted, the worker leaves nothing behind except what reconcile should
        still shout about: a message in backoff after an outage, or one that is dead."""
        waiting = {r.id for r in rows.values() if r.status == "pending" and r.next_attempt_at > self.now}
        dead = {r.id for r in rows.values() if r.status == "dead"}
        assert not [r for r in rows.values() if r.status == "pending" and r.id not in waiting], (
            "due but unsent"
        )
        allowed = {f"urgent message {i} is pending" for i in waiting} | {
            f"urgent message {i} is dead" for i in dead
        }
        unexplained = [p for p in found if p.rsplit(" after ", 1)[0] not in allowed]
        assert unexplained == [], unexplained
        if not self.ever_refused:
            assert found == []

    # ---------------------------------------------------------------------------- invariants

    @invariant()
    def nothing_is_lost(self) -> None:
        """After every step. One database session for all the checks keeps each step cheap."""
        with self.app.app_context():
            rows = self.urgent_rows()
            self.check_every_submission_is_routed_and_every_concern_alerted()
            self.check_urgent_messages_never_disappear_or_go_backwards(rows)
            self.check_escalation_is_on_time_never_early_and_stops_at_acknowledgement(rows)
            self.check_a_dead_urgent_message_is_reported_to_the_team()

    def check_every_submission_is_routed_and_every_concern_alerted(self) -> None:
        current = RoutingRecord.current.is_(True)
        records = db.session.execute(
            select(RoutingRecord.submission_id, RoutingRecord.routed_to).where(current)
        ).all()
        routed = dict(records)
        assert len(routed) == len(records), "a submission with two current routing records"
        concern = dict(db.session.execute(select(Submission.id, Submission.concern)).all())
        alerted = set(db.session.scalars(select(Alert.submission_id)))
        assert set(concern) == set(self.submissions)
        for submission_id, (concerning, routed_to) in self.submissions.items():
            assert routed.get(submission_id) == routed_to, "routed to the wrong person, or nobody"
            assert concern[submission_id] == concerning
            assert (submission_id in alerted) == concerning, "a concern without an alert, or the reverse"
        assert set(db.session.scalars(select(Alert.id))) == set(self.alerts)

    def check_urgent_messages_never_disappear_or_go_backwards(self, rows: Rows) -> None:
        for row_id, status in self.statuses.items():
            assert row_id in rows, f"urgent message {row_id} vanished"
            if status in ("sent", "dead"):
                assert rows[row_id].status == status, f"{row_id}: {status} -> {rows[row_id].status}"
        for alert_id, model in self.alerts.items():
            assert model.rows <= {i for i, r in rows.items() if r.alert_id == alert_id}
        assert {r.status for r in rows.values()} <= {"pending", "sent", "dead"}, "left mid-send"
        self.statuses = {i: r.status for i, r in rows.items()}
        received = Counter(m.message["Message-ID"] for m in self.sink.messages)
        assert all(n == 1 for n in received.values()), "sent twice, with no crash to excuse it"
        mail_from = self.app.config["VOICE_MAIL_FROM"]
        sent = {channels.message_id(i, mail_from) for i, r in rows.items() if r.status == "sent"}
        assert sent <= set(received), "marked sent, never sent"

    def check_escalation_is_on_time_never_early_and_stops_at_acknowledgement(self, rows: Rows) -> None:
        stored = {a.id: a for a in db.session.scalars(select(Alert))}
        for alert_id, model in self.alerts.items():
            alert = stored[alert_id]
            kinds = [e.kind for e in alert.events]
            assert as_utc(alert.raised_at) == model.raised_at
            assert kinds.count("escalated_t1") == (alert.escalation_level >= 1)
            assert kinds.count("escalated_t2") == (alert.escalation_level >= 2)
            assert kinds.count("escalated_repeat") == max(0, alert.escalation_level - 2)
            mine = {i for i, r in rows.items() if r.alert_id == alert_id}
            if model.acknowledged_at_level is not None:
                assert alert.status == "acknowledged" and alert.next_escalation_at is None
                assert alert.escalation_level == model.acknowledged_at_level
                assert mine == model.rows, "an acknowledged alert was sent to more people"
                assert not [k for k in kinds[kinds.index("acknowledged") :] if k.startswith("escalated")]
                continue
            assert alert.status in ("notified", "escalated")
            assert mine == model.rows, "messages for an alert appeared outside a worker run"
            early = self.due_level(model, self.now, with_repeats=True)
            assert alert.escalation_level <= early, "escalated early"
            overdue = self.due_level(model, self.worker_ran_at)
            assert alert.escalation_level >= overdue, "still overdue after the worker ran"
            self.check_the_next_step_is_booked(model, alert)
            if alert.escalation_level >= 2 or self.out_of_hours(model.raised_at):
                assert self.edt in self.addresses(mine, rows), "out of hours or past T2, yet no EDT"

    def check_the_next_step_is_booked(self, model: AlertModel, alert: Alert) -> None:
        """Escalation never stops while an alert is open: the next step is always booked, on
        the schedule (T1, T2, then T2 + k x R), and after the last worker run."""
        assert alert.next_escalation_at is not None, "an open alert with nothing booked"
        booked = as_utc(alert.next_escalation_at)
        if alert.escalation_level == 0:
            assert booked == model.raised_at + self.t1
        elif alert.escalation_level == 1:
            assert booked == model.raised_at + self.t2
        else:
            since_t2 = booked - model.raised_at - self.t2
            assert since_t2 >= self.repeat and since_t2 % self.repeat == timedelta(0), "off the schedule"
        if self.worker_ran_at is not None:
            assert booked > self.worker_ran_at, "due, yet the worker left it"

    def check_a_dead_urgent_message_is_reported_to_the_team(self) -> None:
        dead = select(OutboxMessage).where(OutboxMessage.urgent.is_(True), OutboxMessage.status == "dead")
        problems = select(OutboxMessage).where(OutboxMessage.template == "delivery_problem")
        reported = Counter(m.personalisation["reference"] for m in db.session.scalars(problems))
        for message in db.session.scalars(dead):
            assert reported[message.personalisation["reference"]] >= 1, "dead, and nobody told"


def test_no_alert_is_lost_whatever_happens(app: Flask, smtp_server: SmtpSink) -> None:
    AlertsNeverGetLost.app = app
    AlertsNeverGetLost.sink = smtp_server
    run_state_machine_as_test(AlertsNeverGetLost, settings=MACHINE_SETTINGS)


# ------------------------------------------------------------------------- the model's calendar


def test_the_models_calendar_agrees_with_englands_and_the_clock_changes() -> None:
    """The machine's oracle is hand-written; this keeps it honest about the dates it starts on."""
    official = holidays.country_holidays("GB", subdiv="ENG", years=2026)
    assert {d for d in BANK_HOLIDAYS if d.year == 2026} == set(official)
    assert official[date(2026, 12, 28)] == "Boxing Day (observed)"
    second = timedelta(seconds=1)
    for change in (_utc(2026, 3, 29, 1, 0), _utc(2026, 10, 25, 1, 0)):
        assert (change - second).astimezone(LONDON).utcoffset() != change.astimezone(LONDON).utcoffset()
    assert out_of_hours(STARTS["first-gmt-monday-08:30"], 9, 17)
    assert not out_of_hours(STARTS["first-bst-monday-09:30"], 9, 17)


# ------------------------------------------------------------------------------- a real race


@pytest.mark.postgres_only
def test_an_acknowledgement_during_escalation_is_never_overwritten(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL, two sessions: escalation has read the alert as open when a person presses "I
    have seen this". The acknowledgement must win, and the alert must not escalate again."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("needs PostgreSQL: set VOICE_TEST_DATABASE_URL")
    start = _utc(2026, 11, 18, 11, 0)
    with time_machine.travel(start, tick=False):
        with app.app_context():
            team = factories.team("Team R", duty_email=DUTY_INBOX)
            worker = factories.staff(team_=team, email=WORKER)
            team.manager = factories.staff("team_manager", team_=team, email=MANAGER)
            factories.child(worker=worker, ref="K-R1")
            db.session.commit()
        send_for(app, "K-R1", text=CONCERNING[0])
    with app.app_context():
        alert_id = db.session.scalar(select(Alert.id))
        worker_id = db.session.scalar(select(StaffMember.id).where(StaffMember.email == WORKER))

    stepping, go_on = threading.Event(), threading.Event()
    real_step = escalation._STEPS[0]
    errors: list[BaseException] = []

    def slow_step(alert: Alert) -> list[str]:
        stepping.set()
        go_on.wait(10)
        return real_step(alert)

    def escalate() -> None:
        try:
            with app.app_context():
                escalation.escalate_due()
        except BaseException as exc:  # reported below
            errors.append(exc)

    def acknowledge() -> None:
        try:
            with app.app_context():
                staff = db.session.get(StaffMember, worker_id)
                escalation.acknowledge(staff, db.session.get(Alert, alert_id), action="police")
        except BaseException as exc:  # reported below
            errors.append(exc)

    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        monkeypatch.setitem(escalation._STEPS, 0, slow_step)
        escalating = threading.Thread(target=escalate)
        escalating.start()
        assert stepping.wait(10)
        acknowledging = threading.Thread(target=acknowledge)
        acknowledging.start()
        acknowledging.join(0.5)  # waits on the escalation's row lock (without it: done already)
        go_on.set()
        escalating.join(10)
        acknowledging.join(10)
    assert errors == []
    with app.app_context():
        alert = db.session.get(Alert, alert_id)
        assert alert.status == "acknowledged" and alert.next_escalation_at is None
    with time_machine.travel(start + timedelta(days=1), tick=False), app.app_context():
        assert escalation.escalate_due() == 0

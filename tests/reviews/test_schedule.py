"""``reviews schedule``: consultations open on the right working day, once, and invitations
reach a real SMTP server and a fake GOV.UK Notify."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import holidays
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests import factories
from voice.extensions import db
from voice.models import Invitation, OutboxMessage, Review, ReviewConsultation, ReviewNotice
from voice.reviews import schedule
from voice.routing import outbox

ENGLAND = holidays.country_holidays("GB", subdiv="ENG", years=range(2026, 2029))


def expected_opening(due: date, working_days: int = 15) -> date:
    """An oracle written apart from the code: count back weekdays that are not bank holidays."""
    day, left = due, working_days
    while left:
        day -= timedelta(days=1)
        if day.weekday() < 5 and day not in ENGLAND:
            left -= 1
    return day


def consultations(review: Review) -> list[ReviewConsultation]:
    return list(
        db.session.scalars(select(ReviewConsultation).where(ReviewConsultation.review_id == review.id))
    )


def outbox_rows(**where) -> list[OutboxMessage]:
    stmt = select(OutboxMessage)
    for key, value in where.items():
        stmt = stmt.where(getattr(OutboxMessage, key) == value)
    return list(db.session.scalars(stmt))


def a_child(*, due: date, **contacts):
    team = factories.team()
    worker = factories.staff("social_worker", team_=team)
    iro = factories.staff("iro", team_=team)
    child = factories.child(worker=worker, iro=iro, **contacts)
    review = Review(child=child, due_on=due, sequence=3)
    db.session.add(review)
    db.session.commit()
    return child, review


def test_christmas_and_new_year_push_the_opening_back():
    # 15 working days before Tue 5 Jan 2027 skips 1 Jan, 28 Dec (Boxing Day's substitute) and
    # 25 Dec, landing on Thu 10 Dec 2026.
    assert schedule.open_on(date(2027, 1, 5), 15) == expected_opening(date(2027, 1, 5)) == date(2026, 12, 10)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    dues=st.lists(st.dates(min_value=date(2027, 1, 25), max_value=date(2027, 12, 31)), min_size=1, max_size=3)
)
def test_run_daily_across_a_year_each_review_opens_once_on_its_working_day(app_ctx, dues):
    reviews = [a_child(due=due, mobile="+447700900111", date_of_birth=date(2012, 1, 1))[1] for due in dues]
    day = date(2027, 1, 1)
    while day <= max(dues):
        schedule.run(day)
        if day.weekday() == 2:
            schedule.run(day)  # twice on Wednesdays: a second run must change nothing
        day += timedelta(days=1)
    for review in reviews:
        [opened] = consultations(review)
        assert opened.opened_on == expected_opening(review.due_on)
        kinds = db.session.scalars(select(ReviewNotice.kind).where(ReviewNotice.review_id == review.id)).all()
        assert sorted(kinds).count("by_hand") + sorted(kinds).count("invite") == 1


def test_the_child_gets_a_text_in_their_language_through_notify(app_ctx, sms):
    child, review = a_child(
        due=date(2027, 3, 10), mobile="+447700900123", preferred_language="pl", date_of_birth=date(2012, 5, 1)
    )
    report = schedule.run(schedule.open_on(review.due_on, 15))
    assert (report.opened, report.invited) == (1, 1)
    assert schedule.run(schedule.open_on(review.due_on, 15)).opened == 0  # never twice

    outbox.drain()
    [post] = sms.posts
    assert post["phone_number"] == "+447700900123"
    body = post["personalisation"]["body"]
    assert "Twój link działa jeden raz" in body  # Polish
    assert "/start/" in body
    assert child.first_name not in body and "review" not in body.lower()  # content-free
    [invitation] = db.session.scalars(select(Invitation).where(Invitation.child_id == child.id))
    assert invitation.expires_at.date() >= review.due_on


def test_a_young_child_is_invited_through_their_carer_by_email(app_ctx, smtp_server):
    child, review = a_child(
        due=date(2027, 3, 10),
        mobile="+447700900124",
        carer_email="carer@carers.example",
        date_of_birth=date(2020, 1, 1),
    )
    schedule.run(schedule.open_on(review.due_on, 15))
    outbox.drain()
    [mail] = smtp_server.messages
    assert mail.rcpt_tos == ("carer@carers.example",)
    assert "the child you look after" in mail.body and "/start/" in mail.body
    assert child.first_name not in mail.body


def test_with_no_phone_and_no_carer_the_worker_is_told_to_invite_by_hand_and_nothing_goes_nowhere(app_ctx):
    child, review = a_child(due=date(2027, 3, 10))
    opening = schedule.open_on(review.due_on, 15)
    assert schedule.run(opening).by_hand == 1
    [told] = outbox_rows(template="review_invite_by_hand")
    assert told.to_address == child.social_worker.email
    day = opening
    while day < review.due_on:
        day += timedelta(days=1)
        schedule.run(day)
    assert (
        outbox_rows(template="review_reminder") == [] and outbox_rows(template="review_reminder_carer") == []
    )
    # Five working days before, the worker and the IRO hear that nothing has arrived.
    nudges = outbox_rows(template="review_no_response")
    assert sorted(m.to_address for m in nudges) == sorted([child.social_worker.email, child.iro.email])


def test_reminders_at_the_set_points_then_the_staff_nudge_each_once(app_ctx):
    _child, review = a_child(
        due=date(2027, 3, 10), carer_email="carer@carers.example", date_of_birth=date(2019, 1, 1)
    )
    day = schedule.open_on(review.due_on, 15)
    while day <= review.due_on:
        schedule.run(day)
        schedule.run(day)
        day += timedelta(days=1)
    assert len(outbox_rows(template="review_invite_carer")) == 1
    reminders = outbox_rows(template="review_reminder_carer")
    assert len(reminders) == 2  # at 10 and 7 working days before
    assert len(outbox_rows(template="review_no_response")) == 2  # worker and IRO, once


def test_nothing_more_is_sent_once_the_child_has_sent_their_views(app, app_ctx):
    from tests.helpers.submissions import send_for

    child, review = a_child(
        due=date(2027, 3, 10), carer_email="carer@carers.example", date_of_birth=date(2019, 1, 1)
    )
    opening = schedule.open_on(review.due_on, 15)
    with time_machine.travel(f"{opening.isoformat()} 09:00:00+00:00", tick=False):
        schedule.run(opening)
        send_for(app, child.ref)
    day = opening
    while day <= review.due_on:
        schedule.run(day)
        day += timedelta(days=1)
    assert outbox_rows(template="review_reminder_carer") == []
    assert outbox_rows(template="review_no_response") == []
    assert db.session.scalar(select(func.count()).select_from(ReviewNotice)) == 1  # the invite only


def test_two_schedulers_at_once_open_and_send_each_review_once(app, app_ctx):
    reviews = [
        a_child(
            due=date(2027, 3, 10), carer_email=f"carer{n}@carers.example", date_of_birth=date(2019, 1, 1)
        )[1]
        for n in range(12)
    ]
    review_ids = [r.id for r in reviews]
    opening = schedule.open_on(date(2027, 3, 10), 15)
    db.session.remove()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context():
                start.wait()
                schedule.run(opening)
                db.session.remove()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    schedule.run(opening)  # the next round picks up anything a busy database made either skip

    assert errors == []
    opened = db.session.scalars(select(ReviewConsultation.review_id)).all()
    assert sorted(opened) == sorted(review_ids)
    invites = outbox_rows(template="review_invite_carer")
    assert sorted(m.to_address for m in invites) == sorted(f"carer{n}@carers.example" for n in range(12))


def test_the_schedule_command_runs_as_of_a_given_day(app_ctx, runner):
    _child, review = a_child(due=date(2027, 3, 10), carer_email="carer@carers.example")
    day = schedule.open_on(review.due_on, 15).isoformat()
    first = runner.invoke(args=["reviews", "schedule", "--at", day])
    assert first.exit_code == 0, first.output
    assert "1 consultations opened (1 invited, 0 to invite by hand)" in first.output
    again = runner.invoke(args=["reviews", "schedule", "--at", day])
    assert "0 consultations opened" in again.output

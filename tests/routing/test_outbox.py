"""The outbox from enqueue to sent or dead, against a real SMTP server and a fake Notify.

Time moves through the ``now=`` parameter or time-machine; nothing here sleeps for real
beyond a fraction of a second.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from tests import factories
from tests.routing.smtp_sink import SmtpSink
from voice import clock
from voice.extensions import db
from voice.models import Alert, OutboxMessage, Submission
from voice.routing import channels, notifications, outbox
from voice.routing.outbox import MAX_ATTEMPTS, URGENT_FAILOVER_AFTER, deliver_due, requeue_stuck

LINK = "http://voice.test/staff/submissions/1"
ROOT = Path(__file__).resolve().parents[2]


def enqueue(kind: str = "new_submission", *, to: str = "worker@voice.test", **kw) -> uuid.UUID:
    message = notifications.enqueue(kind, to_address=to, reference="S-ABCD2345", link=LINK, **kw)
    db.session.commit()
    return message.id


def row(message_id: uuid.UUID) -> OutboxMessage:
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message_id)
    assert message is not None
    return message


def count(**where) -> int:
    stmt = select(func.count()).select_from(OutboxMessage).filter_by(**where)
    return db.session.scalar(stmt) or 0


# ------------------------------------------------------------------------------------ enqueue


def test_enqueue_joins_the_callers_transaction(app_ctx):
    notifications.enqueue("new_submission", to_address="w@voice.test", reference="S-ABCD2345", link=LINK)
    db.session.rollback()
    assert count() == 0

    message_id = enqueue()
    message = row(message_id)
    assert (message.status, message.attempts, message.channel) == ("pending", 0, "smtp")
    assert message.personalisation == {"reference": "S-ABCD2345", "link": LINK}


def test_urgent_kinds_are_urgent_and_jump_the_queue(app_ctx, smtp_server):
    ordinary = enqueue()
    urgent = enqueue("urgent_alert")
    assert row(urgent).urgent and not row(ordinary).urgent
    deliver_due(limit=1)
    assert row(urgent).status == "sent"
    assert row(ordinary).status == "pending"


# --------------------------------------------------------------------------------------- SMTP


def test_a_due_message_is_delivered_over_smtp(app_ctx, smtp_server):
    message_id = enqueue()
    report = deliver_due()

    assert (report.sent, report.retried, report.dead) == (1, 0, 0)
    [mail] = smtp_server.messages
    assert mail.message["To"] == "worker@voice.test"
    assert mail.message["Subject"] == "A child you work with has sent something new"
    assert LINK in mail.body and "S-ABCD2345" in mail.body
    message = row(message_id)
    assert message.status == "sent" and message.sent_at is not None
    assert message.provider_reference == mail.message["Message-ID"]
    assert str(message_id) in message.provider_reference


def test_refused_then_accepted_is_sent_by_deliver_once(app_ctx, smtp_server, runner):
    smtp_server.refuse("451 4.3.0 Try again later")
    message_id = enqueue(to="firstname.lastname@voice.test")
    now = clock.now()

    assert deliver_due(now=now).retried == 1
    message = row(message_id)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == "smtp 451: recipient refused (@voice.test)"
    wait = clock.as_utc(message.next_attempt_at) - now
    assert timedelta(minutes=1) <= wait <= timedelta(minutes=1.2)
    assert deliver_due(now=now + timedelta(seconds=30)).handled == 0  # not due yet

    smtp_server.accept()
    with time_machine.travel(now + timedelta(minutes=2), tick=False):
        result = runner.invoke(args=["deliver", "--once"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "outbox: 1 sent, 0 to retry, 0 dead, 0 stuck requeued"
    assert len(smtp_server.messages) == 1
    assert row(message_id).status == "sent"


def test_a_server_that_is_down_loses_nothing_and_gets_it_when_back(app_ctx, smtp_server):
    smtp_server.stop()
    message_id = enqueue()
    now = clock.now()
    deliver_due(now=now)
    deliver_due(now=now + timedelta(minutes=2))
    message = row(message_id)
    assert (message.status, message.attempts) == ("pending", 2)
    assert message.last_error == "smtp: connection refused"

    smtp_server.start()
    assert deliver_due(now=now + timedelta(minutes=5)).sent == 1
    assert row(message_id).status == "sent"
    assert len(smtp_server.messages) == 1


def test_backoff_doubles_from_a_minute_and_stops_at_an_hour():
    rng = random.Random(4)
    for attempts, minutes in [(1, 1), (2, 2), (3, 4), (4, 8), (5, 16), (6, 32)]:
        wait = outbox.backoff(attempts, rng=rng)
        assert timedelta(minutes=minutes) <= wait <= timedelta(minutes=minutes * 1.2)
    assert outbox.backoff(7, rng=rng) == outbox.backoff(30, rng=rng) == timedelta(hours=1)


def run_until_settled(now, rounds: int = 2 * MAX_ATTEMPTS + 2):
    for _ in range(rounds):
        now += timedelta(hours=2)
        deliver_due(now=now)
    return now


def test_repeated_failure_ends_dead_with_a_visible_error_and_tells_the_team(app_ctx, smtp_server):
    team = factories.team()
    other_team = factories.team()
    worker = factories.staff(team_=team)
    db.session.commit()
    smtp_server.stop()
    message_id = enqueue(to=worker.email)

    run_until_settled(clock.now())

    message = row(message_id)
    assert (message.status, message.attempts) == ("dead", MAX_ATTEMPTS)
    assert message.last_error == f"gave up after {MAX_ATTEMPTS} attempts: smtp: connection refused"
    assert worker.email.partition("@")[0] not in message.last_error
    assert message_id in [m.id for m in outbox.dead_messages()]
    assert message_id in [m.id for m in outbox.dead_messages(team.id)]
    assert message_id not in [m.id for m in outbox.dead_messages(other_team.id)]
    # The team's duty inbox was told, once: a problem report that dies is not reported again.
    [problem] = db.session.scalars(select(OutboxMessage).filter_by(template="delivery_problem")).all()
    assert problem.to_address == team.duty_email
    assert problem.personalisation["reference"] == "S-ABCD2345"
    assert problem.status == "dead"


def test_dead_messages_belong_to_the_team_of_the_child_or_alert_they_are_about(app_ctx, smtp_server):
    team, other_team = factories.team(), factories.team()
    child = factories.child(team_=team)
    submission = Submission(
        child_id=child.id, reference="S-SUBM2345", review_by=clock.now() + timedelta(days=2)
    )
    alert = Alert(child_id=child.id, team_id=team.id, source="button", reference="A-ALRT2345")
    db.session.add_all([submission, alert])
    db.session.commit()
    smtp_server.refuse("550 5.1.1 No such user")
    about_submission = enqueue(to="someone@elsewhere.example", submission_id=submission.id)
    about_alert = enqueue("urgent_alert", to="someone@elsewhere.example", alert_id=alert.id)

    assert deliver_due(limit=2).dead == 2

    assert {m.id for m in outbox.dead_messages(team.id)} == {about_submission, about_alert}
    assert outbox.dead_messages(other_team.id) == []
    problems = db.session.scalars(select(OutboxMessage).filter_by(template="delivery_problem")).all()
    assert sorted(p.personalisation["reference"] for p in problems) == ["S-ABCD2345"] * 2
    assert {(p.to_address, p.status) for p in problems} == {(team.duty_email, "pending")}


def test_a_permanent_refusal_is_dead_at_once(app_ctx, smtp_server):
    smtp_server.refuse("550 5.1.1 No such user")
    message_id = enqueue()
    assert deliver_due().dead == 1
    message = row(message_id)
    assert (message.status, message.attempts) == ("dead", 1)
    assert message.last_error == "refused: smtp 550: recipient refused (@voice.test)"


def test_a_stored_row_that_fails_the_content_checks_is_never_sent(app_ctx, smtp_server):
    message = OutboxMessage(
        channel="smtp",
        to_address="worker@voice.test",
        template="new_submission",
        personalisation={"reference": "Zebediah said hello", "link": LINK},
    )
    db.session.add(message)
    db.session.commit()
    assert deliver_due().dead == 1
    assert smtp_server.messages == []
    assert row(message.id).last_error.startswith("refused: not sent: reference must be")


# ------------------------------------------------------------------------------------- Notify


def test_notify_500_then_429_then_success(app_ctx, fake_notify):
    fake_notify.fail_next(500, 429)
    message_id = enqueue()
    now = clock.now()

    assert deliver_due(now=now).retried == 1
    assert row(message_id).last_error == "notify 500: server error or no answer (Exception)"
    assert deliver_due(now=now + timedelta(hours=1)).retried == 1
    assert row(message_id).last_error == "notify 429: rate limit reached (RateLimitError)"
    assert deliver_due(now=now + timedelta(hours=2)).sent == 1

    message = row(message_id)
    assert (message.status, message.attempts) == ("sent", 3)
    assert len(fake_notify.posts_for(message_id)) == 3
    [created] = fake_notify.notifications[str(message_id)]
    assert message.provider_reference == created["id"]


def test_notify_400_is_dead(app_ctx, fake_notify):
    fake_notify.fail_next(400)
    message_id = enqueue()
    assert deliver_due().dead == 1
    assert row(message_id).last_error == "refused: notify 400: request refused (BadRequestError)"


def test_a_timeout_after_notify_accepted_is_not_sent_twice(app_ctx, fake_notify):
    fake_notify.fail_next("slow")  # Notify creates it but answers after our timeout
    message_id = enqueue()
    now = clock.now()
    assert deliver_due(now=now).retried == 1
    assert deliver_due(now=now + timedelta(hours=1)).sent == 1
    assert len(fake_notify.posts_for(message_id)) == 1
    assert row(message_id).provider_reference == fake_notify.notifications[str(message_id)][0]["id"]


def test_a_timeout_before_notify_accepted_is_sent_on_retry(app_ctx, fake_notify):
    fake_notify.fail_next("timeout")
    message_id = enqueue()
    now = clock.now()
    deliver_due(now=now)
    assert deliver_due(now=now + timedelta(hours=1)).sent == 1
    assert len(fake_notify.posts_for(message_id)) == 2
    assert len(fake_notify.notifications[str(message_id)]) == 1


# -------------------------------------------------------------------------------------- crashes


def leave_sending(message_id: uuid.UUID, minutes_ago: int) -> None:
    """What a worker that died after its claim committed leaves behind."""
    message = row(message_id)
    message.status, message.attempts = "sending", 1
    message.claimed_at = clock.now() - timedelta(minutes=minutes_ago)
    db.session.commit()


def test_crash_after_notify_accepted_is_marked_sent_without_a_second_post(app_ctx, fake_notify, runner):
    message_id = enqueue()
    message = row(message_id)
    envelope = notifications.envelope_for(
        message.id, message.template, message.to_address, message.personalisation
    )
    channels.get("notify").send(envelope, app_ctx.config)  # the call the dead worker made
    leave_sending(message_id, minutes_ago=15)

    result = runner.invoke(args=["deliver", "--once"])

    assert result.exit_code == 0, result.output
    assert row(message_id).status == "sent"
    assert len(fake_notify.posts) == 1
    assert fake_notify.lookups == [str(message_id)]


def test_crash_before_the_provider_call_is_sent_after_restart(app_ctx, fake_notify):
    message_id = enqueue()
    leave_sending(message_id, minutes_ago=15)

    assert requeue_stuck().requeued == 1
    assert row(message_id).status == "pending"
    assert deliver_due().sent == 1
    assert len(fake_notify.posts_for(message_id)) == 1
    assert row(message_id).status == "sent"


def test_a_recent_claim_is_left_to_its_worker(app_ctx, fake_notify):
    message_id = enqueue()
    leave_sending(message_id, minutes_ago=1)
    assert requeue_stuck().requeued == 0
    assert row(message_id).status == "sending"
    assert fake_notify.lookups == []


def test_a_stuck_smtp_row_is_requeued_and_the_possible_duplicate_logged(app_ctx, smtp_server, caplog):
    message_id = enqueue()
    leave_sending(message_id, minutes_ago=15)
    with caplog.at_level(logging.WARNING, logger="voice.routing.outbox"):
        assert requeue_stuck().requeued == 1
    assert "may send it twice" in caplog.text
    assert deliver_due().sent == 1


def test_a_row_that_keeps_crashing_the_worker_ends_dead(app_ctx, smtp_server):
    message_id = enqueue()
    leave_sending(message_id, minutes_ago=15)
    message = row(message_id)
    message.attempts = MAX_ATTEMPTS
    db.session.commit()
    assert requeue_stuck().dead == 1
    message = row(message_id)
    assert message.status == "dead"
    assert message.last_error == f"worker stopped mid-send {MAX_ATTEMPTS} times"
    assert smtp_server.messages == []


# ------------------------------------------------------------------------------------ failover


def test_urgent_messages_switch_to_notify_when_smtp_keeps_failing(
    app_ctx, smtp_server, fake_notify, monkeypatch
):
    monkeypatch.setitem(app_ctx.config, "VOICE_NOTIFY_CHANNEL", "smtp")
    smtp_server.stop()
    urgent = enqueue("urgent_alert", to="duty@voice.test")
    ordinary = enqueue()
    now = clock.now()
    for _ in range(URGENT_FAILOVER_AFTER):
        now += timedelta(hours=1)
        deliver_due(now=now)

    message = row(urgent)
    assert (message.status, message.channel, message.attempts) == (
        "sent",
        "notify",
        URGENT_FAILOVER_AFTER + 1,
    )
    assert "switching to notify" in message.last_error
    assert len(fake_notify.posts_for(urgent)) == 1
    ordinary_message = row(ordinary)
    assert (ordinary_message.status, ordinary_message.channel) == ("pending", "smtp")
    assert fake_notify.posts_for(ordinary) == []


# --------------------------------------------------------------------------------- concurrency


def test_two_workers_never_send_the_same_row(app, app_ctx, smtp_server):
    ids = {enqueue(to=f"worker{n}@voice.test") for n in range(40)}
    db.session.remove()
    start = threading.Barrier(2)
    reports: list[outbox.DeliveryReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context():
                start.wait()
                reports.append(deliver_due())
                db.session.remove()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert errors == []
    message_ids = [m.message["Message-ID"] for m in smtp_server.messages]
    assert len(message_ids) == len(set(message_ids)) == 40
    assert sum(r.sent for r in reports) == 40
    assert {m.id for m in db.session.scalars(select(OutboxMessage).filter_by(status="sent"))} == ids


# ---------------------------------------------------------------------------------------- CLI


def test_deliver_once_with_nothing_due_says_so(runner):
    result = runner.invoke(args=["deliver", "--once"])
    assert result.exit_code == 0
    assert result.output.strip() == "outbox: 0 sent, 0 to retry, 0 dead, 0 stuck requeued"


def _worker_env(app, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOICE_")}
    env.update(
        VOICE_ENV="test",
        VOICE_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        VOICE_INSTANCE_DIR=app.config["VOICE_INSTANCE_DIR"],
        VOICE_BASE_URL=app.config["VOICE_BASE_URL"],
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


@contextmanager
def _flask(*args: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``flask --app voice …`` with its output in a file (a full pipe could stall it)."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "voice", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.kill()
            process.wait(10)


def _wait_for(
    condition: Callable[[], bool], worker: subprocess.Popen[bytes], log: Path, what: str, timeout: float = 30
) -> None:
    """Poll for ``condition``; fail at once, with the worker's output, if the worker exits."""
    deadline = time.monotonic() + timeout
    while not condition():
        if worker.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen; worker output:\n{log.read_text()}")
        time.sleep(0.05)


@pytest.mark.slow
def test_the_worker_delivers_and_stops_cleanly_on_sigterm(app, app_ctx, tmp_path):
    log = tmp_path / "worker.log"
    with SmtpSink() as sink:
        message_id = enqueue()
        env = _worker_env(app, VOICE_SMTP_HOST=sink.host, VOICE_SMTP_PORT=str(sink.port))
        with _flask("deliver", "--interval", "0.1", env=env, log=log) as worker:
            _wait_for(lambda: "1 sent" in log.read_text(), worker, log, "delivery")
            worker.send_signal(signal.SIGTERM)
            returncode = worker.wait(10)
    output = log.read_text()
    assert returncode == 0, output
    assert "outbox worker: delivering every 0.1s" in output
    assert output.rstrip().endswith("outbox worker: stopped")
    assert row(message_id).status == "sent"
    assert len(sink.messages) == 1


@pytest.mark.slow
def test_a_worker_killed_mid_send_does_not_send_twice(app, app_ctx, fake_notify, tmp_path):
    """THREATS 44(b): SIGKILL after Notify accepted the message, before it was marked sent."""
    log = tmp_path / "worker.log"
    message_id = enqueue()
    fake_notify.hold = threading.Event()  # Notify records the message, then keeps us waiting
    env = _worker_env(
        app,
        VOICE_NOTIFY_CHANNEL="notify",
        VOICE_NOTIFY_API_KEY=app_ctx.config["VOICE_NOTIFY_API_KEY"],
        VOICE_NOTIFY_TEMPLATE_ID=app_ctx.config["VOICE_NOTIFY_TEMPLATE_ID"],
        VOICE_NOTIFY_BASE_URL=fake_notify.url,
    )
    try:
        with _flask("deliver", "--once", env=env, log=log) as worker:
            _wait_for(fake_notify.received_post.is_set, worker, log, "the call to Notify")
            worker.send_signal(signal.SIGKILL)
            assert worker.wait(10) == -signal.SIGKILL
    finally:
        fake_notify.hold.set()
    assert row(message_id).status == "sending"

    later = clock.now() + timedelta(minutes=15)
    assert requeue_stuck(now=later).confirmed_sent == 1
    assert deliver_due(now=later).handled == 0
    assert row(message_id).status == "sent"
    assert len(fake_notify.posts_for(message_id)) == 1

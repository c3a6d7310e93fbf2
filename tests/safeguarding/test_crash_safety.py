"""No alert is lost when the process fails at any step (SECURITY "store first", THREATS 44).

The steps, in order: store (submission, answers, routing record), alert, outbox rows, send
(the provider call), mark sent. The first three share one transaction, so a failure anywhere
in them leaves nothing behind and the child's draft ready to send again; after the commit the
outbox carries the message through a mail outage or a worker killed mid-send.

Two kinds of failure are used. An ``OperationalError`` from the database (a refused INSERT or
COMMIT) or a bug's ``RuntimeError`` is an exception the request sees. ``Crash``, a
``BaseException``, stands for the process dying: nothing in the code may catch it, just as
nothing runs after SIGKILL. A real SIGKILL is at the end.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests import factories
from tests.helpers.child import finish_chat, review_link, sign_in_directly, start_chat
from tests.helpers.pages import PageFetcher
from tests.routing.conftest import (  # noqa: F401 - fixtures: a fake GOV.UK Notify
    _notify_server_process,
    fake_notify,
    notify_server,
)
from tests.routing.smtp_sink import ReceivedMail, SmtpSink
from voice.chat import conversations, engine, sending
from voice.extensions import db
from voice.models import (
    Alert,
    AlertEvent,
    Child,
    Conversation,
    OutboxMessage,
    RoutingRecord,
    Submission,
    SubmissionAnswer,
)
from voice.routing import channels, events, notifications, outbox
from voice.safeguarding import escalation, reconcile
from voice.safeguarding.child_alerts import child_feels_unsafe

ROOT = Path(__file__).resolve().parents[2]
DISCLOSURE = "my carer hits me when im bad"
WORKDAY = datetime(2026, 11, 18, 11, 0, tzinfo=UTC)  # a Wednesday, in working hours
TEAM = {"sw@voice.test", "tm@voice.test", "duty-c@voice.test"}  # who a working-hours alert tells


class Crash(BaseException):
    """The process dies here. A BaseException, so no ``except Exception`` can swallow it."""


def db_error(what: str = "disk I/O error") -> OperationalError:
    return OperationalError("statement", {}, Exception(what))


@pytest.fixture
def child_ref(app: Flask) -> str:
    with app.app_context():
        team = factories.team("Team C", duty_email="duty-c@voice.test")
        worker = factories.staff(team_=team, email="sw@voice.test", name="Sol Worker")
        team.manager = factories.staff("team_manager", team_=team, email="tm@voice.test", name="Max Manager")
        factories.child(worker=worker, ref="K-C1", first_name="Rue")
        db.session.commit()
    return "K-C1"


def draft(app: Flask, child_ref: str, text: str = DISCLOSURE) -> uuid.UUID:
    """A finished, unsent draft: every question answered, ``text`` in the text boxes."""
    with app.test_request_context():
        conv = conversations.start(Child.by_ref(child_ref), "pre-review", language="en")
        flow = conversations.flow_of(conv)
        state = conv.state
        while (node := engine.current_node(flow, state)) is not None and node.is_question:
            answer = [text] if node.answer == "text" else [node.options[0].id]
            state = engine.submit_answer(flow, state, node.id, answer).state
        conv.state = state
        db.session.commit()
        return conv.id


def send(app: Flask, conversation_id: uuid.UUID) -> uuid.UUID:
    """Press send, in a request of its own: when the request ends, its session goes, as in the
    app (an exception rolls back whatever was not committed)."""
    with app.test_request_context():
        return sending.send(db.session.get(Conversation, conversation_id)).id


def tables(app: Flask) -> dict[str, int]:
    with app.app_context():
        counted = (Submission, SubmissionAnswer, RoutingRecord, Alert, AlertEvent, OutboxMessage)
        return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) or 0 for m in counted}


def rows(app: Flask, **where: Any) -> list[OutboxMessage]:
    with app.app_context():
        found = list(db.session.scalars(select(OutboxMessage).filter_by(**where)))
        db.session.expunge_all()
        return found


# ------------------------------------------------------------------------ failure injection


@contextmanager
def insert_fails(model: type, *, on: int = 1) -> Iterator[None]:
    """The database refuses the ``on``-th INSERT of ``model``, after the earlier rows of the same
    flush were written: the transaction holds partial work when it fails."""
    seen = 0

    def refuse(mapper: Any, connection: Any, target: Any) -> None:
        nonlocal seen
        seen += 1
        if seen == on:
            raise db_error()

    event.listen(model, "after_insert", refuse)
    try:
        yield
    finally:
        event.remove(model, "after_insert", refuse)


@contextmanager
def commit_fails() -> Iterator[None]:
    """The COMMIT itself fails (the database went away at the last moment)."""

    def refuse(session: Session) -> None:
        raise db_error("server closed the connection unexpectedly")

    event.listen(Session, "before_commit", refuse)
    try:
        yield
    finally:
        event.remove(Session, "before_commit", refuse)


@contextmanager
def enqueue_fails(monkeypatch: pytest.MonkeyPatch, *, on: int) -> Iterator[None]:
    """The ``on``-th notification cannot be queued (a bug, or an address failing its checks)."""
    real = notifications.enqueue
    seen = 0

    def enqueue(*args: Any, **kwargs: Any) -> OutboxMessage:
        nonlocal seen
        seen += 1
        if seen == on:
            raise RuntimeError("cannot queue")
        return real(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(notifications, "enqueue", enqueue)
        yield


@contextmanager
def routing_fails(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Working out the recipient blows up, just after the submission row was flushed."""

    def broken(child: Child, flow_id: str) -> None:
        raise RuntimeError("routing bug")

    with monkeypatch.context() as patch:
        patch.setattr(sending, "recipient_for_flow", broken)
        yield


# Each fault, named by the step it breaks. A submission with a concern writes, in order: the
# submission and its answers, the routing record, a new_submission message, the alert and its
# events, then three urgent messages (worker, manager, duty).
SEND_FAULTS: dict[str, Callable[[pytest.MonkeyPatch], Any]] = {
    "store: the submission INSERT": lambda mp: insert_fails(Submission),
    "store: an answer INSERT": lambda mp: insert_fails(SubmissionAnswer, on=2),
    "store: routing, just after the flush": routing_fails,
    "store: the routing record INSERT": lambda mp: insert_fails(RoutingRecord),
    "alert: the alert INSERT": lambda mp: insert_fails(Alert),
    "alert: an alert event INSERT": lambda mp: insert_fails(AlertEvent, on=2),
    "outbox: queueing the second urgent message": lambda mp: enqueue_fails(mp, on=3),
    "outbox: the third urgent message INSERT": lambda mp: insert_fails(OutboxMessage, on=4),
    "commit: the COMMIT": lambda mp: commit_fails(),
}


# ------------------------------------------------------------------ store, alert, outbox: send


@pytest.mark.parametrize("fault", list(SEND_FAULTS))
def test_a_failure_before_the_commit_leaves_nothing_and_the_draft_sends_once_on_retry(
    app: Flask, child_ref: str, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    with time_machine.travel(WORKDAY, tick=False):
        conversation_id = draft(app, child_ref)
        with app.app_context():
            state_before = db.session.get(Conversation, conversation_id).state
        with SEND_FAULTS[fault](monkeypatch), pytest.raises((OperationalError, RuntimeError)):
            send(app, conversation_id)

        assert set(tables(app).values()) == {0}, "partial rows after a failed send"
        with app.app_context():
            conv = db.session.get(Conversation, conversation_id)
            assert conv.status == "open" and conv.state == state_before  # the draft, intact
            assert DISCLOSURE in str(conv.state)

        first = send(app, conversation_id)
        assert send(app, conversation_id) == first  # and a third press changes nothing
    after = tables(app)
    assert after["submissions"] == after["routing_records"] == after["alerts"] == 1
    assert after["outbox_messages"] == 4
    assert sorted(m.to_address for m in rows(app, urgent=True)) == sorted(TEAM)
    with app.app_context():
        assert reconcile.problems(now=WORKDAY) == []


BUTTON_FAULTS: dict[str, Callable[[pytest.MonkeyPatch], Any]] = {
    "alert: the alert INSERT": lambda mp: insert_fails(Alert),
    "alert: an alert event INSERT": lambda mp: insert_fails(AlertEvent, on=2),
    "outbox: queueing the second urgent message": lambda mp: enqueue_fails(mp, on=2),
    "outbox: the third urgent message INSERT": lambda mp: insert_fails(OutboxMessage, on=3),
    "commit: the COMMIT": lambda mp: commit_fails(),
}


@pytest.mark.parametrize("fault", list(BUTTON_FAULTS))
def test_a_failed_i_dont_feel_safe_leaves_no_half_alert_and_the_next_tap_alerts(
    app: Flask, child_ref: str, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    with time_machine.travel(WORKDAY, tick=False):
        failing = pytest.raises((OperationalError, RuntimeError))
        with BUTTON_FAULTS[fault](monkeypatch), failing, app.test_request_context():
            child_feels_unsafe(Child.by_ref(child_ref))
        assert set(tables(app).values()) == {0}
        with app.test_request_context():
            child_feels_unsafe(Child.by_ref(child_ref))
    assert tables(app)["alerts"] == 1
    assert sorted(m.to_address for m in rows(app, urgent=True)) == sorted(TEAM)


def test_through_the_pages_a_failed_send_keeps_the_draft_and_pressing_send_again_works(
    app: Flask, client: Any, child_ref: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the child sees: a plain error page with the way to help, then the same draft."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    sign_in_directly(app, client, child_ref)
    page = PageFetcher(client)
    with time_machine.travel(WORKDAY, tick=False):
        chat = finish_chat(page, start_chat(page, page.get("/chat")), text=DISCLOSURE)
        review = page.get(review_link(chat))
        with insert_fails(OutboxMessage, on=2):  # the database fails as the alert is stored
            failed = page.submit(
                review, selector="main form[method=post]", button=("action", "send"), status=503
            )
        assert "Anything you already saved is safe" in failed.text
        assert failed.soup.find("a", string="Get help now") is not None
        assert "hits" not in failed.text
        assert set(tables(app).values()) == {0}

        again = page.get(review.url)
        assert DISCLOSURE in again.text  # the draft is still there to send
        sent = page.submit(again, selector="main form[method=post]", button=("action", "send"))
    assert "999" in sent.text and "0800 1111" in sent.text
    assert tables(app)["submissions"] == tables(app)["alerts"] == 1


# --------------------------------------------------------------------- escalation, mid-way


def test_a_failure_escalating_one_alert_holds_back_no_other_and_is_retried(
    app: Flask, child_ref: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with time_machine.travel(WORKDAY, tick=False):
        first, second = (send(app, draft(app, child_ref)) for _ in range(2))
    with app.app_context():
        broken = db.session.scalar(select(Alert.id).where(Alert.submission_id == first))
    real = events.alert_raised

    def alert_raised(alert: Alert, addresses: list[str]) -> None:
        if alert.id == broken:
            raise RuntimeError("cannot queue")
        real(alert, addresses)

    later = WORKDAY + timedelta(minutes=61)
    with time_machine.travel(later, tick=False), app.app_context():
        with monkeypatch.context() as patch:
            patch.setattr(events, "alert_raised", alert_raised)
            assert escalation.escalate_due() == 1
        levels = dict(db.session.execute(select(Alert.submission_id, Alert.escalation_level)).all())
        assert levels == {first: 0, second: 1}
        assert f"alert {broken}: escalation failed" in caplog.text
        assert len(rows(app, alert_id=broken)) == 3  # no half-written escalation
        assert any("overdue" in p for p in reconcile.problems(now=later + timedelta(minutes=10)))
        assert escalation.escalate_due() == 1
        assert escalation.escalate_due() == 0
        levels = dict(db.session.execute(select(Alert.submission_id, Alert.escalation_level)).all())
        assert levels == {first: 1, second: 1}
        assert Counter(m.to_address for m in rows(app, alert_id=broken)) == Counter(
            {"sw@voice.test": 1, "tm@voice.test": 2, "duty-c@voice.test": 2}
        )


def test_the_process_dying_mid_escalation_loses_nothing_and_doubles_nothing(
    app: Flask, child_ref: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with time_machine.travel(WORKDAY, tick=False):
        for _ in range(2):
            send(app, draft(app, child_ref))
    real = escalation._STEPS[0]
    calls = 0

    def dies_on_the_second(alert: Alert) -> list[str]:
        nonlocal calls
        calls += 1
        addresses = real(alert)
        if calls == 2:
            escalation.tell(alert, addresses)  # rows queued in the session...
            raise Crash  # ...and the process dies before the commit
        return addresses

    later = WORKDAY + timedelta(minutes=61)
    with time_machine.travel(later, tick=False):
        with monkeypatch.context() as patch, pytest.raises(Crash), app.app_context():
            patch.setitem(escalation._STEPS, 0, dies_on_the_second)
            escalation.escalate_due()
        with app.app_context():
            assert sorted(db.session.scalars(select(Alert.escalation_level))) == [0, 1]
            assert len(rows(app, urgent=True)) == 6 + 2  # one alert's T1 messages, not both
            assert escalation.escalate_due() == 1  # the restarted worker finishes the job
            assert sorted(db.session.scalars(select(Alert.escalation_level))) == [1, 1]
            assert len(rows(app, urgent=True)) == 6 + 4
            assert escalation.escalate_due() == 0


# ---------------------------------------------------------------------------- send: outage


def test_mail_down_during_a_disclosure_keeps_every_urgent_message_until_it_is_back(
    app: Flask, child_ref: str, smtp_server: SmtpSink, runner: Any
) -> None:
    with time_machine.travel(WORKDAY, tick=False):
        send(app, draft(app, child_ref))
    smtp_server.stop()
    for minutes in (0, 2, 5, 9, 17):
        with time_machine.travel(WORKDAY + timedelta(minutes=minutes), tick=False):
            assert runner.invoke(args=["deliver", "--once"]).exit_code == 0
    urgent = rows(app, urgent=True)
    assert len(urgent) == 3 and {m.status for m in urgent} == {"pending"}
    assert all(m.attempts >= 2 and "connection refused" in (m.last_error or "") for m in urgent)
    with time_machine.travel(WORKDAY + timedelta(minutes=17), tick=False):
        outage = runner.invoke(args=["safeguarding", "reconcile"])
    assert outage.exit_code == 1 and outage.output.count("urgent message") == 3

    smtp_server.start()
    back = WORKDAY + timedelta(minutes=40)  # past every backoff so far, before T1
    with time_machine.travel(back, tick=False):
        assert runner.invoke(args=["deliver", "--once"]).exit_code == 0
        assert runner.invoke(args=["safeguarding", "reconcile"]).exit_code == 0
    assert {m.status for m in rows(app)} == {"sent"}
    received = Counter(m.message["To"] for m in smtp_server.messages)
    assert received == Counter({"sw@voice.test": 2, "tm@voice.test": 1, "duty-c@voice.test": 1})


# ------------------------------------------------------ send and mark sent: a dying worker


def _crash_in(monkeypatch: pytest.MonkeyPatch, target: Any, name: str, *, before: bool) -> None:
    """Kill the worker once, around ``target.name``: just before it is called, or just after
    it returned (the provider has the message; the row does not say so)."""
    real = getattr(target, name)
    fired = False

    def dying(*args: Any, **kwargs: Any) -> Any:
        nonlocal fired
        if fired:
            return real(*args, **kwargs)
        fired = True
        if before:
            raise Crash
        real(*args, **kwargs)
        raise Crash

    monkeypatch.setattr(target, name, dying)


@pytest.mark.parametrize("when", ["after the claim, before the provider call", "after the provider call"])
def test_a_worker_dying_mid_send_over_smtp_delivers_every_alert_message_with_at_most_one_duplicate(
    app: Flask,
    child_ref: str,
    smtp_server: SmtpSink,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    when: str,
) -> None:
    """THREATS 44 (a) and (b) with SMTP, which cannot be asked what it already has."""
    with time_machine.travel(WORKDAY, tick=False):
        send(app, draft(app, child_ref))
    before = when.startswith("after the claim")
    with monkeypatch.context() as patch:
        _crash_in(patch, channels.SmtpChannel, "send", before=before)
        with time_machine.travel(WORKDAY, tick=False), app.app_context(), pytest.raises(Crash):
            outbox.deliver_due()
    stuck = rows(app, status="sending")
    assert len(stuck) == 1 and stuck[0].urgent  # urgent first; claimed, committed, never finished
    assert len(smtp_server.messages) == (0 if before else 1)

    with time_machine.travel(WORKDAY + timedelta(minutes=2), tick=False), app.app_context():
        outbox.drain()  # a restarted worker: the fresh claim is left alone for now
        assert rows(app, status="sending")[0].id == stuck[0].id
        assert reconcile.problems() == []
    with time_machine.travel(WORKDAY + timedelta(minutes=12), tick=False), app.app_context():
        report = outbox.drain()  # the sweeper finds it
        assert report.requeued == 1 and report.sent == 1
        assert reconcile.problems() == []

    assert {m.status for m in rows(app)} == {"sent"}
    copies = Counter(m.message["Message-ID"] for m in smtp_server.messages)
    mail_from = app.config["VOICE_MAIL_FROM"]
    assert set(copies) == {channels.message_id(m.id, mail_from) for m in rows(app)}
    again = copies[channels.message_id(stuck[0].id, mail_from)]
    assert again == (1 if before else 2)  # the duplicate: one, with the same Message-ID
    assert sum(copies.values()) == 4 + (again - 1)
    assert "may send it twice" in caplog.text


@pytest.mark.parametrize("when", ["after the claim, before the provider call", "after the provider call"])
def test_a_worker_dying_mid_send_over_notify_asks_notify_and_never_sends_twice(
    app: Flask,
    child_ref: str,
    fake_notify: Any,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
    when: str,
) -> None:
    """THREATS 44 with Notify: the outbox id is the reference, so the sweeper asks first."""
    with time_machine.travel(WORKDAY, tick=False):
        send(app, draft(app, child_ref))
    before = when.startswith("after the claim")
    with monkeypatch.context() as patch:
        _crash_in(patch, channels.NotifyChannel, "send", before=before)
        with time_machine.travel(WORKDAY, tick=False), app.app_context(), pytest.raises(Crash):
            outbox.deliver_due()
    (stuck,) = rows(app, status="sending")
    with time_machine.travel(WORKDAY + timedelta(minutes=12), tick=False), app.app_context():
        report = outbox.drain()
        assert (report.requeued, report.sent) == ((1, 4) if before else (0, 3))
        assert reconcile.problems() == []
    assert {m.status for m in rows(app)} == {"sent"}
    assert all(len(fake_notify.posts_for(m.id)) == 1 for m in rows(app))
    assert str(stuck.id) in fake_notify.lookups


# ----------------------------------------------------------------- a real SIGKILL, for real


class HoldingSink(SmtpSink):
    """An SMTP sink that takes the first message in, then does not answer until released: the
    worker is inside the provider call, and the message is already delivered."""

    def __init__(self) -> None:
        super().__init__()
        self.release = False

    def start(self) -> HoldingSink:
        if self._controller is None:
            self._controller = Controller(_Holding(self), hostname=self.host, port=self.port)
            self._controller.start()
        return self


class _Holding:
    def __init__(self, sink: HoldingSink) -> None:
        self.sink = sink

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = bytes(envelope.original_content or envelope.content)
        with self.sink.lock:
            self.sink.received.append(ReceivedMail(envelope.mail_from, tuple(envelope.rcpt_tos), raw))
        while len(self.sink.messages) == 1 and not self.sink.release:
            await asyncio.sleep(0.02)
        return "250 Message accepted for delivery"


def _worker_env(app: Flask, sink: SmtpSink) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOICE_")}
    env.update(
        VOICE_ENV="test",
        VOICE_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        VOICE_INSTANCE_DIR=app.config["VOICE_INSTANCE_DIR"],
        VOICE_BASE_URL=app.config["VOICE_BASE_URL"],
        VOICE_NOTIFY_CHANNEL="smtp",
        VOICE_SMTP_HOST=sink.host,
        VOICE_SMTP_PORT=str(sink.port),
        PYTHONUNBUFFERED="1",
    )
    return env


def _flask(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "voice", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


@pytest.mark.slow
def test_sigkill_mid_send_then_deliver_once_sends_every_urgent_message(
    app: Flask, child_ref: str, tmp_path: Path
) -> None:
    """THREATS 44 as a real process: ``flask --app voice deliver`` is killed with SIGKILL while
    the mail server holds the first urgent message; ``deliver --once`` later sends everything."""
    send(app, draft(app, child_ref))  # real time: the subprocess cannot be time-travelled
    log = tmp_path / "worker.log"
    with HoldingSink() as sink:
        env = _worker_env(app, sink)
        worker = _flask(["deliver", "--interval", "0.1"], env, log)
        try:
            deadline = time.monotonic() + 30
            while not sink.messages:
                assert time.monotonic() < deadline, log.read_text()
                assert worker.poll() is None, log.read_text()
                time.sleep(0.02)
            worker.send_signal(signal.SIGKILL)
            assert worker.wait(10) == -signal.SIGKILL
        finally:
            worker.kill()
            worker.wait(10)
            sink.release = True
        (stuck,) = rows(app, status="sending")
        assert stuck.urgent

        with app.app_context():  # the restart comes 15 minutes later, past the sweeper's wait
            claimed = db.session.get(OutboxMessage, stuck.id)
            claimed.claimed_at = claimed.claimed_at - timedelta(minutes=15)
            db.session.commit()
        once = _flask(["deliver", "--once"], env, log)
        assert once.wait(60) == 0, log.read_text()

        assert {m.status for m in rows(app, urgent=True)} == {"sent"}
        assert not rows(app, status="sending") and not rows(app, status="dead")
        copies = Counter(m.message["Message-ID"] for m in sink.messages)
        mail_from = app.config["VOICE_MAIL_FROM"]
        assert set(copies) == {channels.message_id(m.id, mail_from) for m in rows(app)}
        assert copies[channels.message_id(stuck.id, mail_from)] == 2  # bounded: one duplicate
        assert sum(copies.values()) == len(copies) + 1
        assert "may send it twice" in log.read_text()
    with app.app_context():
        assert reconcile.problems() == []

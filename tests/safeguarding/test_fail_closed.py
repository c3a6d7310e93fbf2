"""A detector that breaks or hangs, and a child with no worker (THREATS rows 40 and 41)."""

from __future__ import annotations

import logging
import time

import pytest
import time_machine
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from tests.helpers.submissions import send_for
from tests.safeguarding.test_alerts import DISCLOSURE, WORKDAY, team  # noqa: F401 - the fixture
from voice.extensions import db
from voice.models import Alert, Child, RoutingRecord, Submission
from voice.safeguarding import screening


def _errors(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR and r.name == "voice.safeguarding.screening"
    ]


def test_a_detector_that_raises_saves_flags_and_logs_an_ops_error(app, team, monkeypatch, caplog):  # noqa: F811
    class Broken:
        def check(self, text):
            raise RuntimeError("detector down")

    monkeypatch.setitem(app.extensions["voice_content"], "safeguarding", Broken())
    with time_machine.travel(WORKDAY, tick=False), caplog.at_level(logging.ERROR):
        sid = send_for(app, team, text="just a normal day")
    with app.app_context():
        assert db.session.get(Submission, sid).concern
        assert "detector-error" in db.session.scalar(select(Alert)).categories
    assert _errors(caplog) == ["ops: safeguarding detector failed; treating the text as a concern"]


def test_a_detector_that_hangs_past_its_budget_fails_closed(app, team, monkeypatch, caplog):  # noqa: F811
    real = app.extensions["voice_content"]["safeguarding"]

    class Slow:
        def check(self, words):
            time.sleep(0.3)
            return real.check(words)

    monkeypatch.setattr(screening, "TIME_BUDGET_SECONDS", 0.1)
    monkeypatch.setitem(app.extensions["voice_content"], "safeguarding", Slow())
    with caplog.at_level(logging.ERROR):
        sid = send_for(app, team, text="just a normal day")
    with app.app_context():
        assert db.session.get(Submission, sid).concern
        assert "detector-error" in db.session.scalar(select(Alert)).categories
    assert len(_errors(caplog)) == 1


def test_a_flagged_item_from_a_child_with_no_worker_goes_to_the_duty_queue(app, team):  # noqa: F811
    with app.app_context():
        child = Child.by_ref(team)
        child.social_worker_id = None  # mid-transfer: no worker, and the manager is away too
        child.team.manager.away = True
        team_id = child.team_id
        db.session.commit()
    with time_machine.travel(WORKDAY, tick=False):
        sid = send_for(app, team, text=DISCLOSURE)
    with app.app_context():
        record = db.session.scalar(select(RoutingRecord).where(RoutingRecord.submission_id == sid))
        assert record.routed_to == f"duty:{team_id}"
        assert db.session.get(Submission, sid).concern


@pytest.mark.parametrize("value", [None, ""])
def test_the_database_refuses_a_routing_record_that_names_nobody(app, team, value):  # noqa: F811
    sid = send_for(app, team)
    with app.app_context():
        good = db.session.scalar(select(RoutingRecord).where(RoutingRecord.submission_id == sid))
        columns = {
            "submission_id": good.submission_id.hex
            if db.engine.dialect.name == "sqlite"
            else good.submission_id,
            "routed_to": value,
            "team": good.recipient_team_id,
        }
        db.session.rollback()
        with pytest.raises(IntegrityError):
            db.session.execute(
                text(
                    "INSERT INTO routing_records (submission_id, routed_to, recipient_kind,"
                    " recipient_team_id, reason, current, routed_at)"
                    " VALUES (:submission_id, :routed_to, 'duty', :team, 'test', false, CURRENT_TIMESTAMP)"
                ),
                columns,
            )
            db.session.flush()
        db.session.rollback()


def test_a_child_cannot_clear_a_flag_or_move_a_disclosure_with_extra_fields(app, client, team):  # noqa: F811
    """THREATS row 18: extra fields on every post of the journey change nothing a child owns."""
    import uuid

    from tests.helpers.child import finish_chat, review_link, sign_in_directly, start_chat
    from tests.helpers.pages import PageFetcher

    extra = {
        "child_id": str(uuid.uuid4()),
        "allocated_worker_id": "1",
        "social_worker_id": "1",
        "status": "read",
        "flagged": "false",
        "concern": "0",
        "read_soon": "0",
        "recipient": "duty:999",
    }
    sign_in_directly(app, client, team)
    page = PageFetcher(client)
    with time_machine.travel(WORKDAY, tick=False):
        chat = start_chat(page, page.get("/chat"))
        for _ in range(80):
            if chat.soup.select_one("form.answer-form") is None:
                break
            form = chat.form("form.answer-form")
            buttons = form.select("button[name=answer]")
            boxes = form.select("input[type=checkbox][name=answer]")
            if buttons:
                pressed = ("answer", buttons[0]["value"])
                chat = page.submit(chat, extra, selector="form.answer-form", button=pressed)
            else:
                answer = boxes[0]["value"] if boxes else DISCLOSURE
                chat = page.submit(chat, {**extra, "answer": answer}, selector="form.answer-form")
        review = page.get(review_link(finish_chat(page, chat)))
        page.submit(review, extra, selector="main form[method=post]", button=("action", "send"))
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        child = Child.by_ref(team)
        assert submission.child_id == child.id and submission.concern is True
        assert submission.status == "sent"
        assert db.session.scalar(select(Alert)).child_id == child.id
        record = db.session.scalar(select(RoutingRecord).where(RoutingRecord.current.is_(True)))
        assert record.routed_to == f"staff:{child.social_worker_id}"

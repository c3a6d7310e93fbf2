"""Subject access export (voice/privacy.py): all of one child's data, nothing of another's."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest

from tests import factories
from tests.helpers.submissions import send_for
from voice import privacy
from voice.extensions import db
from voice.inbox import reading
from voice.models import AuditEvent, Child, StaffMember, Submission

A_WORDS = "I want to stay at Hillside school until year 11"
A_DRAFT = "draft I never sent about my dog Pickle"
B_WORDS = "Zebedee's own private words about contact"


@pytest.fixture
def two_children(app):
    with app.app_context():
        team = factories.team()
        worker = factories.staff(team_=team)
        factories.child(worker=worker, first_name="Ava", ref="A-0001")
        factories.child(worker=worker, first_name="Zebedee", ref="B-0002")
        db.session.commit()
        worker_id = worker.id
    send_for(app, "A-0001", text=A_WORDS)
    send_for(app, "B-0002", text=B_WORDS)
    with app.test_request_context():
        from voice.chat import conversations

        a = Child.by_ref("A-0001")
        draft = conversations.start(a, "pre-review", language="en")
        draft.state = {**draft.state, "answers": {"first": {"value": [A_DRAFT], "skipped": False}}}
        db.session.commit()
        worker = db.session.get(StaffMember, worker_id)
        submission = db.session.query(Submission).filter_by(child_id=a.id).one()
        reading.reply(worker, submission, "Thanks Ava. I will talk to Zebedee's carer about the visits too.")
        reading.reply(worker, submission, "We agreed you can stay at Hillside.")
    return "A-0001", "B-0002"


def test_the_bundle_holds_everything_about_the_child_and_nothing_about_another(app, two_children):
    a_ref, b_ref = two_children
    with app.app_context():
        text = privacy.export(a_ref, received=date(2026, 1, 31))
    found = json.loads(text)
    assert found["child"]["ref"] == a_ref and found["child"]["first_name"] == "Ava"
    assert found["request"] == {"received": "2026-01-31", "answer_by": "2026-02-28"}
    assert A_WORDS in text  # the sent answer
    assert A_DRAFT in text  # and the draft that was never sent
    assert any(r["text"].startswith("We agreed") for s in found["submissions"] for r in s["replies"])
    assert found["submissions"][0]["routed_to"] and found["notifications"]
    assert {e["action"] for e in found["access_log"]} >= {"submission.reply"}
    assert len(found["conversations"]) == 2

    # Nothing of the other child: not their words, not their reference...
    assert B_WORDS not in text and b_ref not in text
    # ...except where A's own record names them, flagged for the officer to redact.
    assert found["for_review"] == [{"where": "submissions[0].replies[0].text", "names": "Zebedee"}]
    # Secrets are never exported.
    for secret_field in ("token_hash", "pin_hash", "password_hash", "to_address", "duty_email"):
        assert secret_field not in text


def test_exporting_is_audited(app, two_children):
    with app.app_context():
        privacy.export(two_children[0], received=date(2026, 3, 31))
        events = db.session.query(AuditEvent).filter_by(action="privacy.subject_access_export").all()
        assert [(e.child_ref, e.purpose) for e in events] == [("A-0001", "subject_access")]


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 15), date(2026, 2, 15)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2026, 12, 31), date(2027, 1, 31)),
    ],
)
def test_the_answer_is_due_one_calendar_month_after_the_request(received, due):
    assert privacy.due_by(received) == due


def test_cli_writes_a_file_only_its_owner_can_read(app, two_children, tmp_path):
    out = tmp_path / "sar.json"
    result = app.test_cli_runner().invoke(
        args=["privacy", "export", "A-0001", "--received", "2026-11-20", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "answer by 2026-12-20" in result.output
    assert os.stat(out).st_mode & 0o077 == 0
    assert json.loads(out.read_text())["child"]["ref"] == "A-0001"
    missing = app.test_cli_runner().invoke(
        args=["privacy", "export", "NOPE", "--received", "2026-11-20", "--out", str(tmp_path / "x.json")]
    )
    assert missing.exit_code != 0 and "no child" in missing.output


def test_a_child_with_nothing_yet_still_gets_a_bundle(app):
    with app.app_context():
        child = factories.child(first_name="Noor")
        db.session.commit()
        found = json.loads(privacy.export(child.ref, received=date(2026, 5, 1)))
    assert found["submissions"] == [] and found["conversations"] == [] and found["for_review"] == []

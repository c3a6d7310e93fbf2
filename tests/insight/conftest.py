"""A small world with a scripted history of sends, reads, replies, decisions and alerts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from tests import factories
from tests.helpers.submissions import send_for
from voice.extensions import db
from voice.inbox import reading
from voice.models import Alert, Review, StaffMember, Submission
from voice.reviews import calendar
from voice.safeguarding import escalation

MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)  # a working Monday, 10:00 in London (GMT)
DISCLOSURE = "my carer hits me when im bad"


@pytest.fixture
def world(app):
    """Team A (workers Asha and Ben, manager Cleo) and team B (worker Dev, manager Eve), an IRO,
    a participation officer, and children with equality fields set."""
    with app.app_context():
        team_a, team_b = factories.team("Team A"), factories.team("Team B")
        people = {
            "sw_a1": factories.staff("social_worker", team_=team_a, email="a1@voice.test", name="Asha One"),
            "sw_a2": factories.staff("social_worker", team_=team_a, email="a2@voice.test", name="Ben Two"),
            "tm_a": factories.staff("team_manager", team_=team_a, email="tma@voice.test", name="Cleo Boss"),
            "sw_b": factories.staff("social_worker", team_=team_b, email="b1@voice.test", name="Dev Three"),
            "tm_b": factories.staff("team_manager", team_=team_b, email="tmb@voice.test", name="Eve Boss"),
            "iro": factories.staff("iro", email="iro@voice.test", name="Fin Iro"),
            "po": factories.staff("participation_officer", email="po@voice.test", name="Hal Po"),
        }
        team_a.manager, team_b.manager = people["tm_a"], people["tm_b"]
        kids = {
            "kid_a1": factories.child(
                worker=people["sw_a1"],
                iro=people["iro"],
                ref="K-A1",
                first_name="Pip",
                ethnicity="white_british",
                gender="female",
                disability="no",
            ),
            "kid_a2": factories.child(
                worker=people["sw_a2"],
                iro=people["iro"],
                ref="K-A2",
                first_name="Rory",
                ethnicity="mixed",
                gender="male",
                disability="yes",
            ),
            "kid_b": factories.child(worker=people["sw_b"], ref="K-B1", first_name="Quin"),
        }
        reviews = {
            "kid_a1": Review(child_id=kids["kid_a1"].id, due_on=date(2026, 11, 20), sequence=1),
            "kid_a2": Review(child_id=kids["kid_a2"].id, due_on=date(2026, 11, 18), sequence=1),
        }
        db.session.add_all(reviews.values())
        db.session.commit()
        return {
            "emails": {k: v.email for k, v in people.items()},
            "ids": {k: v.id for k, v in people.items()},
            "refs": {k: v.ref for k, v in kids.items()},
            "team_a": team_a.id,
            "team_b": team_b.id,
            "reviews": {k: v.id for k, v in reviews.items()},
        }


def _staff(world, key) -> StaffMember:
    return db.session.get(StaffMember, world["ids"][key])


def play(app, world) -> dict:
    """The scripted history. Returns the submission ids by name."""
    sids = {}
    with time_machine.travel(MONDAY, tick=False):
        sids["a1_first"] = send_for(app, world["refs"]["kid_a1"], text="I want more time with my brother")
        sids["a2_first"] = send_for(app, world["refs"]["kid_a2"], text="School is fine")
        sids["b_first"] = send_for(app, world["refs"]["kid_b"], text="Nothing to add")
        sids["a1_concern"] = send_for(app, world["refs"]["kid_a1"], text=DISCLOSURE)
    with time_machine.travel(MONDAY + timedelta(hours=2), tick=False), app.test_request_context():
        worker = _staff(world, "sw_a1")
        reading.open_for_reading(worker, db.session.get(Submission, sids["a1_first"]), route="test")
        reading.open_for_reading(worker, db.session.get(Submission, sids["a1_concern"]), route="test")
    with time_machine.travel(MONDAY + timedelta(hours=3), tick=False), app.test_request_context():
        worker = _staff(world, "sw_a1")
        sub = db.session.get(Submission, sids["a1_first"])
        reading.reply(worker, sub, "I will ask about Saturdays.")
        reading.reply(
            worker, sub, "You will see your brother every Saturday.", kind="outcome", topic="family"
        )
    with time_machine.travel(MONDAY + timedelta(days=2), tick=False), app.test_request_context():
        worker = _staff(world, "sw_a2")
        sub = db.session.get(Submission, sids["a2_first"])
        reading.reply(worker, sub, "We will change your bus.", kind="outcome", topic="school")
    with time_machine.travel(MONDAY + timedelta(minutes=70), tick=False), app.test_request_context():
        escalation.escalate_due()
    with time_machine.travel(MONDAY + timedelta(minutes=90), tick=False), app.test_request_context():
        alert = db.session.scalar(select(Alert).where(Alert.submission_id == sids["a1_concern"]))
        escalation.acknowledge(_staff(world, "tm_a"), alert, action="spoke_to_child")
    with time_machine.travel(MONDAY + timedelta(days=3), tick=False), app.test_request_context():
        iro = _staff(world, "iro")
        held_a2 = db.session.get(Review, world["reviews"]["kid_a2"])
        calendar.record_held(held_a2, date(2026, 11, 18), "You will stay where you are.", by=iro)
        held_a1 = db.session.get(Review, world["reviews"]["kid_a1"])
        calendar.record_held(held_a1, date(2026, 11, 16), "You will see your brother.", by=iro)
    return sids

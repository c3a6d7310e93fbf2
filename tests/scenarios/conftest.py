"""Fixtures for the scenarios: a small world, a real SMTP sink, and a quick way to send."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories
from tests.routing.smtp_sink import smtp_server  # noqa: F401 - re-exported fixture
from voice.chat import conversations, engine, sending
from voice.extensions import db
from voice.models import Child


@pytest.fixture
def world(app):
    """One team: a worker, a manager, an IRO; and three people the rules can name."""
    with app.app_context():
        team = factories.team("North", duty_email="duty-north@voice.test")
        manager = factories.staff("team_manager", team_=team, email="manager@voice.test")
        team.manager = manager
        worker = factories.staff(team_=team, email="worker@voice.test")
        iro = factories.staff("iro", team_=team, email="iro@voice.test")
        rhi = factories.staff(team_=team, email="rhi@voice.test", name="Rhi Return")
        teacher = factories.staff(team_=team, email="teacher@voice.test", name="Dee Teacher")
        virtual = factories.staff(team_=team, email="virtual@voice.test", name="Vi School")
        factories.child(team_=team, worker=worker, iro=iro, ref="K-S1", first_name="Pip")
        db.session.commit()
        return {
            "team": team.id,
            "ids": {p.email.split("@")[0]: p.id for p in (manager, worker, iro, rhi, teacher, virtual)},
        }


def set_child(app, ref: str, **values) -> None:
    with app.app_context():
        child = Child.by_ref(ref)
        for key, value in values.items():
            setattr(child, key, value)
        db.session.commit()


def send_scenario(
    app, ref: str, flow_id: str, *, text: str = "I got a star at school", day: date | None = None
):
    """Answer every question of ``flow_id`` (first option, ``text``, ``day``) and send it."""
    with app.test_request_context():
        child = Child.by_ref(ref)
        conv = conversations.start(child, flow_id, language="en")
        flow = conversations.flow_of(conv)
        state = conv.state
        while (node := engine.current_node(flow, state)) is not None and node.is_question:
            if node.answer == "date":
                values = [(day or date.today()).isoformat()]
            elif node.answer == "text":
                values = [text]
            else:
                values = [node.options[0].id]
            state = engine.submit_answer(flow, state, node.id, values).state
        conv.state = state
        db.session.commit()
        return sending.send(conv).id

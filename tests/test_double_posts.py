"""A staff form posted twice (a double click, a retry on a slow line) stores one row (issue 25).

Each form carries a key made when it was shown; the same key again finds the first row. The
reply and decision forms have had this since 0012 (tests/inbox); these are the others.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.helpers.auth import sign_in_staff
from tests.helpers.pages import PageFetcher
from voice import clock
from voice.dates import london
from voice.extensions import db
from voice.models import Alert, AlertAction, AlertEvent, AuditEvent, Invitation, StaffMember
from voice.models.scenarios import MissingEpisode
from voice.safeguarding import escalation


@pytest.fixture
def world(app):
    with app.app_context():
        team = factories.team()
        worker = factories.staff("social_worker", team_=team, email="worker@voice.test")
        other = factories.staff("team_manager", team_=team, email="other@voice.test")
        team.manager = other
        child = factories.child(team_=team, worker=worker, ref="K-D1")
        alert = Alert(child_id=child.id, team_id=team.id, source="button", reference="A-DBLE2345")
        db.session.add(alert)
        db.session.commit()
        return {"child": child.id, "alert": alert.id, "worker": worker.email, "other": other.email}


def _staff(app, email: str) -> PageFetcher:
    page = PageFetcher(app.test_client())
    sign_in_staff(page, email)
    return page


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_an_acknowledgement_posted_twice_is_recorded_once(app, world):
    staff = _staff(app, world["worker"])
    form = staff.get(f"/staff/alerts/{world['alert']}")
    data = {"action": "contacted_carer", "note": "Rang the carer"}
    first = staff.submit(form, data, selector="form[action$='/acknowledge']")
    second = staff.submit(form, data, selector="form[action$='/acknowledge']")
    assert "The alert is closed" in first.text and "The alert is closed" in second.text
    assert "had already marked this" not in second.text
    assert _count(app, AlertAction) == 1
    assert _count(app, AlertEvent, AlertEvent.kind.in_(("acknowledged", "action_recorded"))) == 1
    assert (
        _count(app, AuditEvent, AuditEvent.action.in_(("alert.acknowledged", "alert.action_recorded"))) == 1
    )
    # Someone else posting a form with that key (copied, or forged) still has their own action
    # recorded: a key never answers with another person's row.
    key = form.soup.select_one("form[action$='/acknowledge'] input[name=key]")["value"]
    with app.app_context():
        colleague = StaffMember.by_email(world["other"])
        escalation.acknowledge(
            colleague, db.session.get(Alert, world["alert"]), action="other", key=UUID(key)
        )
    assert _count(app, AlertAction) == 2


def test_an_invite_posted_twice_makes_one_link_and_both_pages_show_it(app, world):
    staff = _staff(app, world["worker"])
    form = staff.get(f"/staff/children/{world['child']}")
    first = staff.submit(form, selector="form[action$='/invite']")
    second = staff.submit(form, selector="form[action$='/invite']")
    link = first.soup.select_one("p.invite-link code").get_text()
    assert second.soup.select_one("p.invite-link code").get_text() == link
    assert _count(app, Invitation) == 1
    assert _count(app, AuditEvent, AuditEvent.action == "invite.created") == 1
    # A fresh page is a fresh form: a new link.
    again = staff.submit(staff.get(f"/staff/children/{world['child']}"), selector="form[action$='/invite']")
    assert again.soup.select_one("p.invite-link code").get_text() != link
    assert _count(app, Invitation) == 2


def test_a_scenario_link_posted_twice_makes_one_link(app, world):
    staff = _staff(app, world["worker"])
    form = staff.get(f"/staff/children/{world['child']}")
    flow = form.soup.select_one("form[action$='/scenario-link'] select option[value]:not([value=''])")[
        "value"
    ]
    first = staff.submit(form, {"flow": flow}, selector="form[action$='/scenario-link']")
    second = staff.submit(form, {"flow": flow}, selector="form[action$='/scenario-link']")
    assert (
        first.soup.select_one("p.invite-link code").get_text()
        == second.soup.select_one("p.invite-link code").get_text()
    )
    assert _count(app, Invitation) == 1


def test_back_from_missing_posted_twice_is_one_episode(app, world):
    staff = _staff(app, world["worker"])
    form = staff.get(f"/staff/children/{world['child']}")
    local = london(clock.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    staff.submit(form, {"returned_at": local}, selector="form[action$='/missing']")
    staff.submit(form, {"returned_at": local}, selector="form[action$='/missing']")
    assert _count(app, MissingEpisode) == 1
    assert _count(app, AuditEvent, AuditEvent.action == "missing.recorded") == 1

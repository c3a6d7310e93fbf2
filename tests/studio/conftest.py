"""Studio fixtures: a participation officer, council members, and signing them in."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers.auth import sign_in_staff
from voice.extensions import db


@pytest.fixture
def people(app):
    """An officer, an admin, a social worker and two council members, committed."""
    with app.app_context():
        team = factories.team()
        found = {
            "officer": factories.staff("participation_officer", name="Nia Officer"),
            "admin": factories.staff("admin", name="Ade Admin"),
            "worker": factories.staff("social_worker", team_=team),
            "member": factories.council_member(),
            "member2": factories.council_member(),
        }
        emails = {key: person.email for key, person in found.items()}
        db.session.commit()
    return emails


@pytest.fixture
def as_member(page, people):
    sign_in_staff(page, people["member"])
    return page


@pytest.fixture
def as_officer(page, people):
    sign_in_staff(page, people["officer"])
    return page

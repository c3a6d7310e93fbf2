"""Fixtures for the rights pages: a signed-in child, made through the real enrolment code."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests import factories
from voice.auth import web
from voice.auth.secrets import new_token, token_hash
from voice.extensions import db
from voice.models import Device
from voice.people import enrolment


@dataclass
class SignedInChild:
    id: object
    ref: str
    worker_email: str


@pytest.fixture
def signed_in_child(app, client) -> SignedInChild:
    """A child with an allocated worker, enrolled on this test client and signed in."""
    with app.app_context():
        worker = factories.staff("social_worker", team_=factories.team())
        child = factories.child(worker=worker)
        device = Device(child_id=child.id, token_hash=token_hash(new_token(32)))
        db.session.add(device)
        db.session.flush()
        token = enrolment.set_pin(device, "4826", pepper=app.config["VOICE_PIN_PEPPER"])
        info = SignedInChild(child.id, child.ref, worker.email)
        with app.test_request_context():
            name = web.cookie_name()
    client.set_cookie(name, token)
    return info

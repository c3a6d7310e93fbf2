"""Fixtures for the child-side tests."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers.child import sign_in_directly
from tests.routing.conftest import (  # noqa: F401 - a fake GOV.UK Notify for reply texts
    _notify_server_process,
    fake_notify,
    fake_notify_texts,
    notify_server,
)
from voice.extensions import db


@pytest.fixture
def kid(app, client) -> str:
    """A child with a worker in a team, signed in on ``client``'s phone; returns their ref."""
    with app.app_context():
        child = factories.child(worker=factories.staff(team_=factories.team()))
        db.session.commit()
        ref = child.ref
    sign_in_directly(app, client, ref)
    return ref

"""Fixtures for the review calendar: the staff a case-system export names, and the fakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import factories
from tests.routing.conftest import (  # noqa: F401 - fixtures re-exported for these tests
    NOTIFY_TEMPLATE_ID,
    _notify_server_process,
    fake_notify,
    notify_server,
)
from voice.extensions import db

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "reviews" / "sample_export.csv"
SMS_TEMPLATE_ID = "00000000-0000-0000-0000-000000000009"
TEAMS = ("North Children in Care", "South Children in Care", "East Children in Care")


@pytest.fixture
def sample_staff(app_ctx):
    """The teams, social workers and IROs that tests/data/reviews/sample_export.csv names."""
    teams = [factories.team(name) for name in TEAMS]
    workers = [
        factories.staff("social_worker", team_=teams[(n - 1) // 4], email=f"sw{n:02d}@council.example")
        for n in range(1, 13)
    ]
    iros = [factories.staff("iro", team_=teams[n - 1], email=f"iro{n}@council.example") for n in range(1, 4)]
    db.session.commit()
    return {"teams": teams, "workers": workers, "iros": iros}


@pytest.fixture
def sms(app, fake_notify, monkeypatch):  # noqa: F811 - the imported fixture
    """Texts go through the fake Notify; staff email stays on SMTP."""
    monkeypatch.setitem(app.config, "VOICE_NOTIFY_SMS_TEMPLATE_ID", SMS_TEMPLATE_ID)
    monkeypatch.setitem(app.config, "VOICE_NOTIFY_CHANNEL", "smtp")
    return fake_notify

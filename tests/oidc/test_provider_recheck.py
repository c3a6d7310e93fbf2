"""An account disabled only at the council's provider loses its Voice session within
VOICE_OIDC_RECHECK_SECONDS (THREATS row 10; voice/auth/oidc.py ``still_enabled``).

Against the real oidc-provider (tests/oidc/provider.mjs), with access tokens that last four
seconds, so the refresh path is used too. Voice's clock is moved with time-machine; the
provider keeps real time."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests
import time_machine
from flask import Flask
from sqlalchemy import select

from tests.oidc.test_staff_oidc import ACCOUNTS, _close, _oidc_app, _sign_in, _staff, running_provider
from voice import clock
from voice.extensions import db
from voice.models import AuditEvent, AuthSession

PEOPLE = {
    **ACCOUNTS,
    "dana": {"email": "dana.worker@voice.test", "name": "Dana", "groups": ["voice-social-workers"]},
}
TOKEN_SECONDS = 4


@pytest.fixture(scope="module")
def short_tokens() -> Iterator[str]:
    with running_provider(
        PEOPLE, OIDC_ACCESS_TOKEN_TTL=str(TOKEN_SECONDS), OIDC_CLOCK_TOLERANCE="1"
    ) as issuer:
        yield issuer


@pytest.fixture
def recheck_app(app, database_url, short_tokens, tmp_path) -> Iterator[Flask]:
    other = _oidc_app(database_url, short_tokens, tmp_path)
    yield other
    _close(other, app)


def _signed_in(app: Flask, login: str, email: str):
    _staff(app, email)
    client, callback = _sign_in(app, login)
    assert client.get(callback).status_code == 302
    assert client.get("/staff/").status_code == 200
    return client


def _session(app: Flask) -> AuthSession:
    with app.app_context():
        row = db.session.scalar(select(AuthSession).where(AuthSession.kind == "staff"))
        db.session.expunge(row)
        return row


def test_an_account_disabled_at_the_provider_is_signed_out_of_voice_within_five_minutes(
    recheck_app, short_tokens
):
    client = _signed_in(recheck_app, "dana", "dana.worker@voice.test")
    assert recheck_app.config["VOICE_OIDC_RECHECK_SECONDS"] == 300
    assert (
        requests.post(f"{short_tokens}/test/disable", params={"account": "dana"}, timeout=5).status_code
        == 204
    )

    start = clock.now()
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        assert client.get("/staff/").status_code == 200  # not asked yet: inside the documented time
    with time_machine.travel(start + timedelta(minutes=5, seconds=1), tick=False):
        out = client.get("/staff/")
        assert out.status_code == 302 and "/staff/sign-in" in out.location
        assert client.get("/staff/").status_code == 302  # and it stays ended
    ended = _session(recheck_app)
    assert ended.end_reason == "provider" and ended.ended_at is not None
    with recheck_app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.provider_ended"))
        assert event is not None and event.purpose == "refused"


def test_an_enabled_account_goes_on_and_its_run_out_token_is_refreshed(recheck_app):
    client = _signed_in(recheck_app, "sam", "sam.worker@voice.test")
    first = json.loads(_session(recheck_app).provider_token)
    assert first["access_token"] and first["refresh_token"]
    time.sleep(TOKEN_SECONDS + 2)  # the access token has run out at the provider
    start = clock.now()
    for minutes in (6, 12, 18):  # three re-checks, each more than five minutes apart
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/staff/").status_code == 200
    row = _session(recheck_app)
    assert row.ended_at is None
    assert json.loads(row.provider_token)["access_token"] != first["access_token"]


def test_a_provider_that_stops_answering_ends_the_session_after_three_intervals(
    app, database_url, tmp_path, caplog
):
    with running_provider(PEOPLE) as issuer:
        other = _oidc_app(database_url, issuer, tmp_path)
        try:
            client = _signed_in(other, "sam", "sam.worker@voice.test")
        except BaseException:
            _close(other, app)
            raise
    try:  # the provider is gone now
        start = clock.now()
        with caplog.at_level(logging.WARNING, logger="voice.security"):
            with time_machine.travel(start + timedelta(minutes=6), tick=False):
                assert client.get("/staff/").status_code == 200
            with time_machine.travel(start + timedelta(minutes=14), tick=False):
                assert client.get("/staff/").status_code == 200
        assert "did not answer a re-check" in caplog.text
        with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
            assert client.get("/staff/").status_code == 302
        assert _session(other).end_reason == "provider"
    finally:
        _close(other, app)


def test_password_sessions_never_ask_a_provider(client, app):
    """Staff who sign in with a password have no provider tokens: nothing to re-check."""
    from tests import factories
    from tests.helpers.auth import sign_in_staff
    from tests.helpers.pages import PageFetcher

    with app.app_context():
        email = factories.staff(team_=factories.team()).email
        db.session.commit()
    sign_in_staff(PageFetcher(client), email)
    with time_machine.travel(clock.now() + timedelta(minutes=20), tick=False):
        assert client.get("/staff/").status_code == 200
    assert _session(app).provider_token is None

"""CSRF over HTTPS with production settings: another site's Origin, ``Origin: null``, and a
missing or malformed Referer are refused, logged, and change nothing (THREATS row 27)."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func, select

from tests.test_every_route import BASE, _client, production  # noqa: F401 - the fixture
from voice.extensions import db
from voice.models import AuthSession

EMAIL = "r-worker@voice.test"


def _sign_in_attempt(client, **headers):
    page = client.get("/staff/sign-in")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    data = {"email": EMAIL, "password": "correct horse battery staple", "csrf_token": token}
    return client.post("/staff/sign-in", data=data, headers=headers)


def _staff_sessions(app) -> int:
    with app.app_context():
        staff = select(func.count()).select_from(AuthSession).where(AuthSession.kind == "staff")
        return db.session.scalar(staff)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": ""},
        {"Referer": "not a url"},
        {"Referer": "https://evil.example/form"},
    ],
    ids=["foreign-origin", "null-origin", "no-referer", "malformed-referer", "foreign-referer"],
)
def test_a_cross_site_post_with_a_good_token_is_refused_and_logged(production, caplog, headers):  # noqa: F811
    app, _world = production
    before = _staff_sessions(app)
    client = _client(app)
    if "Referer" in headers and not headers["Referer"]:
        client.environ_base.pop("HTTP_REFERER")
        headers = {}
    with caplog.at_level(logging.WARNING, logger="voice.errors"):
        response = _sign_in_attempt(client, **headers)
    assert response.status_code == 400
    assert "did not come from this page" in response.text
    assert _staff_sessions(app) == before
    assert any(r.getMessage().startswith("csrf: form refused") for r in caplog.records)


def test_the_same_post_from_voice_itself_signs_in(production):  # noqa: F811
    app, _world = production
    before = _staff_sessions(app)
    response = _sign_in_attempt(_client(app), Origin=BASE)
    assert response.status_code == 302
    assert _staff_sessions(app) == before + 1

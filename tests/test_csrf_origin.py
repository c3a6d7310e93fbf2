"""CSRF over HTTPS with production settings: another site's Origin, and a malformed or foreign
Referer, are refused, logged, and change nothing (THREATS row 27). ``Origin: null`` with no
Referer is what Voice's own pages send (Referrer-Policy: no-referrer), so it must work."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func, select

from tests.test_every_route import BASE, _client, production  # noqa: F401 - the fixture
from voice.extensions import db
from voice.models import AuthSession

EMAIL = "r-worker@voice.test"


def _token(client) -> str:
    page = client.get("/staff/sign-in")
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)


def _sign_in_attempt(client, token: str | None = "", **headers):
    """Post the staff sign-in form with a good password. ``token``: "" for this browser's own,
    None for none at all, or another browser's."""
    own = _token(client)
    data = {"email": EMAIL, "password": "correct horse battery staple"}
    if token is not None:
        data["csrf_token"] = token or own
    return client.post("/staff/sign-in", data=data, headers=headers)


def _staff_sessions(app) -> int:
    with app.app_context():
        staff = select(func.count()).select_from(AuthSession).where(AuthSession.kind == "staff")
        return db.session.scalar(staff)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "https://voice.example.gov.uk.evil.example"},
        {"Referer": "not a url"},
        {"Referer": "https://evil.example/form"},
    ],
    ids=["foreign-origin", "lookalike-origin", "malformed-referer", "foreign-referer"],
)
def test_a_cross_site_post_with_a_good_token_is_refused_and_logged(production, caplog, headers):  # noqa: F811
    app, _world = production
    before = _staff_sessions(app)
    client = _client(app)
    with caplog.at_level(logging.WARNING, logger="voice.errors"):
        response = _sign_in_attempt(client, **headers)
    assert response.status_code == 400
    assert "did not come from this page" in response.text
    assert _staff_sessions(app) == before
    assert any(r.getMessage().startswith("csrf: form refused") for r in caplog.records)


@pytest.mark.parametrize(
    "browser",
    [{"Origin": "null"}, {"Origin": BASE}, {}],
    ids=["no-referrer-policy", "same-origin", "no-origin-no-referer"],
)
def test_the_same_post_from_voice_itself_signs_in(production, browser):  # noqa: F811
    """Chromium on a Voice page posts with Origin: null and no Referer (no-referrer policy)."""
    app, _world = production
    before = _staff_sessions(app)
    client = _client(app)
    client.environ_base.pop("HTTP_REFERER")
    response = _sign_in_attempt(client, **browser)
    assert response.status_code == 302
    assert _staff_sessions(app) == before + 1


@pytest.mark.parametrize(
    "browser",
    [{"Origin": "null"}, {}, {"Origin": "null", "Referer": BASE + "/staff/sign-in"}],
    ids=["origin-null-no-referer", "no-origin-no-referer", "origin-null-own-referer"],
)
@pytest.mark.parametrize("token", ["missing", "foreign"])
def test_origin_null_or_no_referer_without_a_good_token_is_refused_and_logged(
    production,  # noqa: F811
    caplog,
    browser,
    token,
):
    """ADR 0023: Origin: null and a missing Referer say nothing either way, so the token
    decides. Without this browser's own token the post is refused, logged, and changes nothing."""
    app, _world = production
    before = _staff_sessions(app)
    client = _client(app)
    client.environ_base.pop("HTTP_REFERER")
    forged = None if token == "missing" else _token(_client(app))
    with caplog.at_level(logging.WARNING, logger="voice.errors"):
        response = _sign_in_attempt(client, forged, **browser)
    assert response.status_code == 400
    assert "did not come from this page" in response.text
    assert _staff_sessions(app) == before
    assert any(r.getMessage().startswith("csrf: form refused") for r in caplog.records)

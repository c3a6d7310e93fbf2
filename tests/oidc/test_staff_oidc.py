"""Staff sign-in through a real OpenID provider run locally (issue 25).

The provider is the certified npm package ``oidc-provider``, started by node on 127.0.0.1 for
this module. Nothing in Authlib is patched: the app discovers the provider, sends the browser
there with state, nonce and PKCE, exchanges the code over HTTP and checks the signed ID token.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
import time_machine
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from tests import factories
from tests.conftest import BASE_OVERRIDES
from voice import clock, create_app
from voice.extensions import db
from voice.models import AuditEvent, StaffMember

ROOT = Path(__file__).resolve().parents[2]
APP_HOST = "http://localhost"
ACCOUNTS = {
    "amira": {"email": "amira.iro@voice.test", "name": "Amira", "groups": ["staff", "voice-iro"]},
    "sam": {"email": "sam.worker@voice.test", "name": "Sam", "groups": ["voice-social-workers"]},
    "nogroup": {"email": "no.group@voice.test", "name": "No Group", "groups": ["finance"]},
    "stranger": {"email": "not.in.voice@voice.test", "name": "Stranger", "groups": ["voice-iro"]},
}
ROLE_MAP = "voice-iro=iro,voice-managers=team_manager,voice-social-workers=social_worker"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_provider(accounts: dict | None = None, **env: str) -> Iterator[str]:
    """Start oidc-provider (tests/oidc/provider.mjs) on a free port; yield its issuer URL."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        pytest.fail("node and node_modules/oidc-provider are needed: run make browser-deps (npm ci)")
    port = _free_port()
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_ACCOUNTS": json.dumps(ACCOUNTS if accounts is None else accounts),
        "OIDC_REDIRECT_URI": f"{APP_HOST}/staff/sign-in/council/done",
        "OIDC_POST_LOGOUT_URI": f"{APP_HOST}/staff/sign-in",
        **env,
    }
    process = subprocess.Popen(
        [node, str(ROOT / "tests" / "oidc" / "provider.mjs")],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    issuer = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1) as probe:
                    if probe.ok:
                        break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail("the OpenID provider did not start")
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with running_provider() as issuer:
        yield issuer


def _oidc_app(database_url: str, issuer: str, tmp_path: Path, **extra) -> Flask:
    return create_app(
        {
            **BASE_OVERRIDES,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "VOICE_INSTANCE_DIR": str(tmp_path),
            "VOICE_OIDC_ISSUER": issuer,
            "VOICE_OIDC_CLIENT_ID": "voice",
            "VOICE_OIDC_CLIENT_SECRET": "voice-test-client-secret",
            "VOICE_OIDC_AUDIENCE": "voice",
            "VOICE_OIDC_ROLE_MAP": ROLE_MAP,
            "VOICE_OIDC_SCOPES": "openid email profile groups",
            "VOICE_OIDC_LEEWAY_SECONDS": 0,
            **extra,
        }
    )


def _close(other: Flask, app: Flask) -> None:
    """Close the extra app's database connections and give the shared OAuth registry back."""
    from voice.auth import oidc

    with other.app_context():
        db.session.remove()
        db.engine.dispose()
    oidc.init_app(app)


@pytest.fixture
def oidc_app(app, database_url, provider, tmp_path) -> Iterator[Flask]:
    other = _oidc_app(database_url, provider, tmp_path)
    yield other
    _close(other, app)


def _staff(app: Flask, email: str, role: str = "social_worker") -> None:
    with app.app_context():
        factories.staff(role, team_=factories.team(), email=email)
        db.session.commit()


def _through_provider(browser: requests.Session, url: str, login: str) -> str:
    """Play the person at the provider: its login page, then its consent page. Returns the URL
    the provider sends the browser back to (on the app)."""
    for _ in range(12):
        if url.startswith(APP_HOST):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        form = BeautifulSoup(response.text, "html.parser").find("form")
        assert form is not None, response.text[:500]
        data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
        if "login" in data:
            data.update(login=login, password="any")
        response = browser.post(urljoin(url, form["action"]), data=data, allow_redirects=False, timeout=10)
        url = urljoin(url, response.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def _sign_in(app: Flask, login: str):
    client = app.test_client()
    start = client.get("/staff/sign-in/council")
    assert start.status_code == 302
    assert "code_challenge_method=S256" in start.location and "nonce=" in start.location
    with requests.Session() as browser:
        back = _through_provider(browser, start.location, login)
    parts = urlsplit(back)
    return client, f"{parts.path}?{parts.query}"


def test_sign_in_takes_the_role_from_the_providers_groups(oidc_app):
    _staff(oidc_app, "amira.iro@voice.test", role="social_worker")
    client, callback = _sign_in(oidc_app, "amira")
    done = client.get(callback)
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    home = client.get("/staff/")
    assert home.status_code == 200
    with oidc_app.app_context():
        person = db.session.scalar(select(StaffMember).where(StaffMember.email == "amira.iro@voice.test"))
        assert person.role == "iro"
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"auth.signed_in", "account.role_from_provider"} <= actions


def test_sign_out_ends_the_session_and_the_providers(oidc_app):
    _staff(oidc_app, "sam.worker@voice.test")
    client, callback = _sign_in(oidc_app, "sam")
    assert client.get(callback).status_code == 302
    page = client.get("/staff/").get_data(as_text=True)
    token = BeautifulSoup(page, "html.parser").find("input", attrs={"name": "csrf_token"})["value"]
    out = client.post("/staff/sign-out", data={"csrf_token": token})
    assert out.status_code == 302
    assert "/session/end" in out.location and "id_token_hint=" in out.location
    assert client.get("/staff/").status_code in (302, 401)


def test_an_expired_id_token_is_refused(oidc_app):
    _staff(oidc_app, "sam.worker@voice.test")
    client, callback = _sign_in(oidc_app, "sam")
    # The app's clock is two hours ahead of the provider's: the token it is handed has expired.
    with time_machine.travel(clock.now() + timedelta(hours=2), tick=False):
        refused = client.get(callback)
    assert refused.status_code == 400
    assert "did not let you into Voice" in refused.get_data(as_text=True)
    assert client.get("/staff/").status_code != 200


def test_a_token_for_another_audience_is_refused(app, database_url, provider, tmp_path):
    other = _oidc_app(database_url, provider, tmp_path, VOICE_OIDC_AUDIENCE="another-service")
    try:
        _staff(other, "sam.worker@voice.test")
        client, callback = _sign_in(other, "sam")
        assert client.get(callback).status_code == 400
        with other.app_context():
            assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.oidc_refused"))
    finally:
        _close(other, app)


def test_a_replayed_code_is_refused(oidc_app):
    _staff(oidc_app, "sam.worker@voice.test")
    client, callback = _sign_in(oidc_app, "sam")
    assert client.get(callback).status_code == 302
    again = oidc_app.test_client().get(callback)  # someone else replays the same code and state
    assert again.status_code == 400
    assert client.get(callback).status_code == 400  # and so does the same browser


@pytest.mark.parametrize("login", ["nogroup", "stranger"])
def test_no_mapped_group_or_no_voice_account_is_refused_kindly(oidc_app, login):
    _staff(oidc_app, "no.group@voice.test")
    client, callback = _sign_in(oidc_app, login)
    refused = client.get(callback)
    assert refused.status_code == 400
    assert "ask your team administrator" in refused.get_data(as_text=True)


def test_without_a_provider_the_council_sign_in_is_not_there(client):
    assert client.get("/staff/sign-in/council").status_code == 404
    assert "council account" not in client.get("/staff/sign-in").get_data(as_text=True)


def test_council_sign_in_asks_no_code_when_password_staff_need_one(app, database_url, provider, tmp_path):
    """The provider does MFA: with VOICE_STAFF_TOTP on, its staff land in Voice without a code."""
    other = _oidc_app(database_url, provider, tmp_path, VOICE_STAFF_TOTP=True)
    try:
        _staff(other, "sam.worker@voice.test")
        client, callback = _sign_in(other, "sam")
        done = client.get(callback)
        assert done.status_code == 302 and "/sign-in/" not in done.location
        assert client.get("/staff/").status_code == 200
    finally:
        _close(other, app)

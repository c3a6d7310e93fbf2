"""Every GET route, as production serves it over HTTPS: headers on every HTML answer, attributes
on every cookie, and the Host header (THREATS rows 11, 29 and 30).

The session app is switched to production's cookie and host settings for these tests (the same
values ``settings_from_env`` gives production, tests/test_config.py) and switched back after."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests import factories
from tests.helpers.submissions import send_for
from voice.auth import sessions
from voice.extensions import db
from voice.models import Alert, Child, Device
from voice.people import enrolment

HOST = "voice.example.gov.uk"
BASE = f"https://{HOST}"
PRODUCTION = {
    "VOICE_ENV": "production",
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_NAME": "__Host-voice",
    "WTF_CSRF_SSL_STRICT": False,
    "TRUSTED_HOSTS": [HOST],
    "VOICE_BASE_URL": BASE,
    "PREFERRED_URL_SCHEME": "https",
}
SKIP = {"static", "staff.oidc_start", "staff.oidc_done"}  # files; the provider's redirect dance


class _HttpsClient(FlaskClient):
    """A browser on https://voice.example.gov.uk (the configured, trusted host)."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", BASE)
        return super().open(*args, **kwargs)


@pytest.fixture
def production(app: Flask) -> Iterator[tuple[Flask, dict]]:
    world = _world(app)  # made first: the test request contexts that make it use localhost
    saved = {k: app.config.get(k) for k in PRODUCTION}
    app.config.update(PRODUCTION)
    try:
        yield app, world
    finally:
        app.config.update(saved)


def _client(app: Flask, cookie: str | None = None, token: str | None = None, device: str | None = None):
    client = _HttpsClient(app, app.response_class, use_cookies=True)
    client.environ_base.update({"HTTP_REFERER": BASE + "/"})
    if token:
        client.set_cookie("__Host-voice_auth", token, domain=HOST)
    if device:
        client.set_cookie("__Host-voice_device", device, domain=HOST)
    return client


def _world(app: Flask) -> dict:
    """A team with a manager, a worker, a child with a phone and a flagged submission."""
    with app.app_context():
        team = factories.team("Team R", duty_email="duty-r@voice.test")
        worker = factories.staff(team_=team, email="r-worker@voice.test")
        team.manager = factories.staff("team_manager", team_=team, email="r-manager@voice.test")
        officer = factories.staff("participation_officer", team_=team, email="r-officer@voice.test")
        child = factories.child(worker=worker, ref="R-0001")
        db.session.commit()
        ids = {"worker": worker.id, "manager": team.manager.id, "officer": officer.id, "child": child.id}
    sid = send_for(app, "R-0001", text="my carer hits me when im bad")
    with app.app_context():
        device_token = "route-walk-phone"
        from voice.auth.secrets import token_hash

        device = Device(child_id=ids["child"], token_hash=token_hash(device_token))
        db.session.add(device)
        db.session.flush()
        child_token = enrolment.set_pin(device, "4826", pepper=app.config["VOICE_PIN_PEPPER"])
        tokens = {role: sessions.start("staff", str(ids[role])) for role in ("worker", "manager", "officer")}
        db.session.commit()
        alert = db.session.scalar(select(Alert))
        values = {
            "submission_id": sid,
            "child_id": ids["child"],
            "alert_id": alert.id,
            "device_id": device.id,
            "conversation_id": db.session.scalar(select(Child).where(Child.id == ids["child"])).id,
        }
    return {"tokens": tokens, "child_token": child_token, "device": device_token, "values": values}


def _urls(app: Flask, values: dict) -> list[str]:
    urls = []
    adapter = app.url_map.bind(HOST, url_scheme="https")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIP:
            continue
        args = {}
        for name, converter in rule._converters.items():
            kind = type(converter).__name__
            args[name] = (
                values.get(name, uuid.uuid4())
                if kind == "UUIDConverter"
                else (1 if kind == "IntegerConverter" else "x")
            )
        urls.append(adapter.build(rule.endpoint, args))
    return sorted(set(urls))


def _walk(production: tuple[Flask, dict]):
    production, world = production
    visitors = {
        "anonymous": _client(production),
        "child": _client(production, token=world["child_token"], device=world["device"]),
        **{role: _client(production, token=t) for role, t in world["tokens"].items()},
    }
    answers = []
    for who, client in visitors.items():
        for url in _urls(production, world["values"]):
            answers.append((who, url, client.get(url)))
    # The answers that set cookies: a language link, and choosing a PIN from an invite.
    stranger = _client(production)
    answers.append(("anonymous", "/?lang=bn", stranger.get("/?lang=bn")))
    with production.app_context():
        from voice.people import invitations

        link = invitations.mint_link(Child.by_ref("R-0001"), created_by=None).replace(BASE, "")
    newcomer = _client(production)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', newcomer.get(link).text).group(1)
    newcomer.post(link, data={"csrf_token": token})
    chosen = newcomer.post("/choose-pin", data={"csrf_token": token, "pin": "4826", "pin_again": "4826"})
    answers.append(("child", "/choose-pin", chosen))
    assert chosen.status_code == 302, "choosing a PIN over HTTPS did not sign in"
    return answers


def test_every_html_answer_carries_the_security_headers(production):
    checked = 0
    for who, url, response in _walk(production):
        if response.mimetype != "text/html":
            continue
        h = response.headers
        where = f"{who} GET {url} ({response.status_code})"
        assert h.get("Strict-Transport-Security") == "max-age=31536000; includeSubDomains", where
        csp = h.get("Content-Security-Policy", "")
        for part in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"):
            assert part in csp, f"{where}: CSP lacks {part}"
        assert "unsafe-inline" not in csp, where
        assert h.get("X-Content-Type-Options") == "nosniff", where
        assert h.get("Referrer-Policy") == "no-referrer", where
        assert "Server" not in h, where
        if who != "anonymous":
            assert h.get("Cache-Control") == "no-store", where
        checked += 1
    assert checked > 100  # every route for six visitors, not a handful of pages


def test_every_cookie_is_host_only_secure_httponly_and_samesite(production):
    seen = set()
    for who, url, response in _walk(production):
        for header in response.headers.getlist("Set-Cookie"):
            name, rest = header.split("=", 1)
            _value, *attributes = [p.strip() for p in rest.split(";")]
            flags = {a.split("=", 1)[0].lower(): a for a in attributes}
            if "expires" in flags and "1970" in flags["expires"]:
                continue  # removing a cookie
            where = f"{who} GET {url}: {header}"
            assert name.startswith("__Host-"), where
            assert "secure" in flags and "httponly" in flags, where
            assert flags.get("samesite", "").lower() in ("samesite=lax", "samesite=strict"), where
            assert flags.get("path") == "Path=/" and "domain" not in flags, where
            seen.add(name)
    assert {"__Host-voice_auth", "__Host-voice_device", "__Host-voice_lang", "__Host-voice"} <= seen


def test_an_untrusted_host_gets_400_and_invite_links_use_the_configured_host(production):
    production, world = production
    staff = _client(production, token=world["tokens"]["worker"])
    assert staff.get("/staff/", headers={"Host": "evil.example"}).status_code == 400
    assert _client(production).get("/", headers={"Host": "evil.example"}).status_code == 400
    # Links in messages come from VOICE_BASE_URL, whatever Host the request that made them named.
    with production.test_request_context("/", base_url="https://evil.example"):
        from voice.people import invitations

        link = invitations.mint_link(Child.by_ref("R-0001"), created_by=None)
    assert link.startswith(f"{BASE}/start/") and "evil" not in link

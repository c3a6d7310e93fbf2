"""Issue 25's hardening: start-up refusals, the client address behind a proxy, offline PIN
recovery from a dump (THREATS 7), and demo data kept out of production."""

from __future__ import annotations

import ipaddress
import os
import subprocess

import pytest
from sqlalchemy import text

from tests import factories
from voice import crypto, keys
from voice.auth.secrets import hash_pin, verify_pin
from voice.auth.web import forwarded_client
from voice.cli import demo_command
from voice.crypto import KeyringError
from voice.extensions import db
from voice.models import Conversation

PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)


def test_production_refuses_to_start_without_a_key_that_wrote_stored_rows(app_ctx):
    suite_keys = app_ctx.config["VOICE_DATA_KEYS"]
    crypto.verify_keys_against_database(db.engine)  # the suite's key has its check value
    try:
        crypto.install_keyring({"brandnew": os.urandom(32)})
        with pytest.raises(KeyringError, match="is not in VOICE_DATA_KEYS"):
            crypto.verify_keys_against_database(db.engine, require_all=True)
        # Outside production the same database starts (development keeps working).
        crypto.verify_keys_against_database(db.engine)
    finally:
        crypto.install_keyring(suite_keys)
        db.session.execute(text("DELETE FROM key_checks WHERE kid = 'brandnew'"))
        db.session.commit()


def test_a_key_is_only_retired_when_nothing_is_stored_under_it(app_ctx):
    crypto.verify_keys_against_database(db.engine)
    child = factories.child()
    db.session.add(
        Conversation(child_id=child.id, flow_id="pre-review", content_version="t", state={"a": "b"})
    )
    db.session.commit()
    active = crypto.keyring().active_kid
    assert keys.retire(active) >= 1
    assert db.session.scalar(text("SELECT count(*) FROM key_checks WHERE kid = :k"), {"k": active}) == 1


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("198.51.100.7", [], "198.51.100.7"),  # no proxy
        ("198.51.100.7", ["1.2.3.4"], "198.51.100.7"),  # a client cannot name itself
        ("10.0.0.5", ["203.0.113.9"], "203.0.113.9"),  # through our proxy
        ("10.0.0.5", ["6.6.6.6, 203.0.113.9"], "203.0.113.9"),  # a forged entry before ours is ignored
        ("10.0.0.5", ["203.0.113.9, 10.0.0.6"], "203.0.113.9"),  # two of our proxies
        ("10.0.0.5", [], "10.0.0.5"),
    ],
)
def test_the_client_address_is_read_only_through_trusted_proxies(remote, forwarded, expected):
    assert forwarded_client(remote, forwarded, PROXIES) == expected


def test_the_sign_in_limits_count_the_forwarded_address(app, client):
    app.config["VOICE_TRUSTED_PROXIES"] = PROXIES
    try:
        with app.test_request_context("/", environ_base={"REMOTE_ADDR": "10.1.2.3"},
                                      headers={"X-Forwarded-For": "192.0.2.44"}):  # fmt: skip
            from voice.auth import web

            assert web.client_address() == "192.0.2.44"
    finally:
        app.config["VOICE_TRUSTED_PROXIES"] = ()


def test_demo_refuses_to_run_in_production(app):
    app.config["VOICE_ENV"] = "production"
    try:
        result = app.test_cli_runner().invoke(demo_command, ["--json"])
    finally:
        app.config["VOICE_ENV"] = "test"
    assert result.exit_code != 0
    assert "refuses to run in production" in result.output


def test_a_database_dump_without_the_pepper_cannot_check_a_pin(app_ctx, database_url):
    """THREATS 7: the PIN hash is argon2id over HMAC(pepper, PIN); without the pepper, trying all
    10,000 four-digit PINs against a dumped hash finds nothing, and the pepper is not in the dump."""
    pepper = app_ctx.config["VOICE_PIN_PEPPER"]
    stored = hash_pin(pepper, "4826")
    assert verify_pin(pepper, stored, "4826")
    assert not verify_pin("a-guess-at-the-pepper-" + "x" * 20, stored, "4826")
    assert stored.startswith("$argon2id$")
    # The pepper is configuration, never data: it appears nowhere in the database.
    if database_url.startswith("sqlite"):
        with open(database_url.removeprefix("sqlite:///"), "rb") as fh:
            assert pepper.encode() not in fh.read()
    else:
        dump = subprocess.run(
            ["pg_dump", database_url.replace("postgresql+psycopg", "postgresql")],
            capture_output=True, check=True, timeout=120,
        ).stdout  # fmt: skip
        assert pepper.encode() not in dump


def test_an_admin_unlocks_a_staff_account_from_the_command_line(app):
    from voice.auth import staff as staff_auth
    from voice.cli import unlock_command

    with app.app_context():
        person = factories.staff("social_worker", team_=factories.team())
        db.session.commit()
        email = person.email
        for _ in range(5):
            staff_auth.sign_in(email, "wrong", address="192.0.2.9", max_failures=5, address_ceiling=50)
        assert staff_auth.sign_in(email, factories.PASSWORD, address="192.0.2.9", max_failures=5,
                                  address_ceiling=50).locked  # fmt: skip
    result = app.test_cli_runner().invoke(unlock_command, [email])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert staff_auth.sign_in(email, factories.PASSWORD, address="192.0.2.9", max_failures=5,
                                  address_ceiling=50).ok  # fmt: skip
    assert app.test_cli_runner().invoke(unlock_command, ["nobody@voice.test"]).exit_code != 0


def _token(html: str) -> str:
    from bs4 import BeautifulSoup

    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
    assert field is not None, "no csrf token on the page"
    return str(field["value"])


def test_a_form_with_no_token_is_told_it_did_not_come_from_this_page(app, client):
    response = client.post("/staff/sign-in", data={"email": "a@b.test", "password": "x"})
    assert response.status_code == 400
    assert "did not come from this page" in response.get_data(as_text=True)
    assert "open for a long time" not in response.get_data(as_text=True)


def test_a_token_from_another_browser_is_told_the_same(app, client):
    other = app.test_client()
    foreign = _token(other.get("/staff/sign-in").get_data(as_text=True))
    client.get("/staff/sign-in")
    response = client.post(
        "/staff/sign-in", data={"email": "a@b.test", "password": "x", "csrf_token": foreign}
    )
    assert response.status_code == 400
    assert "did not come from this page" in response.get_data(as_text=True)


def test_a_token_that_ran_out_says_the_page_was_open_a_long_time(app, client):
    from datetime import timedelta

    import time_machine

    from voice import clock

    token = _token(client.get("/staff/sign-in").get_data(as_text=True))
    with time_machine.travel(clock.now() + timedelta(hours=5), tick=False):
        response = client.post(
            "/staff/sign-in", data={"email": "a@b.test", "password": "x", "csrf_token": token}
        )
    assert response.status_code == 400
    assert "open for a long time" in response.get_data(as_text=True)


def test_a_token_seen_before_sign_in_is_worthless_after_it(app, client):
    with app.app_context():
        person = factories.staff("social_worker", team_=factories.team())
        db.session.commit()
        email = person.email
    before = _token(client.get("/staff/sign-in").get_data(as_text=True))
    signed_in = client.post(
        "/staff/sign-in", data={"email": email, "password": factories.PASSWORD, "csrf_token": before}
    )
    assert signed_in.status_code == 302
    # The token from before sign-in no longer works for a signed-in action.
    refused = client.post("/staff/sign-out", data={"csrf_token": before})
    assert refused.status_code == 400
    fresh = _token(client.get("/staff/").get_data(as_text=True))
    assert fresh != before
    assert client.post("/staff/sign-out", data={"csrf_token": fresh}).status_code in (302, 303)

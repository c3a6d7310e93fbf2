"""The second factor for staff who sign in with a password (issue 25, docs/adr/0023)."""

from datetime import datetime, timedelta

import pyotp
from sqlalchemy import func, select, text

from tests.helpers.auth import sign_in_staff
from tests.helpers.totp import START, enrol, new_staff, now
from voice.extensions import db
from voice.models import AuditEvent, StaffRecoveryCode


def _worker(app) -> str:
    return new_staff(app)


def _code(secret: str, at: datetime) -> str:
    return pyotp.TOTP(secret).at(int(at.timestamp()))


def _enrol(app, page, traveller):
    """Sign in, set up the app, confirm; returns (email, secret, recovery codes), signed out."""
    enrolled = enrol(page, _worker(app), traveller)
    return enrolled.email, enrolled.secret, enrolled.recovery_codes


def _now():
    return now()


def test_enrolment_shows_the_key_and_ten_recovery_codes_and_stores_neither_in_clear(app, page, totp_on):
    email = _worker(app)
    setup = sign_in_staff(page, email)
    assert setup.h1 == "Set up a sign-in code"
    secret = setup.soup.select_one(".totp-secret").get_text(strip=True)
    assert setup.soup.select_one(".totp-uri").get_text(strip=True).startswith("otpauth://totp/")
    assert page.client.get("/staff/").status_code == 302  # the password alone lets nobody in
    wrong = page.submit(setup, {"code": "000000"}, selector="main form[method=post]", status=400)
    assert "did not match" in wrong.text
    done = page.submit(wrong, {"code": _code(secret, START)}, selector="main form[method=post]")
    codes = [c.get_text(strip=True) for c in done.soup.select(".recovery-codes code")]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert page.get("/staff/").h1 == "Inbox"
    with app.app_context():
        stored = db.session.execute(text("SELECT secret FROM staff_totp")).scalar_one()
        assert secret not in stored and stored.startswith("v2:")
        hashes = set(db.session.scalars(select(StaffRecoveryCode.code_hash)))
        assert len(hashes) == 10 and not hashes & {c.replace("-", "") for c in codes}
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.totp_enrolled"))


def test_an_enrolled_person_signs_in_with_password_then_code(app, page, totp_on):
    email, secret, _ = _enrol(app, page, totp_on)
    ask = sign_in_staff(page, email)
    assert ask.url == "/staff/sign-in/code"
    assert page.client.get("/staff/").status_code == 302
    home = page.submit(ask, {"code": _code(secret, _now())}, selector="main form[method=post]")
    assert home.url == "/staff/" and home.h1 == "Inbox"


def test_a_wrong_code_does_not_sign_in(app, page, totp_on):
    email, _secret, _ = _enrol(app, page, totp_on)
    ask = sign_in_staff(page, email)
    other = pyotp.TOTP(pyotp.random_base32()).at(int(_now().timestamp()))
    refused = page.submit(ask, {"code": other}, selector="main form[method=post]", status=400)
    assert "did not match" in refused.text
    assert page.client.get("/staff/").status_code == 302


def test_a_code_cannot_be_used_twice(app, page, totp_on):
    email, secret, _ = _enrol(app, page, totp_on)
    code = _code(secret, _now())
    ask = sign_in_staff(page, email)
    assert page.submit(ask, {"code": code}, selector="main form[method=post]").url == "/staff/"
    page.client.delete_cookie("voice_auth")
    totp_on.shift(timedelta(seconds=20))  # someone who saw it over a shoulder, within its window
    again = sign_in_staff(page, email)
    refused = page.submit(again, {"code": code}, selector="main form[method=post]", status=400)
    assert "did not match" in refused.text
    assert page.client.get("/staff/").status_code == 302


def test_a_recovery_code_works_once(app, page, totp_on):
    email, _, codes = _enrol(app, page, totp_on)
    ask = sign_in_staff(page, email)
    home = page.submit(ask, {"code": codes[3]}, selector="main form[method=post]")
    assert home.url == "/staff/"
    assert "9 are left" in home.text
    page.client.delete_cookie("voice_auth")
    again = sign_in_staff(page, email)
    page.submit(again, {"code": codes[3]}, selector="main form[method=post]", status=400)
    assert page.client.get("/staff/").status_code == 302


def test_wrong_codes_lock_for_a_while_even_the_right_code_then_it_ends(app, page, totp_on):
    email, secret, _ = _enrol(app, page, totp_on)
    ask = sign_in_staff(page, email)
    for _ in range(5):
        ask = page.submit(ask, {"code": "123456"}, selector="main form[method=post]", status=400)
    locked = page.submit(ask, {"code": _code(secret, _now())}, selector="main form[method=post]", status=400)
    assert "too many codes were wrong" in locked.text
    assert page.client.get("/staff/").status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "auth.totp_failed")
            )
            == 5
        )
    totp_on.shift(timedelta(minutes=6))
    ask = sign_in_staff(page, email)  # the pending step lasts five minutes; sign in afresh
    home = page.submit(ask, {"code": _code(secret, _now())}, selector="main form[method=post]")
    assert home.url == "/staff/"


def test_without_the_switch_a_password_is_enough(app, page):
    assert app.config["VOICE_STAFF_TOTP"] is False
    assert sign_in_staff(page, _worker(app)).url == "/staff/"


def test_an_admin_unlock_also_ends_a_lock_from_wrong_codes(app, page, totp_on):
    from voice.cli import unlock_command

    email, secret, _ = _enrol(app, page, totp_on)
    ask = sign_in_staff(page, email)
    for _ in range(5):
        ask = page.submit(ask, {"code": "123456"}, selector="main form[method=post]", status=400)
    assert app.test_cli_runner().invoke(unlock_command, [email]).exit_code == 0
    home = page.submit(ask, {"code": _code(secret, _now())}, selector="main form[method=post]")
    assert home.url == "/staff/"

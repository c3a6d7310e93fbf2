from datetime import timedelta

import time_machine
from sqlalchemy import select

from tests import factories
from tests.helpers.auth import sign_in_staff
from voice import clock
from voice.auth import staff as staff_auth
from voice.extensions import db
from voice.models import AuditEvent, AuthThrottle

GENERIC = "did not match"


def make_worker(app, **kw):
    with app.app_context():
        person = factories.staff("social_worker", team_=factories.team(), **kw)
        db.session.commit()
        return person.email, person.id


def test_sign_in_then_home_then_sign_out(app, page):
    email, _ = make_worker(app, name="Robin Hart")
    home = sign_in_staff(page, email)
    assert home.url == "/staff/"
    assert home.h1 == "Inbox"
    assert "Robin Hart" in home.soup.select_one("header").get_text()
    out = page.submit(home, selector="form[action='/staff/sign-out']")
    assert out.url == "/staff/sign-in"
    assert "Clear-Site-Data" in out.response.history[0].headers
    assert page.client.get("/staff/").status_code == 302


def test_unknown_email_and_wrong_password_look_the_same(app, page):
    email, _ = make_worker(app)
    wrong = sign_in_staff(page, email, "not it", status=400)
    unknown = sign_in_staff(page, "nobody@voice.test", "not it", status=400)
    assert GENERIC in wrong.text and GENERIC in unknown.text
    strip = lambda p: p.soup.find("main").get_text(" ", strip=True)  # noqa: E731
    assert strip(wrong) == strip(unknown)


def test_five_failures_lock_the_account_even_for_the_right_password(app, page):
    email, _ = make_worker(app)
    for _ in range(5):
        sign_in_staff(page, email, "wrong", status=400)
    with app.app_context():
        row = db.session.scalar(select(AuthThrottle).where(AuthThrottle.key.like("acct:%")))
        assert row.locked_until is not None and row.lock_level == 1
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.lockout"))
    locked = sign_in_staff(page, email, status=400)
    assert GENERIC in locked.text
    with time_machine.travel(clock.now() + timedelta(minutes=6), tick=False):
        assert sign_in_staff(page, email).url == "/staff/"


def test_lock_grows_then_needs_a_person(app):
    email, _ = make_worker(app)
    with app.app_context():
        start = clock.now()
        kwargs = {"address": "10.0.0.9", "max_failures": 5, "address_ceiling": 1000}
        for step, _wait in enumerate([timedelta(minutes=6), timedelta(minutes=31)]):
            with time_machine.travel(start + timedelta(hours=step), tick=False):
                for _ in range(5):
                    staff_auth.sign_in(email, "bad", **kwargs)
                assert staff_auth.sign_in(email, "bad", **kwargs).locked
        with time_machine.travel(start + timedelta(hours=5), tick=False):
            for _ in range(5):
                staff_auth.sign_in(email, "bad", **kwargs)
        with time_machine.travel(start + timedelta(days=30), tick=False):
            assert staff_auth.sign_in(email, factories.PASSWORD, **kwargs).locked


def test_per_address_ceiling_blocks_spraying_across_accounts(app):
    with app.app_context():
        for n in range(60):
            staff_auth.sign_in(
                f"spray{n}@voice.test", "guess", address="10.9.9.9", max_failures=5, address_ceiling=50
            )
        email, _ = make_worker(app)
        assert staff_auth.sign_in(
            email, factories.PASSWORD, address="10.9.9.9", max_failures=5, address_ceiling=50
        ).locked
        assert staff_auth.sign_in(
            email, factories.PASSWORD, address="10.1.1.1", max_failures=5, address_ceiling=50
        ).ok


def test_a_copied_cookie_dies_at_sign_out(app, page):
    email, _ = make_worker(app)
    home = sign_in_staff(page, email)
    stolen = page.client.get_cookie("voice_auth").value
    page.submit(home, selector="form[action='/staff/sign-out']")
    with app.test_client() as thief:
        thief.set_cookie("voice_auth", stolen)
        assert thief.get("/staff/").status_code == 302


def test_disabling_an_account_ends_its_session_at_once(app, page):
    email, staff_id = make_worker(app)
    sign_in_staff(page, email)
    assert page.client.get("/staff/").status_code == 200
    with app.app_context():
        from voice.models import StaffMember

        staff_auth.disable(db.session.get(StaffMember, staff_id), by="system")
        db.session.commit()
    assert page.client.get("/staff/").status_code == 302


def test_idle_timeout_after_30_minutes_and_absolute_after_12_hours(app, page):
    email, _ = make_worker(app)
    start = clock.now()
    with time_machine.travel(start, tick=False):
        sign_in_staff(page, email)
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert page.client.get("/staff/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        assert page.client.get("/staff/").status_code == 302

    with time_machine.travel(start + timedelta(days=1), tick=False):
        sign_in_staff(page, email)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(days=1, minutes=minutes), tick=False):
            assert page.client.get("/staff/").status_code == 200
    with time_machine.travel(start + timedelta(days=1, hours=12, minutes=5), tick=False):
        assert page.client.get("/staff/").status_code == 302


def test_session_cookie_is_new_at_each_sign_in_and_httponly(app, page):
    email, _ = make_worker(app)
    sign_in_staff(page, email)
    first = page.client.get_cookie("voice_auth")
    assert first.http_only and first.same_site.lower() == "lax"
    sign_in_staff(page, email)
    assert page.client.get_cookie("voice_auth").value != first.value


def test_next_only_accepts_paths_on_this_site(app, page):
    email, _ = make_worker(app)
    for evil in ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]:
        form = page.get(f"/staff/sign-in?next={evil}")
        response = page.client.post(
            f"/staff/sign-in?next={evil}",
            data={
                "email": email,
                "password": factories.PASSWORD,
                "csrf_token": form.form().find("input", attrs={"name": "csrf_token"})["value"],
            },
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/staff/"


def test_post_without_csrf_token_is_refused(app, client):
    email, _ = make_worker(app)
    response = client.post("/staff/sign-in", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert client.get_cookie("voice_auth") is None

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


def test_five_failures_lock_the_account_from_that_address_even_for_the_right_password(app, page):
    email, _ = make_worker(app)
    for _ in range(5):
        sign_in_staff(page, email, "wrong", status=400)
    with app.app_context():
        row = db.session.scalar(select(AuthThrottle).where(AuthThrottle.key.like("staff:%:%")))
        assert row.locked_until is not None and row.lock_level == 1
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.lockout"))
    locked = sign_in_staff(page, email, status=400)
    assert GENERIC in locked.text
    with time_machine.travel(clock.now() + timedelta(minutes=6), tick=False):
        assert sign_in_staff(page, email).url == "/staff/"


def test_a_staff_lock_grows_but_always_ends_by_itself(app):
    """5 minutes, 30 minutes, then an hour at most: nobody who knows an email can lock it for good."""
    email, _ = make_worker(app)
    with app.app_context():
        start = clock.now()
        kwargs = {"address": "10.0.0.9", "max_failures": 5, "address_ceiling": 1000, "account_ceiling": 1000}
        for step in range(4):
            with time_machine.travel(start + timedelta(hours=2 * step), tick=False):
                for _ in range(5):
                    staff_auth.sign_in(email, "bad", **kwargs)
                assert staff_auth.sign_in(email, factories.PASSWORD, **kwargs).locked
        with time_machine.travel(start + timedelta(hours=6, minutes=61), tick=False):
            assert staff_auth.sign_in(email, factories.PASSWORD, **kwargs).ok


def test_a_thousand_failures_from_one_address_do_not_stop_another_accounts_correct_sign_in(app):
    """THREATS 2, issue 25: the old shared per-address lock let one stranger lock out everyone."""
    email, _ = make_worker(app)
    victim, _ = make_worker(app)
    with app.app_context():
        kwargs = {"max_failures": 5, "address_ceiling": 50, "account_ceiling": 20}
        for n in range(1000):
            target = email if n % 2 else f"made-up{n}@voice.test"
            assert not staff_auth.sign_in(target, "guess", address="203.0.113.7", **kwargs).ok
        # Another person behind the same address (a council proxy) with the right password.
        assert staff_auth.sign_in(victim, factories.PASSWORD, address="203.0.113.7", **kwargs).ok
        # And the attacked account's owner, from their own address: the attacker's failures
        # locked only the attacker's address for that account.
        assert staff_auth.sign_in(email, factories.PASSWORD, address="198.51.100.4", **kwargs).ok


def test_failures_from_many_addresses_lock_an_account_for_a_while_and_an_admin_can_unlock_it(app):
    email, _ = make_worker(app)
    with app.app_context():
        kwargs = {"max_failures": 5, "address_ceiling": 50, "account_ceiling": 20}
        for n in range(20):
            staff_auth.sign_in(email, "guess", address=f"192.0.2.{n % 4 + 1}", **kwargs)
        assert staff_auth.sign_in(email, factories.PASSWORD, address="198.51.100.4", **kwargs).locked
        with time_machine.travel(clock.now() + timedelta(minutes=16), tick=False):
            assert staff_auth.sign_in(email, factories.PASSWORD, address="198.51.100.4", **kwargs).ok
        for n in range(20):
            staff_auth.sign_in(email, "guess", address=f"192.0.2.{n % 4 + 1}", **kwargs)
        assert staff_auth.unlock(email, by="system")
        db.session.commit()
        assert staff_auth.sign_in(email, factories.PASSWORD, address="198.51.100.4", **kwargs).ok
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.unlocked"))


def test_a_busy_address_answers_wrong_guesses_with_locked(app):
    with app.app_context():
        kwargs = {"max_failures": 5, "address_ceiling": 50, "account_ceiling": 20}
        results = [
            staff_auth.sign_in(f"spray{n}@voice.test", "guess", address="10.9.9.9", **kwargs)
            for n in range(60)
        ]
        assert not any(r.locked for r in results[:49])
        assert all(r.locked for r in results[50:])


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

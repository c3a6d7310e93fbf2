"""Getting in: invite links, PINs, devices, lockouts, sessions."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from tests import factories
from tests.helpers.child import PIN, demo, enrol, sign_in_directly
from tests.helpers.pages import PageFetcher
from voice import clock
from voice.extensions import db
from voice.models import AuditEvent, Device, Invitation, OutboxMessage


def path(url: str) -> str:
    return url.replace("http://voice.test", "")


def test_expired_and_unknown_links_get_a_kind_page(runner, page):
    info = demo(runner)
    with time_machine.travel(clock.now() + timedelta(days=8), tick=False):
        expired = page.get(path(info["children"][0]["invite_url"]), status=410)
    assert "too old" in expired.text and "Ask your worker for a new link" in expired.text
    unknown = page.get("/start/not-a-real-token-at-all", status=410)
    assert "could not find this link" in unknown.text


def test_redeeming_needs_a_post_with_csrf(app, runner, client):
    info = demo(runner)
    token = info["children"][0]["invite_url"].rsplit("/", 1)[1]
    assert client.post(f"/start/{token}").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Invitation).where(Invitation.used_at.is_not(None))) is None


def test_the_final_url_and_storage_hold_no_token(app, runner, page):
    info = demo(runner)
    url = info["children"][0]["invite_url"]
    token = url.rsplit("/", 1)[1]
    start = enrol(page, url)
    assert token not in start.url
    assert start.response.history and all(
        token not in r.headers.get("Location", "") for r in start.response.history
    )
    with app.app_context():
        stored = [i.token_hash for i in db.session.scalars(select(Invitation))]
        assert token not in stored


@pytest.mark.parametrize(
    ("pin", "again", "message"),
    [
        ("12ab", "12ab", "4 to 6 numbers"),
        ("١٢٣٤٥", "١٢٣٤٥", "4 to 6 numbers"),  # Arabic-Indic digits
        ("１２３４５", "１２３４５", "4 to 6 numbers"),  # full-width digits
        ("123", "123", "4 to 6 numbers"),
        ("1234567", "1234567", "4 to 6 numbers"),
        ("48261", "48262", "were different"),
        ("1234", "1234", "too easy to guess"),
        ("0000", "0000", "too easy to guess"),
    ],
)
def test_bad_pins_get_a_kind_message_and_nothing_is_saved(app, runner, page, pin, again, message):
    info = demo(runner)
    welcome = page.get(path(info["children"][0]["invite_url"]))
    choose = page.submit(welcome, selector="main form[method=post]")
    result = page.submit(
        choose, {"pin": pin, "pin_again": again}, selector="main form[method=post]", status=400
    )
    assert message in result.text
    with app.app_context():
        assert db.session.scalar(select(Device)) is None
        assert db.session.scalar(select(Invitation).where(Invitation.used_at.is_not(None))) is None
    fixed = page.submit(result, {"pin": PIN, "pin_again": PIN}, selector="main form[method=post]")
    assert fixed.url == "/chat"


def _worker_child(app):
    with app.app_context():
        team = factories.team()
        worker = factories.staff(team_=team, email="worker@voice.test")
        kid = factories.child(worker=worker)
        db.session.commit()
        return kid.ref


def test_sign_in_with_device_and_pin_and_sign_out_keeps_the_device(app, client):
    ref = _worker_child(app)
    sign_in_directly(app, client, ref)
    page = PageFetcher(client)
    chat = page.get("/chat")
    out = page.submit(chat, selector="form[action='/sign-out']")
    assert out.url == "/signed-out"
    assert "cookies" not in out.response.history[0].headers["Clear-Site-Data"]
    assert client.get("/chat").status_code == 302
    form = page.get("/sign-in")
    assert page.submit(form, {"pin": PIN}, selector="main form[method=post]").url == "/chat"


def test_a_pin_from_a_browser_that_is_not_enrolled_is_refused(app, client):
    _worker_child(app)
    page = PageFetcher(client).get("/sign-in")
    assert "Ask your worker for a new link" in page.text
    assert page.soup.select_one("main form") is None
    assert client.post("/sign-in", data={"pin": PIN}).status_code == 400


def test_five_wrong_pins_lock_even_the_right_one_tell_the_worker_and_help_stays_open(app, client):
    ref = _worker_child(app)
    sign_in_directly(app, client, ref)
    client.delete_cookie("voice_auth")
    page = PageFetcher(client)
    for _ in range(5):
        wrong = page.submit(
            page.get("/sign-in"), {"pin": "9731"}, selector="main form[method=post]", status=400
        )
    assert "Too many tries" in wrong.text
    locked = page.submit(page.get("/sign-in"), {"pin": PIN}, selector="main form[method=post]", status=400)
    assert "Too many tries" in locked.text
    assert page.get("/help").h1 == "Get help now"
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.lockout"))
        notices = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "child_locked_out")
        ).all()
        assert [n.to_address for n in notices] == ["worker@voice.test"]
    with time_machine.travel(clock.now() + timedelta(minutes=6), tick=False):
        assert (
            page.submit(page.get("/sign-in"), {"pin": PIN}, selector="main form[method=post]").url == "/chat"
        )


def test_malformed_pins_do_not_count_as_failures(app, client):
    ref = _worker_child(app)
    sign_in_directly(app, client, ref)
    client.delete_cookie("voice_auth")
    page = PageFetcher(client)
    for bad in ["abcd", "١٢٣٤", "12", "1234567890"]:
        result = page.submit(
            page.get("/sign-in"), {"pin": bad}, selector="main form[method=post]", status=400
        )
        assert "4 to 6 numbers" in result.text
    assert page.submit(page.get("/sign-in"), {"pin": PIN}, selector="main form[method=post]").url == "/chat"


def test_a_revoked_device_stops_at_once(app, client):
    from voice.models import StaffMember
    from voice.people import enrolment

    ref = _worker_child(app)
    device_id = sign_in_directly(app, client, ref)
    assert client.get("/chat").status_code == 200
    with app.app_context():
        enrolment.revoke_device(db.session.get(Device, device_id), by=db.session.scalar(select(StaffMember)))
        db.session.commit()
    assert client.get("/chat").status_code == 302
    assert "Ask your worker for a new link" in PageFetcher(client).get("/sign-in").text


def test_child_sessions_end_after_15_minutes_idle(app, client):
    ref = _worker_child(app)
    start = clock.now()
    with time_machine.travel(start, tick=False):
        sign_in_directly(app, client, ref)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert client.get("/chat").status_code == 200
    with time_machine.travel(start + timedelta(minutes=14 + 16), tick=False):
        response = client.get("/chat")
        assert response.status_code == 302 and response.headers["Location"] == "/sign-in"

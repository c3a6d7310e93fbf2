"""An invite link keeps working until a PIN is chosen with it (or it expires), so a child who is
interrupted after "Let's start" can open it again; after that it says so kindly, naming nobody."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from tests.helpers.child import PIN, demo
from tests.helpers.pages import PageFetcher
from voice import clock
from voice.extensions import db
from voice.models import Device, Invitation


def _path(url: str) -> str:
    return url.replace("http://voice.test", "")


def _start(page: PageFetcher, link: str):
    welcome = page.get(link)
    return page.submit(welcome, selector="main form[method=post]")


def _devices(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Device))


def test_a_link_opened_and_left_before_the_pin_opens_again(app, runner):
    child = demo(runner)["children"][0]
    link = _path(child["invite_url"])
    page = PageFetcher(app.test_client())
    choose = _start(page, link)
    assert choose.url == "/choose-pin"
    # Interrupted: the child closes the browser, and later taps the link in the text again.
    later = PageFetcher(app.test_client())
    welcome = later.get(link)
    assert welcome.soup.select_one("main form[method=post]") is not None
    choose = later.submit(welcome, selector="main form[method=post]")
    chat = later.submit(choose, {"pin": PIN, "pin_again": PIN}, selector="main form[method=post]")
    assert chat.url == "/chat"
    assert _devices(app) == 1
    with app.app_context():
        used = db.session.scalars(select(Invitation).where(Invitation.used_at.is_not(None))).all()
        assert [i.child.ref for i in used] == [child["ref"]]


def test_once_a_pin_is_chosen_the_link_explains_kindly_and_names_nobody(app, runner):
    child = demo(runner)["children"][0]
    link = _path(child["invite_url"])
    page = PageFetcher(app.test_client())
    choose = _start(page, link)
    page.submit(choose, {"pin": PIN, "pin_again": PIN}, selector="main form[method=post]")
    again = PageFetcher(app.test_client()).get(link, status=410)
    assert "already been used" in again.text and "It's not your fault" in again.text
    assert child["name"] not in again.text and child["ref"] not in again.text


def test_two_phones_open_one_link_and_the_first_pin_wins(app, runner):
    link = _path(demo(runner)["children"][0]["invite_url"])
    first, second = PageFetcher(app.test_client()), PageFetcher(app.test_client())
    first_choose, second_choose = _start(first, link), _start(second, link)
    won = second.submit(second_choose, {"pin": PIN, "pin_again": PIN}, selector="main form[method=post]")
    assert won.url == "/chat"
    lost = first.submit(
        first_choose, {"pin": "8351", "pin_again": "8351"}, selector="main form[method=post]", status=410
    )
    assert "already been used" in lost.text
    assert _devices(app) == 1


def test_a_link_that_expires_before_the_pin_is_chosen_says_so(app, runner):
    link = _path(demo(runner)["children"][0]["invite_url"])
    page = PageFetcher(app.test_client())
    _start(page, link)
    with time_machine.travel(clock.now() + timedelta(days=8), tick=False):
        old = page.get("/choose-pin", status=410)
    assert "too old" in old.text
    assert _devices(app) == 0


def test_the_pin_page_says_what_makes_a_good_pin_before_the_child_tries(app, runner):
    link = _path(demo(runner)["children"][0]["invite_url"])
    page = PageFetcher(app.test_client())
    choose = _start(page, link)
    assert "What makes a good PIN" in choose.text and "Not numbers in a row" in choose.text
    refused = page.submit(
        choose, {"pin": "1234", "pin_again": "1234"}, selector="main form[method=post]", status=400
    )
    assert "not in a row and not all the same" in refused.text


def _issued(response) -> set[str]:
    return {c.split("=", 1)[0] for c in response.headers.getlist("Set-Cookie")}


def test_a_used_or_expired_link_issues_no_session_or_phone_and_the_attempt_is_audited(app, runner):
    from voice.models import AuditEvent

    children = demo(runner)["children"]
    used, old = _path(children[0]["invite_url"]), _path(children[1]["invite_url"])
    owner = PageFetcher(app.test_client())
    owner.submit(_start(owner, used), {"pin": PIN, "pin_again": PIN}, selector="main form[method=post]")
    stranger = PageFetcher(app.test_client())
    tries = []
    with time_machine.travel(clock.now() + timedelta(days=8), tick=False):
        for link in (used, old):
            shown = stranger.client.get(link)
            token = stranger.get("/help").soup.select_one("input[name=csrf_token]")["value"]
            posted = stranger.client.post(link, data={"csrf_token": token})
            tries += [shown, posted]
    assert [r.status_code for r in tries] == [410] * 4
    issued = set().union(*(_issued(r) for r in tries))
    assert not issued & {"voice_auth", "voice_device", "__Host-voice_auth", "__Host-voice_device"}
    assert _devices(app) == 1
    with app.app_context():
        rejected = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "invite.rejected")).all()
        assert sorted(e.purpose for e in rejected) == ["expired", "used"]

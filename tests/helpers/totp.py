"""Staff second factor in tests: the switch on at a fixed time, and setting up an app through
the real pages (docs/adr/0023)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine

from tests import factories
from tests.helpers.auth import sign_in_staff
from tests.helpers.pages import PageFetcher
from voice.extensions import db

START = datetime(2026, 12, 7, 10, 0, 5, tzinfo=UTC)
CODE_FORM = "main form[method=post]"


@pytest.fixture
def totp_on(app, monkeypatch) -> Iterator[time_machine.Traveller]:
    """The second factor switched on, and the clock held at ``START`` (shift it by hand)."""
    monkeypatch.setitem(app.config, "VOICE_STAFF_TOTP", True)
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def now() -> datetime:
    from voice import clock

    return clock.now()


def code(secret: str, at: datetime | None = None) -> str:
    return pyotp.TOTP(secret).at(int((at or now()).timestamp()))


def new_staff(app, role: str = "social_worker", **kw) -> str:
    with app.app_context():
        person = factories.staff(role, team_=factories.team(), **kw)
        db.session.commit()
        return person.email


@dataclass(frozen=True)
class Enrolled:
    email: str
    secret: str
    recovery_codes: list[str]


def enrol(page: PageFetcher, email: str, traveller, *, sign_out: bool = True) -> Enrolled:
    """Sign in, set up the app from the typed key and confirm with its code.

    With ``sign_out`` the browser forgets the session and the clock moves on a minute, so the
    next code is a fresh one; without, ``page`` stays signed in.
    """
    setup = sign_in_staff(page, email)
    assert setup.url == "/staff/sign-in/set-up-code", setup.url
    secret = setup.soup.select_one(".totp-secret").get_text(strip=True)
    done = page.submit(setup, {"code": code(secret)}, selector=CODE_FORM)
    codes = [c.get_text(strip=True) for c in done.soup.select(".recovery-codes code")]
    assert len(codes) == 10
    if sign_out:
        page.client.delete_cookie("voice_auth")
    traveller.shift(timedelta(seconds=60))
    return Enrolled(email, secret, codes)


def sign_in_with_code(page: PageFetcher, email: str, secret: str):
    ask = sign_in_staff(page, email)
    assert ask.url == "/staff/sign-in/code", ask.url
    return page.submit(ask, {"code": code(secret)}, selector=CODE_FORM)

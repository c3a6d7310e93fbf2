"""THREATS row 1 under real serving: gunicorn with two worker processes shares one child's PIN
counter, because it lives in the database. Five wrong PINs spread over both workers lock the
phone, and the right PIN is then refused too."""

from __future__ import annotations

import json
import re

import requests

from bench import common, injection


def _pin(session: requests.Session, base: str, pin: str) -> requests.Response:
    fresh = requests.Session()  # a new connection each time, so both workers take turns
    fresh.cookies.update(session.cookies)
    return injection._post_form(fresh, base, "/sign-in", {"pin": pin})


def test_two_gunicorn_workers_share_one_pin_counter():
    database = common.fresh_database("sqlite")
    info = json.loads(database.flask("demo", "--json"))
    log = common.TMP / "shared-limits-access.log"
    log.unlink(missing_ok=True)
    with common.gunicorn("voice.wsgi:app", database.env(), workers=2, name="shared", access_log=log) as base:
        phone = injection._child(base, info)
        wrong = [_pin(phone, base, "9731") for _ in range(5)]
        right = _pin(phone, base, injection.PIN)
    assert [r.status_code for r in wrong] == [400] * 5
    assert "Too many tries" in wrong[-1].text
    assert right.status_code == 400 and "Too many tries" in right.text  # locked, even the right PIN
    served_by = set(re.findall(r'"POST /sign-in" \d+ pid=<(\d+)>', log.read_text()))
    assert len(served_by) == 2, f"the posts were not spread over both workers: {served_by}"

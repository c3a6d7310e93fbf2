"""THREATS row 1 under real serving: gunicorn with two worker processes shares one child's PIN
counter, because it lives in the database. Five wrong PINs spread over both workers lock the
phone, and the right PIN is then refused too."""

from __future__ import annotations

import json
import re

import pytest
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
        # Which worker takes a new connection is the kernel's choice: an idle machine can give
        # one worker all six posts, which proves nothing. Then try again with the next child.
        for attempt in range(3):
            before = log.read_text() if log.exists() else ""
            child = {**info, "children": info["children"][attempt:]}
            phone = injection._child(base, child)
            wrong = [_pin(phone, base, "9731") for _ in range(5)]
            right = _pin(phone, base, injection.PIN)
            log_now = log.read_text()[len(before) :]
            if len(set(re.findall(r'"POST /sign-in" \d+ pid=<(\d+)>', log_now))) == 2:
                break
    assert [r.status_code for r in wrong] == [400] * 5
    assert "Too many tries" in wrong[-1].text
    assert right.status_code == 400 and "Too many tries" in right.text  # locked, even the right PIN
    served_by = set(re.findall(r'"POST /sign-in" \d+ pid=<(\d+)>', log_now))
    if len(served_by) < 2:  # the lock held, but this run could not show it was shared
        pytest.xfail(f"three times the kernel gave one worker every post: {served_by}")


def test_wrong_pins_posted_at_the_same_moment_all_count_and_none_breaks():
    """Five wrong PINs in flight together, over both workers: each gets the kind 'wrong PIN' or
    'too many tries' page (an error page here was the counter's insert racing itself), and
    together they lock the phone."""
    from concurrent.futures import ThreadPoolExecutor

    database = common.fresh_database("sqlite")
    info = json.loads(database.flask("demo", "--json"))
    with common.gunicorn("voice.wsgi:app", database.env(), workers=2, name="racing") as base:
        phone = injection._child(base, info)
        with ThreadPoolExecutor(max_workers=5) as pool:
            wrong = list(pool.map(lambda _: _pin(phone, base, "9731"), range(5)))
        right = _pin(phone, base, injection.PIN)
    assert sorted(r.status_code for r in wrong) == [400] * 5
    assert right.status_code == 400 and "Too many tries" in right.text

"""The scenarios beyond the review (issue 27) in Chromium: each one, in English and Arabic,
with and without JavaScript, from the child's "Something else to say" menu to the sent page,
reaching the person its routing rule names.

The staff side that a scenario needs first (the child's contacts, a missing episode) is done
through the staff pages over HTTP, as a worker would; the browser is the child's phone.
"""

from __future__ import annotations

import re
import urllib.parse
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser import journeys

pytestmark = pytest.mark.browser

REF = "C-1006"  # Fen, allocated to Jo Marsh
CONTACTS = {  # who the per-child roles are, for this child
    "return_home_worker_id": "ola.bright@voice.example",
    "designated_teacher_id": "sam.rivers@voice.example",
}
EXPECTED = {  # who the rule in content/routing.yaml names
    "worker-visit": "jo.marsh@voice.example",
    "something-worrying": "jo.marsh@voice.example",
    "good-news": "jo.marsh@voice.example",
    "back-from-missing": "ola.bright@voice.example",
    "my-education": "sam.rivers@voice.example",
}
MODES = [("en", True), ("en", False), ("ar", True), ("ar", False)]
CASES = [
    pytest.param(flow, lang, js, id=f"{flow}-{lang}-{'js' if js else 'nojs'}")
    for flow in EXPECTED
    for lang, js in MODES
]


def _staff_post(server, ref: str, path: str, fields: dict[str, str]) -> str:
    worker = server.worker_of(ref)
    opener = server._staff_opener(worker["email"], worker["password"])
    child_id = uuid.UUID(server.sql("SELECT id FROM children WHERE ref = ?", ref)[0][0])
    base = f"{server.base_url}/staff/children/{child_id}"
    page = opener.open(base, timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
    return opener.open(f"{base}/{path}", data=form, timeout=30).read().decode()


def _staff_id(server, email: str) -> str:
    return str(server.sql("SELECT id FROM staff_members WHERE email = ?", email)[0][0])


def _answer(phone: journeys.Phone) -> None:
    """Answer the question on screen; a day is typed into the date box."""
    page = phone.page
    day = page.query_selector("form.answer-form input[type=date]")
    if day is None:
        journeys.answer_current(phone)
        return
    day.fill((datetime.now(ZoneInfo("Europe/London")).date() + timedelta(days=2)).isoformat())
    journeys.submit_and_wait(
        phone, lambda: page.click("form.answer-form fieldset button[type=submit]:not([name])")
    )


@pytest.mark.parametrize(("flow", "lang", "js"), CASES)
def test_scenario_journey(new_phone, flow: str, lang: str, js: bool) -> None:
    phone = new_phone(lang, js=js, label=f"{flow}-")
    server = phone.server
    _staff_post(
        server,
        REF,
        "contacts",
        {k: _staff_id(server, v) for k, v in CONTACTS.items()} | {"virtual_school_id": ""},
    )
    if flow == "back-from-missing":
        back = datetime.now(ZoneInfo("Europe/London")) - timedelta(hours=1)
        _staff_post(server, REF, "missing", {"returned_at": back.strftime("%Y-%m-%dT%H:%M")})

    journeys.enrol(phone, REF, audit=False)
    page = phone.page
    page.goto(phone.url("/something-else"))
    phone.audit.check(page, f"{flow}-menu")
    assert page.get_attribute("html", "lang") == lang
    with page.expect_navigation(wait_until="load"):
        page.click(f"form.scenarios button[name=flow][value='{flow}']")
    assert "/chat/" in page.url, page.url
    journey = journeys.Journey()
    for number in range(1, 20):
        node = journeys.current_node(phone)
        if node is None:
            break
        phone.audit.check(page, f"{flow}-{number:02d}-{node}")
        _answer(phone)
    journeys.review_and_send(phone, journey=journey)

    submission_id = uuid.UUID(journey.submission_url.rstrip("/").split("/")[-2]).hex
    routed = server.sql(
        "SELECT s.email, r.reason FROM routing_records r JOIN staff_members s ON s.id = r.recipient_staff_id "
        "WHERE r.submission_id = ?",
        submission_id,
    )
    assert routed and routed[0][0] == EXPECTED[flow], routed
    kind, urgent, language = server.sql(
        "SELECT kind, urgent, language FROM submissions WHERE id = ?", submission_id
    )[0]
    assert (kind, bool(urgent), language) == ("scenario", flow == "something-worrying", lang)
    if flow == "worker-visit":
        assert server.sql("SELECT count(*) FROM visits WHERE submission_id = ?", submission_id)[0][0] == 1
    phone.audit.assert_clean()

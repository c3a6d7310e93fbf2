"""A child's whole journey on a phone, in three languages, with and without JavaScript.

Invite link (with ``?lang=``) → start → PIN twice → choose the chat → answer every question
(tap, tick, type, and one skip) → check the answers → send → see the copy and My messages.
Every page on the way is audited (see audit.py); the language must stick from the first page.
"""

from __future__ import annotations

import uuid

import pytest

from tests.browser import journeys

pytestmark = pytest.mark.browser

# A different demo child for each run, so one journey never meets another's conversation.
# The words flow has every kind of answer (faces, choices, yes/no, ticks, typing).
CASES = [
    pytest.param("en", True, "C-1001", "pre-review", id="en-js"),
    pytest.param("en", False, "C-1002", "pre-review", id="en-nojs"),
    pytest.param("bn", True, "C-1004", "pre-review", id="bn-js"),
    pytest.param("bn", False, "C-1003", "pre-review-pictures", id="bn-nojs"),
    pytest.param("ar", True, "C-1005", "pre-review", id="ar-js"),
    pytest.param("ar", False, "C-1006", "pre-review-pictures", id="ar-nojs"),
]


@pytest.mark.parametrize(("lang", "js", "ref", "flow"), CASES)
def test_child_journey(new_phone, lang: str, js: bool, ref: str, flow: str) -> None:
    phone = new_phone(lang, js=js)
    journey = journeys.Journey()

    journeys.enrol(phone, ref, journey=journey)
    journeys.start_chat(phone, flow, journey=journey)
    journeys.answer_all(phone, journey=journey, skip_every=5)
    journeys.review_and_send(phone, journey=journey)
    journeys.read_my_copy(phone, journey=journey)

    assert len(journey.pages) >= 10, journey.pages
    submission_id = uuid.UUID(journey.submission_url.rstrip("/").split("/")[-2]).hex
    rows = phone.server.sql("SELECT language FROM submissions WHERE id = ?", submission_id)
    assert rows == [(lang,)], f"submission {submission_id}: {rows}"
    if js:
        # Every answer without a reload was announced in the polite live region.
        assert len(journey.announcements) == sum(
            p.startswith("chat-") and p != "chat-start" and p != "chat-end" for p in journey.pages
        )
        assert all(journey.announcements), journey.announcements
    phone.audit.assert_clean()

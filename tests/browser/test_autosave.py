"""Half-typed words are kept on the server while a child types, in real Chromium (THREATS row
46; voice/chat/autosave.py and the keeping part of voice/static/js/child.js): the server holds
what was typed up to the last save before the signal dropped, and the rest goes when it is back."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from tests.browser import journeys
from tests.browser.tools import ROOT

pytestmark = pytest.mark.browser

REF = "C-1006"
BOX = "form.answer-form textarea[name=answer]"
BEFORE_THE_DROP = "I want to see my brother"
AFTER_THE_DROP = " every Saturday, at his foster home"

_READ = """
import json, sys
from sqlalchemy import select
from voice import create_app
from voice.extensions import db
from voice.models import Child, Conversation
with create_app().app_context():
    child = Child.by_ref(sys.argv[1])
    open_ = select(Conversation).where(Conversation.child_id == child.id, Conversation.status == "open")
    row = db.session.scalar(open_)
    print(json.dumps(json.loads(row.autosave_encrypted)["text"] if row and row.autosave_encrypted else None))
"""


def _kept_on_server(phone: journeys.Phone) -> str | None:
    """The kept words as the server has them, decrypted by Voice's own code with its keys."""
    result = subprocess.run(
        [sys.executable, "-c", _READ, REF], env=phone.server.env, cwd=ROOT,
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def _saved_at(phone: journeys.Phone) -> str | None:
    rows = phone.server.sql(
        "SELECT autosaved_at FROM conversations WHERE status = 'open' AND child_id = "
        "(SELECT id FROM children WHERE ref = ?)",
        REF,
    )
    return rows[0][0] if rows else None


def _wait_for_a_save(phone: journeys.Phone, after: str | None, limit: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        saved = _saved_at(phone)
        if saved is not None and saved != after:
            return time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"nothing was saved within {limit} s")


def test_half_typed_words_reach_the_server_and_survive_a_network_drop(new_phone) -> None:
    phone = new_phone("en", js=True, label="autosave-")
    page = phone.page
    journeys.enrol(phone, REF, audit=False)
    try:
        journeys.start_chat(phone, audit=False)
        for _ in range(60):
            if page.query_selector(BOX):
                break
            journeys.answer_current(phone)
        else:
            pytest.fail("no question with a text box was reached")
        node = journeys.current_node(phone)

        page.click(BOX)
        page.keyboard.type(BEFORE_THE_DROP, delay=40)  # typing, never pressing the button
        waited = _wait_for_a_save(phone, None, limit=30)
        assert waited <= 30
        first_save = _saved_at(phone)
        assert _kept_on_server(phone) == BEFORE_THE_DROP

        phone.context.set_offline(True)  # the signal drops mid-answer
        page.keyboard.type(AFTER_THE_DROP, delay=40)
        time.sleep(14)  # longer than the page's longest wait between saves (10 s + 2 s)
        assert page.input_value(BOX) == BEFORE_THE_DROP + AFTER_THE_DROP
        assert _saved_at(phone) == first_save  # nothing could reach the server...
        assert _kept_on_server(phone) == BEFORE_THE_DROP  # ...and what it had is still there

        phone.context.set_offline(False)  # back online: the waiting save goes by itself
        _wait_for_a_save(phone, first_save, limit=30)
        assert _kept_on_server(phone) == BEFORE_THE_DROP + AFTER_THE_DROP
        assert journeys.current_node(phone) == node  # still not an answer: the child decides

        page.reload()  # as another tab, or this one after the phone restarted, would see it
        assert page.input_value(BOX) == BEFORE_THE_DROP + AFTER_THE_DROP
    finally:
        phone.server.discard_open_drafts(REF)  # other journeys start this child's chat afresh

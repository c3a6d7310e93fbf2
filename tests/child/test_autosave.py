"""Half-typed words kept on the server while the child types (voice/chat/autosave.py, THREATS
row 46), and the Idempotency-Key rules of that JSON post (voice/idempotency.py, THREATS row 45).
The page's script is checked in real Chromium in tests/browser/test_autosave.py."""

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.child.test_chat import chat_at_text_question, conversation_state
from tests.helpers.child import PIN
from tests.helpers.pages import PageFetcher
from voice import clock, idempotency, privacy
from voice.extensions import db
from voice.models import Child, Conversation, IdempotencyKey

WORDS = "I want to live with my nan 🙏 أريد"


def _form(chat) -> dict[str, str]:
    form = chat.form("form.answer-form")
    value = {
        name: form.find("input", attrs={"name": name})["value"] for name in ("node", "version", "csrf_token")
    }
    value["keep"] = form["data-keep"]
    return value


def _keep(
    client, form, text: str, *, key: str | None = None, version: int | None = None, raw: bytes | None = None
):
    headers = {"X-CSRFToken": form["csrf_token"], "Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    body = {
        "node": form["node"],
        "version": int(form["version"]) if version is None else version,
        "text": text,
    }
    return client.post(form["keep"], data=raw if raw is not None else json.dumps(body), headers=headers)


def _kept(app) -> tuple[str | None, object]:
    with app.app_context():
        conversation = db.session.scalar(select(Conversation))
        return conversation.autosave_encrypted, conversation.autosaved_at


def test_half_typed_words_are_kept_on_the_server_and_come_back_in_the_box(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    form = _form(chat)
    assert form["keep"].endswith("/keep") and chat.form("form.answer-form")["data-keep-every"] == "10"
    before = conversation_state(app)
    response = _keep(client, form, WORDS)
    assert response.status_code == 200 and response.json == {"kept": True}
    stored, _at = _kept(app)
    assert json.loads(stored)["text"] == WORDS
    assert conversation_state(app) == before  # kept beside the draft, not yet an answer
    again = page.get(chat.url)
    assert again.soup.select_one("form.answer-form textarea").get_text() == WORDS

    page.submit(again, selector="form.answer-form")  # pressing the button makes it an answer
    version, state = conversation_state(app)
    assert state["answers"][form["node"]]["value"] == WORDS and version == before[0] + 1
    assert _kept(app)[0] is None  # and what was kept is cleared


def test_after_forty_minutes_of_typing_the_kept_words_come_back_after_the_pin(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    form = _form(chat)
    start = clock.now()
    for minute, text in ((5, "I want"), (15, "I want to"), (25, "I want to live"), (35, WORDS)):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            assert _keep(client, form, text).status_code == 200  # still typing: still signed in
    with time_machine.travel(start + timedelta(minutes=35 + 16), tick=False):
        signed_out = _keep(client, form, WORDS + " and")  # the session ran out while they typed
        assert signed_out.status_code == 401 and signed_out.json["problem"] == "signed_out"
        pin_page = page.get(chat.url)
        assert pin_page.soup.select_one("input[name=pin]") is not None
        page.submit(pin_page, {"pin": PIN}, selector="main form[method=post]")
        back = page.get(chat.url)
        assert back.soup.select_one("form.answer-form textarea").get_text() == WORDS


def test_a_stale_second_device_gets_409_and_never_overwrites_the_newer_draft(app, client, kid):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    stale = _form(chat)
    assert _keep(client, stale, "first words").status_code == 200
    page.submit(chat, {"answer": WORDS}, selector="form.answer-form")  # the other phone answered
    newer = conversation_state(app)
    refused = _keep(client, stale, "words from the old screen")
    assert refused.status_code == 409
    assert refused.json["problem"] == "stale" and "changed on another phone" in refused.json["message"]
    assert conversation_state(app) == newer and _kept(app)[0] is None
    shown = page.get(chat.url)
    assert "words from the old screen" not in shown.text


def test_bad_bodies_get_a_kind_json_answer_and_change_nothing(app, client, kid):
    page = PageFetcher(client)
    form = _form(chat_at_text_question(page))
    assert _keep(client, form, "kept").status_code == 200
    for raw in (
        b"not json",
        b"[]",
        b'{"node": 1, "version": "x", "text": null}',
        b'{"node":"a","version":1}',
    ):
        refused = _keep(client, form, "", raw=raw)
        assert refused.status_code == 422 and "reload the page" in refused.json["message"]
    assert _keep(client, form, "nul\x00byte").status_code == 422
    too_long = _keep(client, form, "x" * 4001)
    assert too_long.status_code == 422 and "shorter" in too_long.json["message"]
    assert json.loads(_kept(app)[0])["text"] == "kept"
    no_token = client.post(form["keep"], json={"node": form["node"], "version": 1, "text": "forged"})
    assert no_token.status_code == 400
    assert json.loads(_kept(app)[0])["text"] == "kept"


def test_the_same_idempotency_key_and_body_gets_the_first_answer_and_runs_once(app, client, kid):
    page = PageFetcher(client)
    form = _form(chat_at_text_question(page))
    start = clock.now()
    with time_machine.travel(start, tick=False):
        first = _keep(client, form, WORDS, key="key-0001-aaaa")
    first_at = _kept(app)[1]
    with time_machine.travel(start + timedelta(seconds=20), tick=False):
        again = _keep(client, form, WORDS, key="key-0001-aaaa")  # a retry after a timeout
    assert (again.status_code, again.json) == (first.status_code, first.json)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _kept(app)[1] == first_at  # it did not run a second time
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 1


def test_the_same_idempotency_key_with_a_different_body_is_422_and_changes_nothing(app, client, kid):
    page = PageFetcher(client)
    form = _form(chat_at_text_question(page))
    assert _keep(client, form, WORDS, key="key-0002-bbbb").status_code == 200
    reused = _keep(client, form, "something else entirely", key="key-0002-bbbb")
    assert reused.status_code == 422 and reused.json["problem"] == "key_reused"
    assert json.loads(_kept(app)[0])["text"] == WORDS
    assert _keep(client, form, "something else entirely", key="key-0003-cccc").status_code == 200


def test_a_post_whose_key_is_still_in_flight_gets_409(app, client, kid):
    """The first post with this key has been taken and not answered yet (it is still running):
    the same post again must wait, not run beside it."""
    page = PageFetcher(client)
    form = _form(chat_at_text_question(page))
    body = json.dumps({"node": form["node"], "version": int(form["version"]), "text": WORDS}).encode()
    with app.app_context():
        child_id = Child.by_ref(kid).id
        print_ = idempotency.fingerprint("POST", form["keep"], body)
        assert idempotency.claim(f"child:{child_id}", "key-0004-dddd", print_).outcome == "new"
    busy = _keep(client, form, "", key="key-0004-dddd", raw=body)
    assert (
        busy.status_code == 409 and busy.json["problem"] == "in_flight" and busy.headers["Retry-After"] == "1"
    )
    assert _kept(app)[0] is None  # the second copy did not run
    with app.app_context():
        idempotency.finish(f"child:{child_id}", "key-0004-dddd", 200, '{"kept": true}')
    assert _keep(client, form, "", key="key-0004-dddd", raw=body).status_code == 200


def test_a_malformed_key_is_refused_and_keys_are_forgotten_after_a_day(app, client, kid):
    page = PageFetcher(client)
    form = _form(chat_at_text_question(page))
    assert _keep(client, form, WORDS, key="short").status_code == 400
    assert _keep(client, form, WORDS, key="has a space in it").status_code == 400
    assert _kept(app)[0] is None
    assert _keep(client, form, WORDS, key="key-0005-eeee").status_code == 200
    with time_machine.travel(clock.now() + timedelta(hours=25), tick=False), app.app_context():
        assert idempotency.forget_old() == 1


def test_eight_simultaneous_copies_of_one_keyed_post_run_it_once(app, client, kid):
    """Threads post the same key and body at once (on PostgreSQL too, with
    VOICE_TEST_DATABASE_URL): one runs; the rest get its answer replayed, or 409 while it runs."""
    page = PageFetcher(client)
    form = _form(chat_at_text_question(page))
    body = json.dumps({"node": form["node"], "version": int(form["version"]), "text": WORDS})
    headers = {
        "X-CSRFToken": form["csrf_token"],
        "Content-Type": "application/json",
        "Idempotency-Key": "key-0006-ffff",
    }
    answers, barrier = [], threading.Barrier(8)

    def post():
        with app.test_client() as c:
            for cookie in ("voice_auth", "voice", "voice_device"):
                c.set_cookie(cookie, client.get_cookie(cookie).value)
            barrier.wait()
            response = c.post(form["keep"], data=body, headers=headers)
            answers.append((response.status_code, response.headers.get("Idempotent-Replayed")))

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ran = [a for a in answers if a == (200, None)]
    assert len(answers) == 8 and len(ran) == 1, answers
    assert all(a in ((200, "true"), (409, None)) for a in answers if a not in ran), answers
    assert json.loads(_kept(app)[0])["text"] == WORDS
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 1


@pytest.mark.parametrize("headers", [{"Origin": "null"}, {}], ids=["origin-null", "no-origin-no-referer"])
def test_a_refused_post_after_the_session_ran_out_keeps_the_autosaved_draft(
    app, client, kid, caplog, headers
):
    """THREATS 27: a child whose session ran out posts with a token that no longer holds (from
    Voice's own page, so Origin: null or nothing). The post is refused and logged, nothing is
    changed, and the words kept while they typed come back after the PIN."""
    page = PageFetcher(client)
    chat = chat_at_text_question(page)
    form = _form(chat)
    assert _keep(client, form, WORDS).status_code == 200
    before = conversation_state(app)
    with time_machine.travel(clock.now() + timedelta(minutes=20), tick=False):
        with caplog.at_level(logging.WARNING, logger="voice.errors"):
            refused = client.post(
                chat.url,
                data={
                    "csrf_token": "ran-out",
                    "node": form["node"],
                    "version": form["version"],
                    "answer": "x",
                },
                headers=headers,
            )
        assert refused.status_code == 400
        assert any(r.getMessage().startswith("csrf: form refused") for r in caplog.records)
        assert conversation_state(app) == before
        assert json.loads(_kept(app)[0])["text"] == WORDS
        pin_page = page.get(chat.url)
        page.submit(pin_page, {"pin": PIN}, selector="main form[method=post]")
        back = page.get(chat.url)
        assert back.soup.select_one("form.answer-form textarea").get_text() == WORDS


def test_a_subject_access_bundle_includes_words_being_typed(app, client, kid):
    page = PageFetcher(client)
    form = _form(chat_at_text_question(page))
    assert _keep(client, form, WORDS).status_code == 200
    with app.test_request_context():
        bundle = json.loads(privacy.export(kid, received=clock.now().date()))
    assert [c["being_typed"]["text"] for c in bundle["conversations"]] == [WORDS]

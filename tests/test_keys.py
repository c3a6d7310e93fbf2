"""Key rotation (voice/keys.py, ``flask --app voice keys status|rotate``)."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import Text, select, type_coerce, update

from tests import factories
from voice import crypto, keys
from voice.extensions import db
from voice.models import Conversation

OLD = {"old": b"o" * 32}
BOTH = {"new": b"n" * 32, "old": b"o" * 32}
NEW_ONLY = {"new": b"n" * 32}


@pytest.fixture
def ring(app_ctx: Flask) -> Iterator[None]:
    """Run with our own keys, and put the suite's keyring back afterwards."""
    yield
    crypto.install_keyring(app_ctx.config["VOICE_DATA_KEYS"])


def _conversation(words: str) -> Conversation:
    child = factories.child()
    conversation = Conversation(
        child_id=child.id, flow_id="pre-review", content_version="test", state={"said": words}
    )
    db.session.add(conversation)
    db.session.commit()
    return conversation


def _stored(conversation_id) -> str:
    return db.session.scalar(
        select(type_coerce(Conversation.state_encrypted, Text())).where(Conversation.id == conversation_id)
    )


def _set_stored(conversation_id, value: str) -> None:
    db.session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(state_encrypted=type_coerce(value, Text()))
    )
    db.session.commit()


def _tamper(stored: str) -> str:
    prefix, kid, b64 = stored.split(":", 2)
    raw = bytearray(base64.b64decode(b64))
    raw[-1] ^= 1
    return f"{prefix}:{kid}:{base64.b64encode(bytes(raw)).decode()}"


def test_rotate_moves_old_text_to_the_new_key_so_the_old_key_can_be_dropped(ring) -> None:
    crypto.install_keyring(OLD)
    first = _conversation("I want to stay at my school 👩‍👧 ممنوع").id
    second = _conversation("second child").id
    assert crypto.Keyring.key_id_of(_stored(first)) == "old"

    crypto.install_keyring(BOTH)
    before = {r.name: r for r in keys.status()}["conversations.state_encrypted"]
    assert before.by_key["old"] >= 2 and before.by_key["new"] == 0

    report = {r.name: r for r in keys.rotate(batch=1)}["conversations.state_encrypted"]
    assert report.rewritten >= 2 and report.unreadable == 0
    assert crypto.Keyring.key_id_of(_stored(first)) == "new"
    after = {r.name: r for r in keys.status()}["conversations.state_encrypted"]
    assert after.by_key["old"] == 0

    # With the old key removed, every child's words still read exactly as written.
    crypto.install_keyring(NEW_ONLY)
    db.session.expire_all()
    assert db.session.get(Conversation, first).state == {"said": "I want to stay at my school 👩‍👧 ممنوع"}
    assert db.session.get(Conversation, second).state == {"said": "second child"}

    # Running it again changes nothing.
    again = {r.name: r for r in keys.rotate()}["conversations.state_encrypted"]
    assert again.rewritten == 0


def test_unreadable_values_are_counted_and_left_untouched(ring) -> None:
    crypto.install_keyring(OLD)
    good = _conversation("fine").id
    bad = _conversation("tampered with").id
    broken = _tamper(_stored(bad))
    _set_stored(bad, broken)

    crypto.install_keyring(BOTH)
    report = {r.name: r for r in keys.rotate()}["conversations.state_encrypted"]
    assert report.unreadable == 1
    assert _stored(bad) == broken  # never rewritten
    assert crypto.Keyring.key_id_of(_stored(good)) == "new"


def test_a_value_saved_meanwhile_is_not_overwritten_with_the_older_text(ring) -> None:
    crypto.install_keyring(OLD)
    conversation_id = _conversation("before").id
    stale = _stored(conversation_id)
    crypto.install_keyring(BOTH)
    # The child saves again (under the new key) after rotation read the old value.
    db.session.get(Conversation, conversation_id).state = {"said": "after"}
    db.session.commit()
    report = keys.ColumnReport("conversations", "state_encrypted")
    table = Conversation.__table__
    keys._rewrite(
        crypto.keyring(), table, table.c.state_encrypted, table.c.id, conversation_id, stale, report
    )
    db.session.commit()
    assert report.changed_meanwhile == 1 and report.rewritten == 0
    db.session.expire_all()
    assert db.session.get(Conversation, conversation_id).state == {"said": "after"}


def test_cli_reports_and_fails_loudly_when_something_could_not_be_read(ring, app_ctx: Flask) -> None:
    crypto.install_keyring(OLD)
    bad = _conversation("x").id
    _set_stored(bad, _tamper(_stored(bad)))
    crypto.install_keyring(BOTH)
    runner = app_ctx.test_cli_runner()
    status = runner.invoke(args=["keys", "status"])
    assert status.exit_code == 0, status.output
    assert "active key: new" in status.output and "conversations.state_encrypted" in status.output
    rotated = runner.invoke(args=["keys", "rotate"])
    assert rotated.exit_code != 0
    assert "could not be read" in rotated.output

"""Encrypted fields are bound to their table, column and row (issue 25, docs/adr/0029).

A ciphertext copied by someone with write access to the database into another row, or into
another column of the same row, no longer decrypts: it reads as "cannot be shown", never as the
other person's words. Older v1 values (one fixed associated-data string) still read, and
``keys rotate`` binds them to their row. Runs on SQLite and, with VOICE_TEST_DATABASE_URL, on
PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Text, select, type_coerce, update

from tests import factories
from voice import crypto, keys
from voice.crypto import Keyring, KeyringError, UnreadableText, place_of
from voice.extensions import db
from voice.models import Child, Conversation, StaffTotp


def _column(attribute):
    return attribute.property.columns[0]


def _raw(attribute, row_id) -> str:
    column = _column(attribute)
    (key,) = column.table.primary_key.columns
    return db.session.scalar(select(type_coerce(column, Text())).where(key == row_id))


def _put_raw(attribute, row_id, stored: str) -> None:
    column = _column(attribute)
    (key,) = column.table.primary_key.columns
    db.session.execute(
        update(column.table).where(key == row_id).values({column: type_coerce(stored, Text())})
    )
    db.session.commit()
    db.session.expire_all()


def _children(*addresses: str) -> list:
    made = [
        factories.child(placement_address=a, carer_phone=f"0770090{i:04d}") for i, a in enumerate(addresses)
    ]
    db.session.commit()
    return [c.id for c in made]


def _totps(*secrets: str) -> list[int]:
    rows = [StaffTotp(staff_id=factories.staff().id, secret=s, last_step=0) for s in secrets]
    db.session.add_all(rows)
    db.session.commit()
    return [r.id for r in rows]


def _conversation(words: str):
    conversation = Conversation(
        child_id=factories.child().id, flow_id="pre-review", content_version="test", state={"said": words}
    )
    db.session.add(conversation)
    db.session.commit()
    return conversation.id


def test_a_uuid_row_given_another_rows_ciphertext_reads_as_cannot_be_shown(app_ctx, caplog) -> None:
    first, second = _children("1 Elm Road", "2 Oak Lane")
    taken = _raw(Child.placement_address, first)
    own = _raw(Child.placement_address, second)
    _put_raw(Child.placement_address, second, taken)

    moved = db.session.get(Child, second).placement_address
    assert isinstance(moved, UnreadableText) and "Elm" not in moved
    # A Core select of the column checks the row as the ORM load does.
    (selected,) = db.session.execute(select(Child.placement_address).where(Child.id == second)).one()
    assert isinstance(selected, UnreadableText)
    assert db.session.get(Child, first).placement_address == "1 Elm Road"
    assert f"children.placement_address row {second.hex}" in caplog.text

    _put_raw(Child.placement_address, second, own)  # the ciphertext was never damaged, only moved
    assert db.session.get(Child, second).placement_address == "2 Oak Lane"


def test_an_integer_row_given_another_rows_ciphertext_reads_as_cannot_be_shown(app_ctx) -> None:
    first, second = _totps("JBSWY3DPEHPK3PXP", "KRSXG5CTMVRXEZLU")
    _put_raw(StaffTotp.secret, second, _raw(StaffTotp.secret, first))
    assert isinstance(db.session.get(StaffTotp, second).secret, UnreadableText)
    assert db.session.get(StaffTotp, first).secret == "JBSWY3DPEHPK3PXP"
    with pytest.raises(crypto.UnreadableValue):
        crypto.readable(db.session.get(StaffTotp, second).secret)


def test_a_ciphertext_moved_to_another_column_of_the_same_row_reads_as_cannot_be_shown(app_ctx) -> None:
    (child_id,) = _children("3 Ash Close")
    address = _raw(Child.placement_address, child_id)
    phone = _raw(Child.carer_phone, child_id)
    _put_raw(Child.placement_address, child_id, phone)
    _put_raw(Child.carer_phone, child_id, address)
    child = db.session.get(Child, child_id)
    assert isinstance(child.placement_address, UnreadableText)
    assert isinstance(child.carer_phone, UnreadableText)


def test_a_stored_value_cannot_name_a_row_of_its_own_choosing(app_ctx) -> None:
    """Only the SQL puts ``table|column|id|`` in front; a stored value that starts with another
    row's place is still read against the row it is in, and a select without the id trusts none."""
    first, second = _children("8 Holly Mews", "9 Rowan Road")
    taken = _raw(Child.placement_address, first)
    _put_raw(Child.placement_address, second, f"children|placement_address|{first.hex}|{taken}")
    assert isinstance(db.session.get(Child, second).placement_address, UnreadableText)
    without_id = select(Child.placement_address).where(Child.id == second).subquery()
    assert isinstance(db.session.scalar(select(without_id.c.placement_address)), UnreadableText)
    # ...and a genuine value read without its row's id is not trusted either (fail closed).
    only_first = select(Child.placement_address).where(Child.id == first).subquery()
    assert isinstance(db.session.scalar(select(only_first.c.placement_address)), UnreadableText)


def test_an_integer_id_is_in_the_associated_data_once_the_insert_is_done(app_ctx) -> None:
    (row_id,) = _totps("JBSWY3DPEHPK3PXP")
    stored = _raw(StaffTotp.secret, row_id)
    column = _column(StaffTotp.secret)
    assert stored.startswith("v2:")
    assert crypto.keyring().decrypt(stored, place_of(column, row_id)) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(KeyringError, match="authentication failed"):
        crypto.keyring().decrypt(stored, place_of(column, None))  # what the INSERT sealed it to
    with pytest.raises(KeyringError, match="without its row"):
        crypto.keyring().decrypt(stored)


def test_a_bare_string_cannot_be_written_to_an_encrypted_column_behind_the_orms_back(app_ctx) -> None:
    (row_id,) = _totps("JBSWY3DPEHPK3PXP")
    with pytest.raises(Exception, match="needs its row"):
        db.session.execute(update(StaffTotp).where(StaffTotp.id == row_id).values(secret="plain"))
    db.session.rollback()


def _make_v1(attribute, row_id, plaintext: str) -> None:
    """Write a value the way Voice did before rows were bound (v1, fixed associated data)."""
    _put_raw(attribute, row_id, crypto.keyring().encrypt(plaintext))


def test_v1_values_still_read_and_keys_rotate_binds_them_once(app_ctx) -> None:
    first, second = _children("4 Birch Way", "5 Pine Row")
    (totp,) = _totps("JBSWY3DPEHPK3PXP")
    _make_v1(Child.placement_address, first, "4 Birch Way")
    _make_v1(Child.carer_phone, second, "07700 900123")
    _make_v1(StaffTotp.secret, totp, "JBSWY3DPEHPK3PXP")
    assert _raw(Child.placement_address, first).startswith("v1:")
    assert db.session.get(Child, first).placement_address == "4 Birch Way"
    assert db.session.get(StaffTotp, totp).secret == "JBSWY3DPEHPK3PXP"
    before = {r.name: r.unbound for r in keys.status()}
    assert before["children.placement_address"] == 1 and before["staff_totp.secret"] == 1

    reports = {r.name: r for r in keys.rotate()}
    assert reports["children.placement_address"].bound == 1
    assert reports["children.carer_phone"].bound == 1
    assert reports["staff_totp.secret"].bound == 1
    assert sum(r.unreadable for r in reports.values()) == 0
    assert {r.name: r.unbound for r in keys.status()} == dict.fromkeys(before, 0)
    db.session.expire_all()
    assert db.session.get(Child, first).placement_address == "4 Birch Way"
    assert db.session.get(Child, second).carer_phone == "07700 900123"
    assert db.session.get(StaffTotp, totp).secret == "JBSWY3DPEHPK3PXP"

    # Now bound: the same swap that v1 could not notice is caught.
    _put_raw(Child.placement_address, second, _raw(Child.placement_address, first))
    assert isinstance(db.session.get(Child, second).placement_address, UnreadableText)

    stored = _raw(Child.placement_address, first)
    again = keys.rotate()
    assert sum(r.rewritten for r in again) == 0
    assert _raw(Child.placement_address, first) == stored  # nothing written the second time


def test_a_rotation_interrupted_part_way_is_finished_by_running_it_again(app_ctx) -> None:
    ids = [_conversation(f"words {n}") for n in range(3)]
    for n, conversation_id in enumerate(ids):
        _make_v1(Conversation.state_encrypted, conversation_id, f'{{"said": "words {n}"}}')
    # A run that stopped after rewriting one row (its batch committed, the rest not reached).
    table = Conversation.__table__
    report = keys.ColumnReport("conversations", "state_encrypted")
    keys._rewrite(crypto.keyring(), table, table.c.state_encrypted, table.c.id, ids[0],
                  _raw(Conversation.state_encrypted, ids[0]), report)  # fmt: skip
    db.session.commit()
    assert report.bound == 1

    finished = {r.name: r for r in keys.rotate(batch=1)}["conversations.state_encrypted"]
    assert (finished.rewritten, finished.bound) == (2, 2)
    db.session.expire_all()
    assert [db.session.get(Conversation, i).state for i in ids] == [{"said": f"words {n}"} for n in range(3)]
    assert {r.name: r for r in keys.rotate()}["conversations.state_encrypted"].rewritten == 0


def test_keys_rotate_command_says_how_many_it_bound(app_ctx) -> None:
    (child_id,) = _children("6 Yew Court")
    _make_v1(Child.placement_address, child_id, "6 Yew Court")
    runner = app_ctx.test_cli_runner()
    status = runner.invoke(args=["keys", "status"])
    assert "children.placement_address" in status.output and "not yet bound to their row: 1" in status.output
    first = runner.invoke(args=["keys", "rotate"])
    assert first.exit_code == 0, first.output
    assert "children.placement_address: 1 re-encrypted (1 newly bound to their row)" in first.output
    second = runner.invoke(args=["keys", "rotate"])
    assert "children.placement_address: 0 re-encrypted (0 newly bound to their row)" in second.output


def test_a_key_change_and_row_binding_rotate_together(app_ctx) -> None:
    """Old key and old format at once: one rotation moves the value to the new key, bound."""
    (child_id,) = _children("7 Fir Street")
    suite, old = crypto.keyring().keys, {"old": b"o" * 32}
    crypto.install_keyring(old)
    _make_v1(Child.placement_address, child_id, "7 Fir Street")
    crypto.install_keyring({"new": b"n" * 32, **old, **suite})
    reports = {r.name: r for r in keys.rotate()}
    assert reports["children.placement_address"].bound == 1
    assert sum(r.unreadable for r in reports.values()) == 0
    stored = _raw(Child.placement_address, child_id)
    assert Keyring.key_id_of(stored) == "new" and Keyring.is_row_bound(stored)
    crypto.install_keyring({"new": b"n" * 32, **suite})
    db.session.expire_all()
    assert db.session.get(Child, child_id).placement_address == "7 Fir Street"


def test_after_rotation_an_old_unbound_copy_can_be_refused(app_ctx, monkeypatch) -> None:
    """An old v1 value put back into a field (from a backup, or another row's copy) cannot be
    told from an honest one while v1 is accepted; with VOICE_BOUND_FIELDS_ONLY it is refused."""
    first, second = _children("7 Elm Close", "8 Oak Lane")
    _make_v1(Child.placement_address, first, "7 Elm Close")
    old_copy = _raw(Child.placement_address, first)
    keys.rotate()
    runner = app_ctx.test_cli_runner()
    assert "set VOICE_BOUND_FIELDS_ONLY=1" in runner.invoke(args=["keys", "status"]).output

    _put_raw(Child.placement_address, second, old_copy)  # first child's address, onto the second
    db.session.expire_all()
    assert db.session.get(Child, second).placement_address == "7 Elm Close"  # the gap

    monkeypatch.setattr(crypto.keyring(), "bound_fields_only", True)
    db.session.expire_all()
    assert isinstance(db.session.get(Child, second).placement_address, UnreadableText)
    assert db.session.get(Child, first).placement_address == "7 Elm Close"  # bound values still read
    assert "unbound values are refused" not in runner.invoke(args=["keys", "status"]).output
    keys.rotate()  # the refused value is reported, never rewritten under a new key
    assert _raw(Child.placement_address, second) == old_copy


def test_the_setting_is_read_from_the_environment(app_ctx) -> None:
    from voice.config import settings_from_env

    assert settings_from_env({"VOICE_BOUND_FIELDS_ONLY": "1"})["VOICE_BOUND_FIELDS_ONLY"] is True
    assert app_ctx.config["VOICE_BOUND_FIELDS_ONLY"] is False

import base64
import os

import pytest
from sqlalchemy import text

from voice import crypto
from voice.crypto import Keyring, KeyringError, UnreadableText

K1 = {"k1": b"1" * 32}
K2 = {"k2": b"2" * 32, "k1": b"1" * 32}


def test_round_trip_keeps_emoji_rtl_and_surrogates_exactly():
    ring = Keyring(K1)
    for value in ["hello", "👩‍👩‍👧‍👦 family", "مرحبا \u202eabc", "lone \ud800 surrogate", "", "x" * 100_000]:
        assert ring.decrypt(ring.encrypt(value)) == value


def test_each_encryption_uses_a_fresh_nonce():
    ring = Keyring(K1)
    assert ring.encrypt("same") != ring.encrypt("same")


def test_rotation_reads_old_rows_and_writes_with_the_new_key():
    old = Keyring(K1).encrypt("written long ago")
    ring = Keyring(K2)
    assert ring.decrypt(old) == "written long ago"
    assert Keyring.key_id_of(ring.encrypt("new")) == "k2"


def test_tampering_is_detected():
    ring = Keyring(K1)
    stored = ring.encrypt("do not change me")
    prefix, kid, b64 = stored.split(":", 2)
    raw = bytearray(base64.b64decode(b64))
    raw[-1] ^= 1
    tampered = f"{prefix}:{kid}:{base64.b64encode(bytes(raw)).decode()}"
    with pytest.raises(KeyringError, match="authentication failed"):
        ring.decrypt(tampered)


def test_wrong_key_and_unknown_key_id_fail():
    stored = Keyring(K1).encrypt("x")
    with pytest.raises(KeyringError):
        Keyring({"k1": b"9" * 32}).decrypt(stored)
    with pytest.raises(KeyringError, match="no key"):
        Keyring({"k3": b"3" * 32}).decrypt(stored)


PLACE = crypto.Place("children", "carer_phone", "7")


def test_row_bound_values_read_only_in_their_own_table_column_and_row():
    ring = Keyring(K1)
    stored = ring.encrypt("07700 900123", PLACE)
    assert stored.startswith("v2:k1:") and ring.decrypt(stored, PLACE) == "07700 900123"
    for elsewhere in (
        crypto.Place("children", "carer_phone", "8"),
        crypto.Place("children", "placement_address", "7"),
        crypto.Place("replies", "carer_phone", "7"),
    ):
        with pytest.raises(KeyringError, match="moved from another row or column"):
            ring.decrypt(stored, elsewhere)


def test_v1_values_still_decrypt_wherever_they_are():
    ring = Keyring(K1)
    old = ring.encrypt("written before rows were bound")
    assert old.startswith("v1:k1:") and not Keyring.is_row_bound(old)
    assert ring.decrypt(old, PLACE) == ring.decrypt(old) == "written before rows were bound"


def test_the_same_uuid_row_id_reads_alike_from_sqlite_and_postgresql():
    import uuid

    row = uuid.uuid4()
    assert crypto.row_ref(row) == crypto.row_ref(str(row)) == crypto.row_ref(row.hex) == row.hex
    assert crypto.row_ref(42) == crypto.row_ref("42") == "42"


def test_column_type_returns_a_visible_placeholder_for_tampered_values(app_ctx, caplog):
    column = crypto.EncryptedText()
    old = crypto.keyring().encrypt("fine")  # v1 reads without its row
    assert column.process_result_value(old, None) == "fine"
    broken = old[:-4] + ("AAAA" if not old.endswith("AAAA") else "BBBB")
    value = column.process_result_value(broken, None)
    assert isinstance(value, UnreadableText)
    assert "could not be read" in value
    assert "could not be read" in caplog.text
    # A v2 value reaching the column type without its row's id is not trusted.
    bound = column.process_bind_param(crypto.RowText("fine", PLACE), None)
    assert isinstance(column.process_result_value(bound, None), UnreadableText)


def test_app_refuses_to_start_with_a_wrong_key_for_an_existing_database(app, database_url, tmp_path):
    from tests.conftest import BASE_OVERRIDES
    from voice import create_app

    with app.app_context():
        from voice.extensions import db

        crypto.verify_keys_against_database(db.engine)  # make sure the check value exists
    wrong = {"dev1": os.urandom(32)}
    with pytest.raises(KeyringError, match="does not match"):
        create_app(
            {
                **BASE_OVERRIDES,
                "SQLALCHEMY_DATABASE_URI": database_url,
                "VOICE_DATA_KEYS": wrong,
                "VOICE_INSTANCE_DIR": str(tmp_path),
            }
        )
    crypto.install_keyring(app.config["VOICE_DATA_KEYS"])


def test_canary_is_not_in_the_raw_database(app_ctx, database_url):
    from voice.extensions import db

    canary = "CANARY-7f3a-purple-giraffe"
    column = crypto.EncryptedText()
    db.session.execute(text("CREATE TABLE IF NOT EXISTS canary_probe (v TEXT)"))
    db.session.execute(
        text("INSERT INTO canary_probe (v) VALUES (:v)"),
        {"v": column.process_bind_param(crypto.RowText(canary, PLACE), None)},
    )
    db.session.commit()
    try:
        if database_url.startswith("sqlite"):
            with open(database_url.removeprefix("sqlite:///"), "rb") as fh:
                raw = fh.read()
            assert canary.encode() not in raw
        else:
            dumped = db.session.execute(text("SELECT string_agg(v, '') FROM canary_probe")).scalar()
            assert canary not in dumped
    finally:
        db.session.execute(text("DROP TABLE canary_probe"))
        db.session.commit()

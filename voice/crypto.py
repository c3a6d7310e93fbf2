"""Field-level encryption for a child's free text (AES-256-GCM with key ids), bound to its row.

Stored forms: ``v2:<kid>:<base64(nonce || ciphertext+tag)>``, whose associated data names the
table, the column and the row's id, so a value copied into another row or column no longer
decrypts; and the older ``v1:<kid>:…``, whose associated data was one fixed string. v1 values
still read; ``flask --app voice keys rotate`` rewrites them as v2 (docs/adr/0029).

The first key in ``VOICE_DATA_KEYS`` encrypts; every listed key decrypts, so keys can rotate:
add a new key first, run ``keys rotate`` to re-encrypt, then drop the old key.

How a column learns its row: on write, ORM flush events (``voice/models/row_binding.py``)
hand :class:`EncryptedText` a :class:`RowText`, the plaintext with its :class:`Place`; a Core
``update`` passes ``for_row(...)`` itself, and a bare string is refused. On read, the column
type selects the row's id next to the ciphertext (:meth:`EncryptedText.column_expression`), so
ORM loads and Core selects alike check the binding.

A tampered, moved or undecryptable value never crashes a page. It comes back as
:class:`UnreadableText`, a ``str`` that says so; a security log line is written and, in a
request, the place is remembered for an audit event (:func:`drain_unreadable`). Code that must
parse a value (JSON, base64, a TOTP secret) calls :func:`readable`, which raises
:class:`UnreadableValue` for the error handler to turn into a kind page.
"""

from __future__ import annotations

import base64
import logging
import os
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Column, Text, cast, literal_column, type_coerce
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)
security_log = logging.getLogger("voice.security")

PREFIX = "v1"  # one fixed associated-data string: still read, no longer written to fields
ROW_PREFIX = "v2"  # associated data = table, column and row id
_AAD = b"voice-field-v1"
_ROW_AAD = b"voice-field-v2"
_SEP = "|"  # between the place and the ciphertext in what a select hands back; in no id or name


class KeyringError(RuntimeError):
    """The keyring is missing, or cannot read data already stored."""


class UnreadableValue(RuntimeError):
    """Code needed the contents of a value that failed its check (see :func:`readable`)."""


def row_ref(value: Any) -> str:
    """The row id as associated data: the same text for the same row on SQLite and PostgreSQL."""
    if isinstance(value, uuid.UUID):
        return value.hex
    text = str(value)
    if len(text) in (32, 36):
        try:
            return uuid.UUID(text).hex
        except ValueError:
            pass
    return text


@dataclass(frozen=True)
class Place:
    """Where a value lives. ``row`` is empty while an integer id is not yet known (at INSERT)."""

    table: str
    column: str
    row: str

    def aad(self) -> bytes:
        return b"\x00".join([_ROW_AAD, self.table.encode(), self.column.encode(), self.row.encode()])

    def __str__(self) -> str:
        return f"{self.table}.{self.column} row {self.row or '(new)'}"


def place_of(column: Column, row_id: Any) -> Place:
    return Place(column.table.name, column.name, "" if row_id is None else row_ref(row_id))


class RowText(str):
    """Plaintext on its way into an encrypted column, with the place it is written to."""

    place: Place

    def __new__(cls, text: str, place: Place) -> RowText:
        obj = super().__new__(cls, text)
        obj.place = place
        return obj


def for_row(column: Column, row_id: Any, text: str | None) -> RowText | None:
    """For a Core ``insert``/``update`` of an encrypted column: the value and its row."""
    return None if text is None else RowText(text, place_of(column, row_id))


class UnreadableText(str):
    """Placeholder for a value that failed authentication.

    As a ``str`` it reads as a plain English warning (logs, exports). In a template it renders
    through :attr:`shown_as`, which the app sets to the translated "cannot be shown" message.
    """

    unreadable = True
    shown_as: Callable[[], str] | None = None

    def __new__(cls, reason: str = "", place: Place | None = None) -> UnreadableText:
        obj = super().__new__(cls, "[This text could not be read safely. The team has been told.]")
        obj.reason = reason  # type: ignore[attr-defined]
        obj.place = place  # type: ignore[attr-defined]
        return obj

    def __html__(self) -> str:
        render = UnreadableText.shown_as
        return render() if render is not None else str(self)


def readable(value: str) -> str:
    """``value`` itself, or :class:`UnreadableValue` when it failed its check."""
    if isinstance(value, UnreadableText):
        raise UnreadableValue(getattr(value, "place", None))
    return value


class Keyring:
    def __init__(self, keys: dict[str, bytes], *, bound_fields_only: bool = False):
        if not keys:
            raise KeyringError("no data keys configured")
        self.keys = dict(keys)
        self.active_kid = next(iter(keys))
        # Once `keys rotate` has bound every field to its row, an old v1 value in a field can
        # only be one copied back from a backup or another row: refuse it (ADR 0029).
        self.bound_fields_only = bound_fields_only

    def encrypt(self, plaintext: str, place: Place | None = None) -> str:
        """v2 bound to ``place``; without one, v1 (for values that are not fields: key checks)."""
        prefix, aad = (PREFIX, _AAD) if place is None else (ROW_PREFIX, place.aad())
        nonce = os.urandom(12)
        data = AESGCM(self.keys[self.active_kid]).encrypt(
            nonce, plaintext.encode("utf-8", "surrogatepass"), aad
        )
        return f"{prefix}:{self.active_kid}:{base64.b64encode(nonce + data).decode('ascii')}"

    def decrypt(self, stored: str, place: Place | None = None) -> str:
        """Decrypt, raising KeyringError on any malformed, unknown-key, tampered or moved value."""
        try:
            prefix, kid, b64 = stored.split(":", 2)
            if prefix not in (PREFIX, ROW_PREFIX):
                raise ValueError("unknown format")
            raw = base64.b64decode(b64, validate=True)
        except ValueError as exc:
            raise KeyringError("stored value is not in the encrypted format") from exc
        if prefix == ROW_PREFIX and place is None:
            raise KeyringError("value is bound to a row but was read without its row's id")
        if prefix == PREFIX and place is not None and self.bound_fields_only:
            raise KeyringError("an unbound (v1) value in a field, refused by VOICE_BOUND_FIELDS_ONLY")
        key = self.keys.get(kid)
        if key is None:
            raise KeyringError(f"no key with id {kid!r} is configured")
        aad = _AAD if prefix == PREFIX else place.aad()  # type: ignore[union-attr]
        try:
            data = AESGCM(key).decrypt(raw[:12], raw[12:], aad)
        except InvalidTag as exc:
            raise KeyringError(
                "authentication failed (tampered, moved from another row or column, or wrong key)"
            ) from exc
        return data.decode("utf-8", "surrogatepass")

    @staticmethod
    def key_id_of(stored: str) -> str | None:
        parts = stored.split(":", 2)
        return parts[1] if len(parts) == 3 and parts[0] in (PREFIX, ROW_PREFIX) else None

    @staticmethod
    def is_row_bound(stored: str) -> bool:
        return stored.startswith(ROW_PREFIX + ":")


_keyring: Keyring | None = None


def install_keyring(keys: dict[str, bytes], *, bound_fields_only: bool = False) -> Keyring:
    """Called once by the app factory. Column types look the keyring up at bind time."""
    global _keyring
    _keyring = Keyring(keys, bound_fields_only=bound_fields_only)
    return _keyring


def keyring() -> Keyring:
    if _keyring is None:
        raise KeyringError("the data keyring has not been installed (create_app does this)")
    return _keyring


_unreadable: ContextVar[list[Place] | None] = ContextVar("voice_unreadable_places", default=None)
_REMEMBERED = 50  # per request; the log has every one


def _failed(place: Place | None, exc: KeyringError) -> UnreadableText:
    security_log.error(
        "security: encrypted value in %s could not be read: %s", place or "(unknown place)", exc
    )
    places = _unreadable.get()
    if place is not None and places is not None and len(places) < _REMEMBERED:
        places.append(place)
    return UnreadableText(str(exc), place)


def collect_unreadable() -> None:
    """From now on (in this context: one request), remember the place of each value that fails."""
    _unreadable.set([])


def drain_unreadable() -> list[Place]:
    """The places remembered since :func:`collect_unreadable`, and stop (the web layer audits them)."""
    places = _unreadable.get() or []
    _unreadable.set(None)
    return places


def _open(stored: str, place: Place | None) -> str:
    try:
        return keyring().decrypt(stored, place)
    except KeyringError as exc:
        return _failed(place, exc)


class _Placed(TypeDecorator[str]):
    """What a select of an encrypted column returns: ``table|column|id|`` put in front by the SQL
    itself (:meth:`EncryptedText.column_expression`), then the ciphertext. Only this type trusts
    a place at the front; a stored value cannot pretend to carry one."""

    impl = Text
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        table, column, row, stored = value.split(_SEP, 3)
        return _open(stored, Place(table, column, row_ref(row)))


class EncryptedText(TypeDecorator[str]):
    """A Text column whose contents are encrypted at rest and bound to their row."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, UnreadableText):
            raise KeyringError("refusing to write back a value that could not be decrypted")
        if not isinstance(value, RowText):
            raise KeyringError("an encrypted column needs its row: write through the ORM or crypto.for_row()")
        return keyring().encrypt(str(value), value.place)

    def column_expression(self, colexpr: Any) -> Any:
        """Select ``table|column|id|`` in front of the ciphertext, from the same FROM element."""
        base = next(iter(colexpr.base_columns), None)
        table = getattr(base, "table", None)
        source = getattr(colexpr, "table", None)
        if base is None or table is None or source is None or len(table.primary_key.columns) != 1:
            return colexpr
        key = source.corresponding_column(next(iter(table.primary_key.columns)))
        if key is None:
            return colexpr  # e.g. a subquery without the id: v2 values then read as unreadable
        head = literal_column(f"'{table.name}{_SEP}{base.name}{_SEP}'", Text)
        return type_coerce(
            head + cast(key, Text) + literal_column(f"'{_SEP}'", Text) + type_coerce(colexpr, Text), _Placed()
        )

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        """Only reached without the row's id (see above): v1 reads, v2 cannot be checked."""
        return None if value is None else _open(value, None)


KEY_CHECK_PLAINTEXT = "voice key check"


def verify_keys_against_database(engine: Any, *, require_all: bool = False) -> None:
    """Refuse to start when a configured key cannot read what it wrote before.

    Each key id stores one known value the first time it is used. If that value no longer
    decrypts (a wrong key under a known id), start-up stops. With ``require_all`` (production),
    start-up also stops when a key id that wrote to this database is not configured at all:
    every answer written under it would show as unreadable. ``keys retire KID`` forgets a key
    id once ``keys status`` shows nothing left under it. A database that is not migrated or not
    reachable yet is left alone: ``/healthz`` reports that, and ``db upgrade`` must run.
    """
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    ring = keyring()
    problem = None
    try:
        with engine.begin() as conn:
            if not inspect(conn).has_table("key_checks"):
                return
            stored = dict(conn.execute(text("SELECT kid, ciphertext FROM key_checks")).all())
            for kid in ring.keys:
                if kid in stored:
                    try:
                        ok = ring.decrypt(stored[kid]) == KEY_CHECK_PLAINTEXT
                    except KeyringError:
                        ok = False
                    if not ok:
                        problem = f"data key {kid!r} does not match the key that wrote this database"
            missing = sorted(set(stored) - set(ring.keys)) if require_all else []
            if missing:
                problem = (
                    f"data key {missing[0]!r} wrote data held in this database but is not in "
                    "VOICE_DATA_KEYS (put it back after the new key; once `keys rotate` has run and "
                    f"`keys status` shows nothing under it, `keys retire {missing[0]}`)"
                )
            if problem is None and ring.active_kid not in stored:
                single = Keyring({ring.active_kid: ring.keys[ring.active_kid]})
                conn.execute(
                    text(
                        "INSERT INTO key_checks (kid, ciphertext, created_at) "
                        "VALUES (:kid, :ct, CURRENT_TIMESTAMP)"
                    ),
                    {"kid": ring.active_kid, "ct": single.encrypt(KEY_CHECK_PLAINTEXT)},
                )
    except SQLAlchemyError as exc:
        log.warning("could not check data keys against the database yet: %s", type(exc).__name__)
    if problem:
        engine.dispose()
        raise KeyringError(problem + "; refusing to start")

"""Field-level encryption for a child's free text (AES-256-GCM with key ids).

Stored form: ``v1:<kid>:<base64(nonce || ciphertext+tag)>``. The first key in
``VOICE_DATA_KEYS`` encrypts; every listed key decrypts, so keys can rotate: add a new
key first, run ``flask --app voice keys rotate`` to re-encrypt, then drop the old key.

A tampered or undecryptable value never crashes a page. It comes back as
:class:`UnreadableText`, which is a ``str`` that says so and is logged loudly.
"""

from __future__ import annotations

import base64
import logging
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.types import Text, TypeDecorator

log = logging.getLogger(__name__)

PREFIX = "v1"
_AAD = b"voice-field-v1"


class KeyringError(RuntimeError):
    """The keyring is missing, or cannot read data already stored."""


class UnreadableText(str):
    """Placeholder for a value that failed authentication. Renders as a plain warning."""

    unreadable = True

    def __new__(cls, reason: str = "") -> UnreadableText:
        obj = super().__new__(cls, "[This text could not be read safely. The team has been told.]")
        obj.reason = reason  # type: ignore[attr-defined]
        return obj


class Keyring:
    def __init__(self, keys: dict[str, bytes]):
        if not keys:
            raise KeyringError("no data keys configured")
        self.keys = dict(keys)
        self.active_kid = next(iter(keys))

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        data = AESGCM(self.keys[self.active_kid]).encrypt(
            nonce, plaintext.encode("utf-8", "surrogatepass"), _AAD
        )
        return f"{PREFIX}:{self.active_kid}:{base64.b64encode(nonce + data).decode('ascii')}"

    def decrypt(self, stored: str) -> str:
        """Decrypt, raising KeyringError on any malformed, unknown-key or tampered value."""
        try:
            prefix, kid, b64 = stored.split(":", 2)
            if prefix != PREFIX:
                raise ValueError("unknown format")
            raw = base64.b64decode(b64, validate=True)
        except ValueError as exc:
            raise KeyringError("stored value is not in the encrypted format") from exc
        key = self.keys.get(kid)
        if key is None:
            raise KeyringError(f"no key with id {kid!r} is configured")
        try:
            data = AESGCM(key).decrypt(raw[:12], raw[12:], _AAD)
        except InvalidTag as exc:
            raise KeyringError("authentication failed (tampered data or wrong key)") from exc
        return data.decode("utf-8", "surrogatepass")

    @staticmethod
    def key_id_of(stored: str) -> str | None:
        parts = stored.split(":", 2)
        return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


_keyring: Keyring | None = None


def install_keyring(keys: dict[str, bytes]) -> Keyring:
    """Called once by the app factory. Column types look the keyring up at bind time."""
    global _keyring
    _keyring = Keyring(keys)
    return _keyring


def keyring() -> Keyring:
    if _keyring is None:
        raise KeyringError("the data keyring has not been installed (create_app does this)")
    return _keyring


class EncryptedText(TypeDecorator[str]):
    """A Text column whose contents are encrypted at rest, transparently."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, UnreadableText):
            raise KeyringError("refusing to write back a value that could not be decrypted")
        return keyring().encrypt(str(value))

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        try:
            return keyring().decrypt(value)
        except KeyringError as exc:
            log.error("encrypted field could not be read: %s", exc)
            return UnreadableText(str(exc))


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

"""Passwords, PINs and random tokens.

PINs are short, so a database dump alone must not be enough to guess them offline: the
stored hash is ``argon2id(HMAC-SHA256(pepper, pin))`` and the pepper lives only in
configuration (``VOICE_PIN_PEPPER``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

# ASCII digits only. ``\d`` and ``int()`` also accept Arabic-Indic and full-width digits.
PIN_PATTERN = re.compile(r"[0-9]{4,6}", re.ASCII)

# Refused when a child chooses a PIN: they are the first ones anyone would try.
COMMON_PINS = frozenset(
    {
        "0000",
        "1111",
        "2222",
        "3333",
        "4444",
        "5555",
        "6666",
        "7777",
        "8888",
        "9999",
        "1234",
        "4321",
        "1212",
        "2580",
        "0123",
        "6969",
        "1122",
        "1004",
        "2000",
        "1010",
        "12345",
        "123456",
        "654321",
        "111111",
        "000000",
        "121212",
        "112233",
        "123123",
        "00000",
        "11111",
        "99999",
        "999999",
        "54321",
        "159753",
        "147258",
        "696969",
    }
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# A real hash to verify against when the account does not exist, so unknown emails take the
# same time as wrong passwords. Made with the same parameters as every new hash.
_dummy = {"hash": hash_password(secrets.token_urlsafe(16))}


def dummy_password_hash() -> str:
    return _dummy["hash"]


def use_cheap_hashing_for_tests() -> None:
    """The test suite only: argon2id with the library's cheapest parameters, so a thousand
    sign-in attempts take seconds. Hashes made before still verify (their parameters are in
    them). Never called outside ``VOICE_ENV=test``."""
    global _hasher
    _hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    _dummy["hash"] = hash_password(secrets.token_urlsafe(16))


def is_valid_pin(pin: str) -> bool:
    return bool(PIN_PATTERN.fullmatch(pin))


def is_common_pin(pin: str) -> bool:
    return pin in COMMON_PINS


def _peppered(pepper: str, pin: str) -> str:
    return hmac.new(pepper.encode(), pin.encode("ascii"), hashlib.sha256).hexdigest()


def hash_pin(pepper: str, pin: str) -> str:
    if not is_valid_pin(pin):
        raise ValueError("a PIN is 4 to 6 digits 0-9")
    return _hasher.hash(_peppered(pepper, pin))


def verify_pin(pepper: str, stored_hash: str, pin: str) -> bool:
    if not is_valid_pin(pin):
        return False
    return verify_password(stored_hash, _peppered(pepper, pin))


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random token; 32 bytes = 256 bits."""
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """Tokens are high-entropy, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()

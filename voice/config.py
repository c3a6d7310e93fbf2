"""Settings from ``VOICE_*`` environment variables, checked at start-up.

Development gets safe, obviously-fake defaults so ``make run`` works on a fresh machine.
Production refuses to start on a missing or default secret, pepper or data key: a child's
words must never be protected by a key that is printed in this file.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"  # noqa: S105 - a labelled development default
DEV_PIN_PEPPER = "dev-only-pin-pepper-not-for-production"
# 32 zero-free bytes, base64; only ever used outside production.
DEV_DATA_KEYS = "dev1:ZGV2LW9ubHktZGF0YS1rZXktbm90LWZvci1wcm9kISE="

ENVIRONMENTS = ("development", "test", "production")

# Quick exit lands here unless VOICE_EXIT_URL says otherwise: a page anyone might have open.
DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"


class ConfigError(RuntimeError):
    """Raised at start-up when settings are missing or unsafe."""


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _check_secret(name: str, value: str, dev_default: str) -> None:
    """A production secret must be long, not the development default, and not one character
    repeated or a short pattern (32 × "a" is 32 characters but no secret)."""
    if not value or value == dev_default:
        raise ConfigError(f"{name} must be set to a long random value in production")
    if len(value) < 32:
        raise ConfigError(f"{name} must be at least 32 characters in production")
    if len(set(value)) < 12:
        raise ConfigError(
            f"{name} looks weak (too few different characters): generate one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )


def _networks(raw: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ConfigError(f"VOICE_TRUSTED_PROXIES: {part!r} is not an address or network") from None
    return tuple(networks)


def _working_days_list(env: Mapping[str, str], name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    """``"10,7"`` → ``(10, 7)``: at most two reminder points, largest first."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        values = tuple(sorted({int(part) for part in raw.split(",") if part.strip()}, reverse=True))
    except ValueError:
        raise ConfigError(f"{name} must be whole numbers separated by commas, got {raw!r}") from None
    if not 1 <= len(values) <= 2 or min(values) < 1:
        raise ConfigError(f"{name} must be one or two numbers of working days, each at least 1")
    return values


def parse_data_keys(raw: str) -> dict[str, bytes]:
    """Parse ``kid:base64key[,kid:base64key…]``. The first key encrypts; all keys decrypt."""
    keys: dict[str, bytes] = {}
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        kid, sep, b64 = part.partition(":")
        if not sep or not kid.isalnum():
            raise ConfigError("VOICE_DATA_KEYS entries look like 'key1:<base64 of 32 bytes>'")
        try:
            key = base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            raise ConfigError(f"VOICE_DATA_KEYS key {kid!r} is not valid base64") from None
        if len(key) != 32:
            raise ConfigError(f"VOICE_DATA_KEYS key {kid!r} must be 32 bytes (AES-256)")
        if kid in keys:
            raise ConfigError(f"VOICE_DATA_KEYS lists key id {kid!r} twice")
        keys[kid] = key
    if not keys:
        raise ConfigError("VOICE_DATA_KEYS holds no keys")
    return keys


def origin_of(url: str) -> str:
    """``https://host[:port]`` of an address (used for the exit site in the CSP)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def settings_from_env(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping from the environment. Raises ConfigError on bad values."""
    env = os.environ if env is None else env
    environment = env.get("VOICE_ENV", "development")
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"VOICE_ENV must be one of {', '.join(ENVIRONMENTS)}")
    production = environment == "production"

    secret = env.get("VOICE_SECRET_KEY") or ("" if production else DEV_SECRET_KEY)
    pepper = env.get("VOICE_PIN_PEPPER") or ("" if production else DEV_PIN_PEPPER)
    data_keys_raw = env.get("VOICE_DATA_KEYS") or ("" if production else DEV_DATA_KEYS)
    if production:
        _check_secret("VOICE_SECRET_KEY", secret, DEV_SECRET_KEY)
        _check_secret("VOICE_PIN_PEPPER", pepper, DEV_PIN_PEPPER)
        if secret == pepper:
            raise ConfigError("VOICE_PIN_PEPPER must differ from VOICE_SECRET_KEY in production")
        if not data_keys_raw or data_keys_raw == DEV_DATA_KEYS:
            raise ConfigError("VOICE_DATA_KEYS must be set to real keys in production")
    data_keys = parse_data_keys(data_keys_raw)
    if production and any(k == parse_data_keys(DEV_DATA_KEYS)["dev1"] for k in data_keys.values()):
        raise ConfigError("VOICE_DATA_KEYS must not contain the development key in production")

    instance = Path(env.get("VOICE_INSTANCE_DIR", PROJECT_ROOT / "instance"))
    database_url = env.get("VOICE_DATABASE_URL") or f"sqlite:///{instance / 'voice.sqlite'}"
    base_url = (env.get("VOICE_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError("VOICE_BASE_URL must start with http:// or https://")
    trusted_hosts = [h.strip() for h in env.get("VOICE_TRUSTED_HOSTS", "").split(",") if h.strip()]
    if production and not base_url.startswith("https://"):
        raise ConfigError("VOICE_BASE_URL must be an https:// address in production (links go to children)")
    if production and not trusted_hosts:
        raise ConfigError(
            "VOICE_TRUSTED_HOSTS must list the host names Voice answers to in production "
            "(e.g. voice.example.gov.uk), so a forged Host header can never shape a link"
        )
    staff_totp = _bool(env, "VOICE_STAFF_TOTP", False)
    if production and not staff_totp:
        raise ConfigError(
            "VOICE_STAFF_TOTP must be on in production: staff who sign in with a password read "
            "children's words, so they confirm it with a code from an authenticator app"
        )
    exit_url = env.get("VOICE_EXIT_URL") or DEFAULT_EXIT_URL
    if not exit_url.startswith(("https://", "http://")) or origin_of(exit_url) == origin_of(base_url):
        raise ConfigError("VOICE_EXIT_URL must be another site's address, starting with https://")
    channel = env.get("VOICE_NOTIFY_CHANNEL", "smtp")
    if channel not in {"smtp", "notify"}:
        raise ConfigError("VOICE_NOTIFY_CHANNEL must be 'smtp' or 'notify'")

    return {
        "VOICE_ENV": environment,
        "DEBUG": False,
        "TESTING": environment == "test",
        "SECRET_KEY": secret,
        "VOICE_PIN_PEPPER": pepper,
        "VOICE_DATA_KEYS": data_keys,
        "VOICE_INSTANCE_DIR": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "VOICE_BASE_URL": base_url,
        "VOICE_CONTENT_DIR": env.get("VOICE_CONTENT_DIR", str(PROJECT_ROOT / "content")),
        "MAX_CONTENT_LENGTH": _int(env, "VOICE_MAX_BODY_BYTES", 2 * 1024 * 1024, minimum=1024),
        "MAX_FORM_PARTS": 200,
        "SESSION_COOKIE_NAME": "__Host-voice" if production else "voice",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": 4 * 3600,
        # Off: every page says Referrer-Policy: no-referrer, so browsers send no Referer and
        # "Origin: null" on Voice's own form posts, and Flask-WTF's strict Referer check would
        # refuse every post over HTTPS. voice/security.py checks Origin and Referer when a
        # browser gives a real one (docs/adr/0023).
        "WTF_CSRF_SSL_STRICT": False,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "VOICE_STAFF_IDLE_MINUTES": _int(env, "VOICE_STAFF_IDLE_MINUTES", 30, minimum=1),
        "VOICE_STAFF_ABSOLUTE_HOURS": _int(env, "VOICE_STAFF_ABSOLUTE_HOURS", 12, minimum=1),
        "VOICE_CHILD_IDLE_MINUTES": _int(env, "VOICE_CHILD_IDLE_MINUTES", 15, minimum=1),
        "VOICE_INVITE_DAYS": _int(env, "VOICE_INVITE_DAYS", 7, minimum=1),
        "VOICE_SMTP_HOST": env.get("VOICE_SMTP_HOST", "127.0.0.1"),
        "VOICE_SMTP_PORT": _int(env, "VOICE_SMTP_PORT", 1025, minimum=1),
        "VOICE_SMTP_USER": env.get("VOICE_SMTP_USER", ""),
        "VOICE_SMTP_PASSWORD": env.get("VOICE_SMTP_PASSWORD", ""),
        "VOICE_SMTP_STARTTLS": _bool(env, "VOICE_SMTP_STARTTLS", False),
        "VOICE_SMTP_TIMEOUT": _int(env, "VOICE_SMTP_TIMEOUT", 10, minimum=1),
        "VOICE_MAIL_FROM": env.get("VOICE_MAIL_FROM", "voice@localhost"),
        "VOICE_NOTIFY_CHANNEL": channel,
        "VOICE_NOTIFY_API_KEY": env.get("VOICE_NOTIFY_API_KEY", ""),
        "VOICE_NOTIFY_BASE_URL": env.get("VOICE_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"),
        "VOICE_NOTIFY_TIMEOUT": _int(env, "VOICE_NOTIFY_TIMEOUT", 10, minimum=1),
        "VOICE_NOTIFY_TEMPLATE_ID": env.get("VOICE_NOTIFY_TEMPLATE_ID", ""),
        "VOICE_NOTIFY_SMS_TEMPLATE_ID": env.get("VOICE_NOTIFY_SMS_TEMPLATE_ID", ""),
        "VOICE_OUT_OF_HOURS_PHONE": env.get("VOICE_OUT_OF_HOURS_PHONE", "0300 555 0199"),
        # The council's children's social care number, shown when nobody could be told yet.
        "VOICE_COUNCIL_PHONE": env.get("VOICE_COUNCIL_PHONE", "0300 555 0100"),
        # Where "Exit" lands: an ordinary public page that says nothing about care or Voice.
        "VOICE_EXIT_URL": exit_url,
        "VOICE_EDT_EMAIL": env.get("VOICE_EDT_EMAIL", "edt@example.org"),
        "VOICE_ALERT_T1_MINUTES": _int(env, "VOICE_ALERT_T1_MINUTES", 60, minimum=1),
        "VOICE_ALERT_T2_MINUTES": _int(env, "VOICE_ALERT_T2_MINUTES", 120, minimum=1),
        # After the last step, an unacknowledged alert is sent to the last contacts again this often.
        "VOICE_ESCALATION_REPEAT_MINUTES": _int(env, "VOICE_ESCALATION_REPEAT_MINUTES", 30, minimum=1),
        "VOICE_WORKDAY_START": _int(env, "VOICE_WORKDAY_START", 9),
        "VOICE_WORKDAY_END": _int(env, "VOICE_WORKDAY_END", 17),
        "VOICE_READ_REMINDER_WORKING_DAYS": _int(env, "VOICE_READ_REMINDER_WORKING_DAYS", 2, minimum=1),
        "VOICE_TRUSTED_HOSTS": trusted_hosts,
        # Addresses (or networks) of the reverse proxies in front of Voice. Only a request from
        # one of them may name the client's address in X-Forwarded-For (docs/deployment.md).
        "VOICE_TRUSTED_PROXIES": _networks(env.get("VOICE_TRUSTED_PROXIES", "")),
        "VOICE_LOGIN_MAX_FAILURES": _int(env, "VOICE_LOGIN_MAX_FAILURES", 5, minimum=1),
        # Staff who sign in with a password must also give a code from an authenticator app
        # (docs/adr/0023). Required in production; OIDC sign-in is exempt (the provider does MFA).
        "VOICE_STAFF_TOTP": staff_totp,
        "VOICE_ADDRESS_MAX_FAILURES": _int(env, "VOICE_ADDRESS_MAX_FAILURES", 50, minimum=1),
        # Staff sign-in through the council's identity provider (docs/adr/0014). Off when no issuer.
        "VOICE_OIDC_ISSUER": env.get("VOICE_OIDC_ISSUER", ""),
        "VOICE_OIDC_CLIENT_ID": env.get("VOICE_OIDC_CLIENT_ID", ""),
        "VOICE_OIDC_CLIENT_SECRET": env.get("VOICE_OIDC_CLIENT_SECRET", ""),
        "VOICE_OIDC_AUDIENCE": env.get("VOICE_OIDC_AUDIENCE", "") or env.get("VOICE_OIDC_CLIENT_ID", ""),
        "VOICE_OIDC_SCOPES": env.get("VOICE_OIDC_SCOPES", "openid email profile groups"),
        "VOICE_OIDC_ROLE_MAP": env.get("VOICE_OIDC_ROLE_MAP", ""),
        "VOICE_OIDC_LEEWAY_SECONDS": _int(env, "VOICE_OIDC_LEEWAY_SECONDS", 60),
        # How often a provider-signed-in staff session asks the provider whether the account is
        # still enabled (THREATS 10): a disabled account's session ends within this long.
        "VOICE_OIDC_RECHECK_SECONDS": _int(env, "VOICE_OIDC_RECHECK_SECONDS", 300, minimum=30),
        # One staff account's failures from every address together (time-limited locks).
        "VOICE_ACCOUNT_MAX_FAILURES": _int(env, "VOICE_ACCOUNT_MAX_FAILURES", 20, minimum=1),
        # A chat started and never sent is deleted this long after its last change (THREATS 36c).
        "VOICE_DRAFT_RETENTION_DAYS": _int(env, "VOICE_DRAFT_RETENTION_DAYS", 90, minimum=1),
        # A submission filed in the case record is deleted from Voice this long after filing
        # (THREATS 36a); one still not filed this long after it was sent tells the worker (36b).
        "VOICE_FILED_RETENTION_DAYS": _int(env, "VOICE_FILED_RETENTION_DAYS", 90, minimum=1),
        "VOICE_FILING_DUE_DAYS": _int(env, "VOICE_FILING_DUE_DAYS", 28, minimum=1),
        # After `keys rotate` has bound every encrypted field to its row (`keys status` shows 0
        # unbound), refuse old unbound (v1) values in fields: docs/adr/0029.
        "VOICE_BOUND_FIELDS_ONLY": _bool(env, "VOICE_BOUND_FIELDS_ONLY", False),
        # While a child types an answer, the page saves it this often (THREATS 46; at most 30).
        "VOICE_AUTOSAVE_SECONDS": _int(env, "VOICE_AUTOSAVE_SECONDS", 10, minimum=1),
        # The review calendar (voice/reviews): consultations open this many working days before
        # a review; reminders at these points if nothing has arrived; the worker and IRO are
        # told at the last point; under this age the invitation goes to the carer.
        "VOICE_REVIEW_OPEN_WORKING_DAYS": _int(env, "VOICE_REVIEW_OPEN_WORKING_DAYS", 15, minimum=2),
        "VOICE_REVIEW_REMINDER_WORKING_DAYS": _working_days_list(
            env, "VOICE_REVIEW_REMINDER_WORKING_DAYS", (10, 7)
        ),
        "VOICE_REVIEW_NUDGE_WORKING_DAYS": _int(env, "VOICE_REVIEW_NUDGE_WORKING_DAYS", 5, minimum=1),
        "VOICE_REVIEW_CARER_UNDER_AGE": _int(env, "VOICE_REVIEW_CARER_UNDER_AGE", 11),
        "VOICE_IMPORT_MAX_BYTES": _int(env, "VOICE_IMPORT_MAX_BYTES", 5_000_000, minimum=1024),
    }

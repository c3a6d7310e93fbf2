"""Staff sign-in through the council's own identity provider (OpenID Connect, docs/adr/0014).

Authlib does the protocol: discovery, the authorisation code flow with PKCE (S256), state and
nonce, and checking the ID token's signature (against the provider's published keys), issuer,
audience, expiry and nonce. This module decides who the person is in Voice: an active staff
member with the verified email, in the role their provider groups map to
(``VOICE_OIDC_ROLE_MAP``). Multi-factor authentication is the provider's job.

Voice does not create accounts from the provider: a staff member belongs to a team, which the
provider does not know, so an admin (or the case-system import) adds them first.

An account disabled only at the provider (THREATS row 10): the session keeps the provider's
access and refresh tokens (encrypted), and at most every ``VOICE_OIDC_RECHECK_SECONDS`` (300)
Voice asks the provider's userinfo endpoint about the account, refreshing the access token
when it has run out. A refusal (the account is gone or disabled, or the grant was revoked)
ends the session at once. If the provider cannot be reached, the session goes on for up to
three intervals from the last good answer and then ends: nobody stays in on a provider that
has stopped answering.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask
from joserfc.errors import JoseError

from voice import audit, clock
from voice.auth import sessions
from voice.extensions import db
from voice.models import AuthSession, StaffMember

oauth = OAuth()
NAME = "council"
PROVIDER_TIMEOUT = 5  # seconds for one call to the provider while re-checking
UNREACHABLE_GRACE = 3  # re-check intervals a session may outlive a provider that does not answer
log = logging.getLogger("voice.security")


@dataclass(frozen=True)
class OidcSignIn:
    person: StaffMember | None = None
    token: str | None = None
    problem: str | None = None  # why not, for the audit trail (never shown as a code)
    id_token: str = ""  # kept for RP-initiated sign-out

    @property
    def ok(self) -> bool:
        return self.token is not None


def parse_role_map(raw: str) -> dict[str, str]:
    """``group=role,group=role`` -> {group: role}; the first listed group that matches wins."""
    mapping: dict[str, str] = {}
    for part in raw.split(","):
        group, sep, role = part.strip().partition("=")
        if sep and group.strip() and role.strip():
            mapping[group.strip()] = role.strip()
    return mapping


def role_for(groups: list[str] | None, role_map: dict[str, str]) -> str | None:
    wanted = set(groups or ())
    return next((role for group, role in role_map.items() if group in wanted), None)


def enabled(app: Flask) -> bool:
    return bool(app.config.get("VOICE_OIDC_ISSUER"))


def init_app(app: Flask) -> None:
    oauth.init_app(app)
    if not enabled(app):
        return
    # Authlib keeps the first client it builds under a name; an app built later in the same
    # process (a test, a CLI run) may name another provider, so it must build its own.
    oauth._clients.pop(NAME, None)
    issuer = app.config["VOICE_OIDC_ISSUER"].rstrip("/")
    oauth.register(
        NAME,
        client_id=app.config["VOICE_OIDC_CLIENT_ID"],
        client_secret=app.config["VOICE_OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": app.config["VOICE_OIDC_SCOPES"], "code_challenge_method": "S256"},
        overwrite=True,
    )


def client() -> Any:
    return oauth.create_client(NAME)


def claims_options(issuer: str, audience: str) -> dict[str, Any]:
    return {
        "iss": {"essential": True, "values": [issuer.rstrip("/")]},
        "aud": {"essential": True, "values": [audience]},
        "exp": {"essential": True},
        "email": {"essential": True},
    }


def finish(cfg: Any, *, address: str) -> OidcSignIn:
    """The provider sent the browser back: exchange the code, check the ID token, sign in.

    Any protocol failure (a replayed or foreign code, a wrong state, a bad signature, the wrong
    issuer or audience, an expired token, a missing nonce) is a refusal, audited, never a 500.
    """
    try:
        token = client().authorize_access_token(
            claims_options=claims_options(cfg["VOICE_OIDC_ISSUER"], cfg["VOICE_OIDC_AUDIENCE"]),
            leeway=cfg["VOICE_OIDC_LEEWAY_SECONDS"],
        )
    except (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError) as exc:
        return _refused(f"token refused: {type(exc).__name__}", address)
    claims = token.get("userinfo")
    if not claims:  # no ID token, or none checked against our nonce
        return _refused("no checked ID token", address)
    kept = json.dumps(
        {"access_token": token.get("access_token"), "refresh_token": token.get("refresh_token")}
    )
    result = sign_in(
        dict(claims),
        role_map=parse_role_map(cfg["VOICE_OIDC_ROLE_MAP"]),
        address=address,
        provider_token=kept,
    )
    return OidcSignIn(result.person, result.token, result.problem, str(token.get("id_token") or ""))


def sign_in(
    claims: dict[str, Any], *, role_map: dict[str, str], address: str, provider_token: str | None = None
) -> OidcSignIn:
    """Start a staff session for the person an ID token names. Caller has checked the token."""
    email = str(claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") is False:
        return _refused("no verified email", address)
    role = role_for(claims.get("groups"), role_map)
    if role is None:
        return _refused("no group maps to a role", address)
    person = StaffMember.by_email(email)
    if person is None or not person.active:
        return _refused("no active staff account", address)
    if person.role != role:
        audit.record("account.role_from_provider", actor=person, object_type="staff", object_id=person.id,
                     purpose=f"{person.role}->{role}"[:64])  # fmt: skip
        person.role = role
    token = sessions.start("staff", str(person.id), provider_token=provider_token)
    audit.record("auth.signed_in", actor=person, address=address, purpose="oidc")
    db.session.commit()
    return OidcSignIn(person=person, token=token)


def _refused(reason: str, address: str) -> OidcSignIn:
    audit.record("auth.oidc_refused", address=address, purpose=reason[:64])
    db.session.commit()
    return OidcSignIn(problem=reason)


def still_enabled(row: AuthSession, person: StaffMember, cfg: Any) -> bool:
    """Whether a provider-signed-in staff session may go on, asking the provider when the last
    answer is older than ``VOICE_OIDC_RECHECK_SECONDS``. Ends the session (audited) when not."""
    interval = timedelta(seconds=cfg["VOICE_OIDC_RECHECK_SECONDS"])
    now = clock.now()
    last = clock.as_utc(row.provider_checked_at or row.created_at)
    if now - last < interval:
        return True
    verdict = _ask_provider(row, cfg)
    if verdict == "enabled":
        row.provider_checked_at = now
        db.session.commit()
        return True
    if verdict == "unreachable" and now - last < UNREACHABLE_GRACE * interval:
        log.warning("oidc: the provider did not answer a re-check; session %s goes on for now", row.id)
        db.session.commit()  # a refreshed token, if there was one
        return True
    sessions.end(row, "provider")
    audit.record(
        "auth.provider_ended", actor=person, object_type="staff", object_id=person.id, purpose=verdict
    )
    db.session.commit()
    return False


def _ask_provider(row: AuthSession, cfg: Any) -> str:
    """ "enabled", "refused" (the provider will not vouch for the account) or "unreachable"."""
    try:
        tokens = json.loads(row.provider_token or "")
        metadata = client().load_server_metadata()
        status = _userinfo(metadata["userinfo_endpoint"], tokens.get("access_token"))
        if status == 200:
            return "enabled"
        if status >= 500:
            return "unreachable"
        if not tokens.get("refresh_token"):
            return "refused"
        fresh = requests.post(
            metadata["token_endpoint"],
            data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
            auth=(cfg["VOICE_OIDC_CLIENT_ID"], cfg["VOICE_OIDC_CLIENT_SECRET"]),
            timeout=PROVIDER_TIMEOUT,
        )
        if fresh.status_code >= 500:
            return "unreachable"
        if fresh.status_code != 200:
            return "refused"
        new = fresh.json()
        tokens = {
            "access_token": new["access_token"],
            "refresh_token": new.get("refresh_token") or tokens["refresh_token"],
        }
        row.provider_token = json.dumps(tokens)
        again = _userinfo(metadata["userinfo_endpoint"], tokens["access_token"])
        return "enabled" if again == 200 else "unreachable" if again >= 500 else "refused"
    except (requests.RequestException, AuthlibBaseError):
        return "unreachable"
    except (ValueError, KeyError, TypeError):
        return "refused"


def _userinfo(endpoint: str, access_token: str | None) -> int:
    if not access_token:
        return 401
    with requests.get(
        endpoint, headers={"Authorization": f"Bearer {access_token}"}, timeout=PROVIDER_TIMEOUT
    ) as answer:
        return answer.status_code

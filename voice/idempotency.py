"""Idempotency keys for JSON posts (THREATS row 45; the IETF Idempotency-Key header draft).

A client that may send the same JSON post twice (a retry after a timeout, a page that saves
again when the signal comes back) gives each distinct post a key. Voice remembers, per
signed-in person (``scope``), the key, a fingerprint of the post and the answer it gave:

- the same key with the same post gets the first answer again, and nothing runs twice;
- the same key with a different post is refused (422): a key names one post, not a slot;
- the same key while the first post is still being answered is refused (409), so two copies
  of one post never run side by side.

Keys are kept for ``KEEP_FOR`` and then deleted by ``flask retention run``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from sqlalchemy import delete, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError

from voice import clock
from voice.extensions import db
from voice.models import IdempotencyKey

KEY = re.compile(r"[\x21-\x7e]{8,80}")  # printable ASCII without spaces, e.g. a UUID
KEEP_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class Claim:
    """``outcome``: "new" (go ahead, then call :func:`finish`), "replay" (answer with
    ``status_code`` and ``body``), "mismatch" (422) or "in_flight" (409)."""

    outcome: str
    status_code: int | None = None
    body: str | None = None


def well_formed(key: str) -> bool:
    return KEY.fullmatch(key) is not None


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def claim(scope: str, key: str, print_: str) -> Claim:
    """Take the key for this post, or say what an earlier post with it left. Commits."""
    db.session.commit()  # whatever the request did before (a session touch) is not ours to lose
    db.session.add(IdempotencyKey(scope=scope, key=key, fingerprint=print_))
    try:
        db.session.commit()
        return Claim("new")
    except IntegrityError:
        db.session.rollback()
    earlier = db.session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
    )
    if earlier is None:  # the first post failed and gave its key back a moment ago
        return Claim("in_flight")
    if earlier.fingerprint != print_:
        return Claim("mismatch")
    if earlier.status_code is None:
        return Claim("in_flight")
    return Claim("replay", earlier.status_code, earlier.body)


def finish(scope: str, key: str, status_code: int, body: str) -> None:
    """Store the answer every repeat of the post will get. Commits."""
    db.session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
        .values(status_code=status_code, body=body)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def give_back(scope: str, key: str) -> None:
    """The post failed before it had an answer: a retry with the same key may run. Commits."""
    db.session.rollback()
    db.session.execute(
        delete(IdempotencyKey)
        .where(IdempotencyKey.scope == scope, IdempotencyKey.key == key, IdempotencyKey.status_code.is_(None))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def forget_old() -> int:
    """Delete keys older than ``KEEP_FOR``. Commits."""
    gone = cast(
        CursorResult,
        db.session.execute(
            delete(IdempotencyKey)
            .where(IdempotencyKey.created_at < clock.now() - KEEP_FOR)
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    db.session.commit()
    return gone or 0

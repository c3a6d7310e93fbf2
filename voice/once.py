"""Store first, once: the idempotent insert every double-postable form shares.

A form (or a client) carries a key made when it was shown. Posting it twice, by a double tap,
a retry on a slow line or two tabs at the same moment, must store one row. Two steps do it:

1. :func:`earlier_post` looks the key up before anything is built. The row it finds is the
   answer when it is this person's own; when it belongs to someone else (a copied or forged
   form) it is never handed back, and the new row is stored under another key.
2. :func:`store_once` adds the row, flushes (the unique key stops a second row here), does
   whatever goes with it in the same transaction, and commits. When two posts race past the
   look-up, the loser's flush or commit breaks the unique key: its whole transaction is rolled
   back and the row the winner stored is returned instead.

Only the kernel's session is used here; the domain decides what a row, a key and "mine" are.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from voice.extensions import Base, db

Row = TypeVar("Row", bound=Base)  # a table row: never None, so a finder's None is "not found"


def earlier_post(
    key: uuid.UUID | None, find: Callable[[uuid.UUID], Row | None], mine: Callable[[Row], bool]
) -> tuple[Row | None, uuid.UUID | None]:
    """``(row, key)``: the row an earlier post of this same form stored, or ``None`` and the key
    to store under. That key is ``None`` when there was none, or when it already names someone
    else's row; a caller whose key column may not be empty makes a fresh one then."""
    if key is None:
        return None, None
    first = find(key)
    if first is None:
        return None, key
    if mine(first):
        return first, key
    return None, None


def store_once(
    row: Row,
    *,
    find_existing: Callable[[], Row | None],
    then: Callable[[], object] | None = None,
) -> Row:
    """Add ``row``, flush, run ``then()`` and commit, all in ONE transaction. Commits.

    A unique key broken on the way (at the flush, by ``then``'s writes, or at the commit)
    rolls everything back and returns ``find_existing()``: the row a racing post stored first.
    When that finds nothing, the clash was some other constraint and the error is raised.
    """
    try:
        db.session.add(row)
        db.session.flush()  # the unique key stops a second row here
        if then is not None:
            then()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = find_existing()
        if existing is None:
            raise
        return existing
    return row

"""Moving stored free text to the newest data key: ``flask --app voice keys status|rotate``.

Rotation, for whoever runs Voice:

1. put the new key first in ``VOICE_DATA_KEYS`` and keep the old one after it, restart:
   new text is written with the new key, and old text still reads;
2. run ``keys rotate``: every encrypted value still under an older key, or still in the v1
   format that is not bound to its row, is read and written again under the new key and bound
   to its table, column and row id, a batch at a time, so it can run while children use the
   service. Each batch commits, so an interrupted run is finished by running it again, and a
   run with nothing left to do changes nothing;
3. when ``keys status`` shows nothing left under the old key, remove it and restart.

A value that cannot be decrypted (tampered, or under a key that is no longer configured) is
counted and left exactly as it is: rotation never turns unreadable text into a different
unreadable text, and never overwrites what it could not read. Each rewrite is conditional on
the stored value being the one that was read, so a child saving their chat at that moment
is never overwritten with the older text (their save already used the new key).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Column, Table, Text, delete, select, type_coerce, update
from sqlalchemy.engine import CursorResult

from voice.crypto import ROW_PREFIX, EncryptedText, Keyring, KeyringError, for_row, keyring, place_of
from voice.extensions import db
from voice.models.keys import KeyCheck

log = logging.getLogger(__name__)

BATCH = 500


@dataclass
class ColumnReport:
    table: str
    column: str
    by_key: Counter[str] = field(default_factory=Counter)  # key id (or "unreadable") -> values
    unbound: int = 0  # values still in the v1 format, not bound to their row
    rewritten: int = 0
    bound: int = 0  # of the rewritten, how many were v1 and are now bound to their row
    unreadable: int = 0
    changed_meanwhile: int = 0

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"


def encrypted_columns() -> Iterator[tuple[Table, Column]]:
    """Every column stored with :class:`EncryptedText`, in a stable order."""
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                yield table, column


def _raw(column: Column):
    """The column as stored: the ciphertext, not decrypted."""
    return type_coerce(column, Text())


def _key_of(stored: str) -> str:
    return Keyring.key_id_of(stored) or "unreadable"


def status() -> list[ColumnReport]:
    """How many stored values each key id holds, per encrypted column."""
    reports = []
    for table, column in encrypted_columns():
        report = ColumnReport(table.name, column.name)
        for (stored,) in db.session.execute(select(_raw(column)).where(column.is_not(None))):
            report.by_key[_key_of(stored)] += 1
            report.unbound += not Keyring.is_row_bound(stored)
        reports.append(report)
    db.session.rollback()
    return reports


def rotate(*, batch: int = BATCH) -> list[ColumnReport]:
    """Re-encrypt, bound to its row, everything not already v2 under the active key.

    Commits after each batch."""
    ring = keyring()
    active_prefix = f"{ROW_PREFIX}:{ring.active_kid}:"
    reports = []
    for table, column in encrypted_columns():
        (key,) = table.primary_key.columns
        report = ColumnReport(table.name, column.name)
        last = None
        while True:
            query = (
                select(key, _raw(column))
                .where(column.is_not(None), ~_raw(column).startswith(active_prefix, autoescape=True))
                .order_by(key)
                .limit(batch)
            )
            if last is not None:
                query = query.where(key > last)
            rows = db.session.execute(query).all()
            if not rows:
                break
            for row_id, stored in rows:
                _rewrite(ring, table, column, key, row_id, stored, report)
            db.session.commit()
            last = rows[-1][0]
        reports.append(report)
        if report.unreadable:
            log.error(
                "keys rotate: %s values in %s could not be read and were left as they are",
                report.unreadable,
                report.name,
            )
    return reports


def _rewrite(ring: Keyring, table: Table, column: Column, key: Column, row_id, stored: str, report) -> None:
    try:
        plaintext = ring.decrypt(stored, place_of(column, row_id))
    except KeyringError:
        report.unreadable += 1
        return
    # EncryptedText encrypts the plaintext with the active key, bound to this row.
    result = cast(
        CursorResult,
        db.session.execute(
            update(table)
            .where(key == row_id, _raw(column) == stored)
            .values({column.name: for_row(column, row_id, plaintext)})
        ),
    )
    if result.rowcount == 1:
        report.rewritten += 1
        report.bound += not Keyring.is_row_bound(stored)
    else:
        report.changed_meanwhile += 1


def retire(kid: str) -> int:
    """Forget ``kid``'s start-up check when nothing stored is under it; returns what is left.

    Production refuses to start without every key id that wrote to the database
    (:func:`voice.crypto.verify_keys_against_database`); retiring is how an operator says a
    rotated-out key is really gone. Nothing is forgotten while any value is still under it.
    """
    left = sum(report.by_key.get(kid, 0) for report in status())
    if left == 0:
        db.session.execute(delete(KeyCheck).where(KeyCheck.kid == kid))
        db.session.commit()
    return left

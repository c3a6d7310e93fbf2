"""Every ORM write of an encrypted column gets its row (docs/adr/0029-row-bound-encrypted-fields.md).

:class:`voice.crypto.EncryptedText` encrypts only a :class:`voice.crypto.RowText`, the text with
its table, column and row id. These mapper events, on every mapper, hand it one just before the
statement is built:

- ``before_insert``: a UUID id still empty is chosen here, so the row is sealed once;
- ``after_insert``: an integer id is known only now, so the value the INSERT sealed to "no row
  yet" is rewritten bound to the new id, on the same connection, in the same transaction;
- ``before_update``: the encrypted columns that changed.

A Core ``insert``/``update`` (or an ORM bulk one, which skips these events) passes
``crypto.for_row(...)`` itself; a bare string is refused by the column type.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import Column, Uuid, event, update
from sqlalchemy.orm import Mapper, attributes

from voice.crypto import EncryptedText, RowText, UnreadableText, place_of

_ENCRYPTED: dict[Mapper, list[tuple[str, Column]]] = {}


def _encrypted(mapper: Mapper) -> list[tuple[str, Column]]:
    found = _ENCRYPTED.get(mapper)
    if found is None:
        found = [
            (prop.key, cast(Column, prop.columns[0]))
            for prop in mapper.column_attrs
            if isinstance(prop.columns[0].type, EncryptedText)
        ]
        _ENCRYPTED[mapper] = found
    return found


def _id_of(mapper: Mapper, target: Any) -> tuple[str, Column, Any]:
    (key_column,) = mapper.primary_key
    key = mapper.get_property_by_column(key_column).key
    return key, cast(Column, key_column), getattr(target, key)


def _bind(target: Any, props: list[tuple[str, Column]], row_id: Any, only: set[str] | None = None) -> list:
    state = attributes.instance_dict(target)
    bound = []
    for key, column in props:
        value = state.get(key)
        if value is None or isinstance(value, UnreadableText) or (only is not None and key not in only):
            continue
        state[key] = RowText(str(value), place_of(column, row_id))
        bound.append((key, column))
    return bound


@event.listens_for(Mapper, "before_insert")
def _before_insert(mapper: Mapper, connection: Any, target: Any) -> None:
    """UUID ids are chosen here, so the row is known; an integer id waits for the database."""
    props = _encrypted(mapper)
    if props:
        key, key_column, row_id = _id_of(mapper, target)
        if row_id is None and isinstance(key_column.type, Uuid):
            row_id = uuid.uuid4()
            setattr(target, key, row_id)
        _bind(target, props, row_id)


@event.listens_for(Mapper, "after_insert")
def _after_insert(mapper: Mapper, connection: Any, target: Any) -> None:
    """An integer id is known now: rewrite what the INSERT sealed to "no row yet", same transaction."""
    props = _encrypted(mapper)
    state = attributes.instance_dict(target)
    waiting = {k for k, _ in props if isinstance(state.get(k), RowText) and not state[k].place.row}
    if waiting:
        _, key_column, row_id = _id_of(mapper, target)
        bound = _bind(target, props, row_id, waiting)
        connection.execute(
            update(key_column.table).where(key_column == row_id).values({c: state[k] for k, c in bound})
        )


@event.listens_for(Mapper, "before_update")
def _before_update(mapper: Mapper, connection: Any, target: Any) -> None:
    props = _encrypted(mapper)
    if props:
        changed = set(attributes.instance_state(target).committed_state)
        _bind(target, props, _id_of(mapper, target)[2], changed)

"""Column helpers shared by the models."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import mapped_column

from voice import clock


def created_at_column():
    return mapped_column(DateTime(timezone=True), default=lambda: clock.now(), nullable=False)


def utc(value: datetime | None) -> datetime | None:
    return None if value is None else clock.as_utc(value)

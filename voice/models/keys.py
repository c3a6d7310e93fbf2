"""One known value per data key, so a wrong key is caught at start-up, not on a child's page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from voice.extensions import Model
from voice.models.types import created_at_column


class KeyCheck(Model):
    __tablename__ = "key_checks"

    kid: Mapped[str] = mapped_column(String(32), primary_key=True)
    ciphertext: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()

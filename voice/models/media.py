"""A picture or a voice note a child made in the picture journey, kept encrypted like free text."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voice.crypto import EncryptedText, readable
from voice.extensions import Model
from voice.models.conversation import Conversation, Submission
from voice.models.types import created_at_column

MEDIA_KINDS = ("drawing", "voice")


class ChildMedia(Model):
    """A drawing (PNG) or a voice note (audio) belonging to a draft, then to what was sent.

    The bytes are stored base64-encoded in an encrypted column, so they are as safe at rest as
    the child's typed words. A draft's media go when the draft is deleted (``ON DELETE
    CASCADE``); once sent, ``submission_id`` ties them to the submission. A transcript of a
    voice note is left to the worker: Voice never sends a child's voice anywhere to be heard.
    """

    __tablename__ = "child_media"
    __table_args__ = (CheckConstraint("kind IN ('drawing','voice')", name="kind_known"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    submission_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    node_id: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[int | None] = mapped_column(Integer)
    data_encrypted: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = created_at_column()

    conversation: Mapped[Conversation] = relationship()
    submission: Mapped[Submission | None] = relationship()

    @property
    def data(self) -> bytes:
        return base64.b64decode(readable(self.data_encrypted))

    @data.setter
    def data(self, value: bytes) -> None:
        self.data_encrypted = base64.b64encode(value).decode("ascii")

"""Drawings and voice notes made in the picture journey: checked, stored encrypted, attached.

Bad input from a phone is normal: a note that is too long or too big, a format we can't keep,
or nothing at all because the microphone was not allowed. Each comes back as a
:class:`MediaProblem` with a stable ``code`` and a kind English message (the web layer
translates it); nothing already saved is touched, and the journey carries on without it.

A voice note is never listened to by a machine: the worker hears it and writes any transcript
themselves. So a submission with a voice note is always "please read soon" (the detector could
not judge it), never silently "nothing to see".
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from voice import audit, clock
from voice.extensions import db
from voice.models import ChildMedia, Conversation, Submission

VOICE_NODE = "voice-note"
VOICE_NOTE_MAX_BYTES = 1_000_000
VOICE_NOTE_MAX_SECONDS = 120
DRAWING_MAX_BYTES = 400_000
DRAWING_MAX_SIDE = 1200

# Audio formats browsers record in (MediaRecorder) or phones save, known by their first bytes.
AUDIO_TYPES = ("audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav")


def N_(message: str) -> str:
    return message


MESSAGES: dict[str, str] = {
    "no_sound": N_("We didn't get a voice note. That's OK: your answers are saved. You can carry on."),
    "too_big": N_(
        "That voice note is too big to send. Your answers are saved. Try a shorter one, or carry on."
    ),
    "too_long": N_(
        "That voice note is longer than 2 minutes. Your answers are saved. Try a shorter one, or carry on."
    ),
    "format": N_("We can't keep that kind of sound file. Your answers are saved. You can carry on."),
    "drawing": N_("We couldn't keep that drawing. Your answers are saved. Tap a picture instead."),
}


@dataclass(frozen=True)
class MediaProblem:
    code: str

    @property
    def message(self) -> str:
        return MESSAGES[self.code]


def _limit(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def audio_type(data: bytes) -> str | None:
    """The audio format from the file's own first bytes (what the browser says is not trusted)."""
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return "audio/webm"
    if data.startswith(b"OggS"):
        return "audio/ogg"
    if data[4:8] == b"ftyp":
        return "audio/mp4"
    if data.startswith(b"RIFF") and data[8:12] == b"WAVE":
        return "audio/wav"
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    return None


def check_voice_note(data: bytes | None, seconds: str | None) -> tuple[str, int | None] | MediaProblem:
    """``(mime, seconds)`` for a note we can keep, or the problem with it. ``seconds`` is what
    the recorder measured (missing for a file chosen without JavaScript); the size limit holds
    either way, so a note can't be long without also being big."""
    if not data:
        return MediaProblem("no_sound")
    if len(data) > _limit("VOICE_NOTE_MAX_BYTES", VOICE_NOTE_MAX_BYTES):
        return MediaProblem("too_big")
    digits = seconds and seconds.isascii() and seconds.isdigit() and len(seconds) < 6
    length = int(seconds) if digits and seconds else None
    if length is not None and length > _limit("VOICE_NOTE_MAX_SECONDS", VOICE_NOTE_MAX_SECONDS):
        return MediaProblem("too_long")
    mime = audio_type(data)
    if mime is None:
        return MediaProblem("format")
    return mime, length


def check_drawing(data: bytes | None) -> MediaProblem | None:
    """A drawing must be a PNG of a sensible size, as the canvas makes it."""
    if not data or len(data) > _limit("VOICE_DRAWING_MAX_BYTES", DRAWING_MAX_BYTES):
        return MediaProblem("drawing")
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        return MediaProblem("drawing")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if not (0 < width <= DRAWING_MAX_SIDE and 0 < height <= DRAWING_MAX_SIDE):
        return MediaProblem("drawing")
    return None


def keep(
    conversation: Conversation, *, kind: str, node_id: str, mime: str, data: bytes, seconds: int | None = None
) -> ChildMedia:
    """Store a drawing or a voice note for a draft, replacing the one before for the same
    question (the latest is what the child meant). Commits."""
    for old in db.session.scalars(
        select(ChildMedia).where(
            ChildMedia.conversation_id == conversation.id,
            ChildMedia.node_id == node_id,
            ChildMedia.submission_id.is_(None),
        )
    ):
        db.session.delete(old)
    media = ChildMedia(
        conversation_id=conversation.id,
        kind=kind,
        node_id=node_id,
        mime=mime,
        size=len(data),
        seconds=seconds,
    )
    media.data = data
    db.session.add(media)
    conversation.updated_at = clock.now()
    db.session.flush()
    audit.record(
        f"media.{kind}_kept", actor=conversation.child, child_ref=conversation.child.ref,
        object_type="child_media", object_id=media.id,
    )  # fmt: skip
    db.session.commit()
    return media


def of_conversation(conversation: Conversation) -> dict[str, ChildMedia]:
    """A draft's media by question id (the voice note under ``VOICE_NODE``)."""
    rows = db.session.scalars(select(ChildMedia).where(ChildMedia.conversation_id == conversation.id))
    return {row.node_id: row for row in rows}


def of_submission(submission: Submission) -> dict[str, ChildMedia]:
    rows = db.session.scalars(select(ChildMedia).where(ChildMedia.submission_id == submission.id))
    return {row.node_id: row for row in rows}


def find(submission: Submission, media_id: uuid.UUID) -> ChildMedia | None:
    media = db.session.get(ChildMedia, media_id)
    return media if media is not None and media.submission_id == submission.id else None


def attach(conversation: Conversation, submission: Submission) -> bool:
    """Give the draft's media to the submission being sent (same transaction, no commit).
    True when one is a voice note, which makes the submission "please read soon"."""
    found: Mapping[str, ChildMedia] = of_conversation(conversation)
    for media in found.values():
        media.submission = submission
    return any(media.kind == "voice" for media in found.values())

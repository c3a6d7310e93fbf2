"""Missing episodes: staff record that a child is back; the child is offered "back from
missing"; staff see the return home interview's 72-hour timescale (statutory guidance on
children who run away or go missing from home or care, 2014)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from voice import audit, clock
from voice.extensions import db
from voice.models import Child, StaffMember, Submission
from voice.models.scenarios import MissingEpisode
from voice.once import earlier_post, store_once

MISSING_FLOW = "back-from-missing"
INTERVIEW_WITHIN = timedelta(hours=72)
OFFER_FOR = timedelta(days=28)
"""How long the child's menu offers "back from missing" after staff record the return."""


def record(
    child: Child, returned_at: datetime, *, by: StaffMember, key: uuid.UUID | None = None
) -> MissingEpisode:
    """Staff record that the child came back at ``returned_at``. Commits.
    The same ``key`` twice (a double post of one form) returns the first episode."""
    first, key = earlier_post(
        key, _by_key, lambda first: first.child_id == child.id and first.recorded_by_id == by.id
    )
    if first is not None:
        return first
    episode = MissingEpisode(
        child_id=child.id,
        returned_at=returned_at,
        interview_due_at=returned_at + INTERVIEW_WITHIN,
        recorded_by_id=by.id,
        key=key,
    )
    return store_once(
        episode,
        find_existing=lambda: _by_key(key) if key is not None else None,
        then=lambda: audit.record(
            "missing.recorded",
            actor=by,
            child_ref=child.ref,
            object_type="missing_episode",
            object_id=episode.id,
        ),
    )


def _by_key(key: uuid.UUID) -> MissingEpisode | None:
    return db.session.scalar(select(MissingEpisode).where(MissingEpisode.key == key))


def for_child(child: Child, limit: int = 5) -> list[MissingEpisode]:
    return list(
        db.session.scalars(
            select(MissingEpisode)
            .where(MissingEpisode.child_id == child.id)
            .order_by(MissingEpisode.returned_at.desc())
            .limit(limit)
        )
    )


def to_offer(child: Child) -> MissingEpisode | None:
    """The latest recent episode the child has not yet sent "back from missing" for."""
    return db.session.scalar(
        select(MissingEpisode)
        .where(
            MissingEpisode.child_id == child.id,
            MissingEpisode.submission_id.is_(None),
            MissingEpisode.returned_at >= clock.now() - OFFER_FOR,
        )
        .order_by(MissingEpisode.returned_at.desc())
    )


def attach(submission: Submission) -> MissingEpisode | None:
    """Link a "back from missing" submission to the episode it answers (caller's transaction)."""
    episode = to_offer(submission.child)
    if episode is not None:
        episode.submission_id = submission.id
    return episode

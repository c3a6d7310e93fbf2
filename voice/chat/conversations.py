"""Conversations as stored drafts: start, answer, save and send.

The engine (``voice.chat.engine``) decides what an answer does to the state. This module
loads and saves that state safely: every save names the version it was based on, and a save
based on an older version (another tab, another phone) is refused as a conflict instead of
overwriting newer answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar, cast

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from voice import audit, clock, crypto
from voice.chat import engine
from voice.chat.answers import AnswerError
from voice.content import versions
from voice.content.flows import Flow
from voice.extensions import db
from voice.models import Child, Conversation, Submission

ACTIONS = ("answer", "skip", "back")


def flows() -> dict[str, Flow]:
    """The live flows: what a conversation starting now uses."""
    return current_app.extensions["voice_content"]["flows"]


def flow_of(conversation: Conversation) -> Flow:
    """The flow as it was when this conversation started (its pinned content version), so
    words published in the studio meanwhile never change a chat half way through."""
    pinned = versions.flows_for_version(versions.parse_version(conversation.content_version))
    flow = pinned.get(conversation.flow_id)
    return flow if flow is not None else flows()[conversation.flow_id]


def content_version(flow: Flow) -> str:
    """``v3:pre-review@1``: the published content version and the flow's own version."""
    version_id = versions.version_of_flow(flow)
    if version_id is None:
        return f"{flow.id}@{flow.version}"
    return versions.version_string(version_id, flow.id, flow.version)


def open_for(child: Child, flow_ids: Iterable[str] | None = None) -> Conversation | None:
    """The child's latest open draft; with ``flow_ids``, only a draft of one of those flows
    (a child can have a review chat and a scenario chat open at once, one of each flow)."""
    query = select(Conversation).where(Conversation.child_id == child.id, Conversation.status == "open")
    if flow_ids is not None:
        query = query.where(Conversation.flow_id.in_(list(flow_ids)))
    return db.session.scalar(query.order_by(Conversation.started_at.desc()))


def open_drafts(child: Child) -> dict[str, Conversation]:
    """The child's open drafts by flow id (the newest of each)."""
    rows = db.session.scalars(
        select(Conversation)
        .where(Conversation.child_id == child.id, Conversation.status == "open")
        .order_by(Conversation.started_at)
    )
    return {row.flow_id: row for row in rows}


def owned(child: Child, conversation_id: uuid.UUID) -> Conversation | None:
    """A conversation only if it belongs to this child; anything else is "not found"."""
    return childs_own(child, Conversation, conversation_id, "conversation")


Owned = TypeVar("Owned", Conversation, Submission)


def childs_own(child: Child, model: type[Owned], row_id: uuid.UUID, object_type: str) -> Owned | None:
    """The row with this id only if it is this child's; None for anything else. Asking for
    another child's row is audited (and committed): a made-up id that matches nothing is not."""
    row = db.session.get(model, row_id)
    if row is None or row.child_id != child.id:
        if row is not None:
            audit.record("authz.denied", actor=child, object_type=object_type, object_id=row_id)
            db.session.commit()
        return None
    return row


def start(child: Child, flow_id: str, *, language: str) -> Conversation:
    """Start (or return the already open) conversation. A child has at most one open review
    chat (words or pictures) and one open draft of each scenario. Commits."""
    from voice.scenarios.menu import review_flows

    family = review_flows()
    existing = open_for(child, family if flow_id in family else [flow_id])
    if existing is not None:
        return existing
    flow = flows()[flow_id]
    review = child.next_review(clock.now().date())
    conversation = Conversation(
        child_id=child.id,
        review_id=review.id if review else None,
        flow_id=flow.id,
        content_version=content_version(flow),
        language=language,
        version=1,
        status="open",
    )
    conversation.state = engine.begin(flow)
    db.session.add(conversation)
    audit.record("conversation.started", actor=child, child_ref=child.ref, object_type="conversation")
    db.session.commit()
    return conversation


@dataclass(frozen=True)
class Applied:
    error: AnswerError | None = None
    conflict: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.conflict


def set_if_current(conversation: Conversation, based_on: int, **values) -> bool:
    """Compare-and-set on ``version``: write ``values`` only while the draft is open and still
    at ``based_on``, so at most one of two racing writes wins. Commits and refreshes."""
    done = cast(
        CursorResult,
        db.session.execute(
            update(Conversation)
            .where(
                Conversation.id == conversation.id,
                Conversation.version == based_on,
                Conversation.status == "open",
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    db.session.commit()
    db.session.refresh(conversation)
    return done == 1


def _save(conversation: Conversation, new_state: dict, based_on: int) -> bool:
    probe = Conversation(state=new_state)
    column = Conversation.__mapper__.columns["state_encrypted"]
    sealed = crypto.for_row(column, conversation.id, probe.state_encrypted)
    return set_if_current(
        conversation,
        based_on,
        state_encrypted=sealed,
        version=based_on + 1,
        updated_at=clock.now(),
        autosave_encrypted=None,  # the half-typed words are now an answer (or moved on)
    )


def apply(
    conversation: Conversation, *, based_on: int, action: str, node_id: str, values: list[str]
) -> Applied:
    """Apply one answer, skip or step back. Commits when something changed."""
    if action not in ACTIONS or not conversation.is_open:
        return Applied(conflict=True)
    flow = flow_of(conversation)
    state = conversation.state
    if action == "back":
        new_state = engine.go_back(flow, state)
    else:
        step = engine.skip if action == "skip" else None
        outcome = step(flow, state, node_id) if step else engine.submit_answer(flow, state, node_id, values)
        if outcome.error is not None:
            conflict = outcome.error.code == "stale"
            return Applied(error=None if conflict else outcome.error, conflict=conflict)
        new_state = outcome.state
    if new_state == state:
        return Applied()  # a double tap or a repeat: nothing to change
    if based_on != conversation.version:
        return Applied(conflict=True)  # based on an older screen: never overwrite newer answers
    return Applied() if _save(conversation, new_state, based_on) else Applied(conflict=True)


SHARE_DEFAULT = "worker"  # high privacy by default: only the child's own social worker
EVERY_ANSWER = "*"  # the key for the one choice that covers every answer (never a node id)
SAME_AS_THE_REST = "same"  # a per-answer choice that follows the one for every answer


def share_for(sharing: dict[str, str], node_id: str) -> str:
    """Who may see one answer: its own choice, else the choice for every answer, else the
    default (the worker only)."""
    return sharing.get(node_id) or sharing.get(EVERY_ANSWER) or SHARE_DEFAULT


def save_sharing(conversation: Conversation, everyone: str | None, each: dict[str, str]) -> None:
    """Keep the child's who-sees-what choices with the draft: one for every answer, and any
    answer that should differ. "The same as the rest" clears an answer's own choice. Commits."""
    from voice.models.conversation import SHARE_CHOICES

    sharing = dict(conversation.sharing)
    if everyone in SHARE_CHOICES:
        sharing[EVERY_ANSWER] = everyone
    for node_id, choice in each.items():
        if choice == SAME_AS_THE_REST:
            sharing.pop(node_id, None)
        elif choice in SHARE_CHOICES:
            sharing[node_id] = choice
    conversation.sharing = sharing
    conversation.updated_at = clock.now()
    db.session.commit()


def submission_of(conversation: Conversation) -> Submission | None:
    return db.session.scalar(select(Submission).where(Submission.conversation_id == conversation.id))


def draft_has_concern(conversation: Conversation) -> bool:
    """Does anything typed in the draft look worrying? Used only to offer help and "send now":
    a draft is never sent without the child pressing send."""
    from voice.safeguarding.screening import screen

    flow = flow_of(conversation)
    texts = [
        i.answer
        for i in engine.review_items(flow, conversation.state)
        if i.answer_type == "text" and not i.skipped
    ]
    return screen(texts).concern if texts else False

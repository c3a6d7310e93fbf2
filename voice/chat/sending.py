"""Sending: one tap makes exactly one immutable submission, routed and notified at once.

The submission, its answers, its routing record, any safeguarding alert and every outbox row
are written in ONE transaction. Nothing is sent by email here: the delivery worker does that
later from the outbox, so a mail outage can never lose what a child said.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from flask import current_app

from voice import audit, clock
from voice.chat import engine, media
from voice.chat.conversations import flow_of, share_for, submission_of
from voice.extensions import db
from voice.insight import counts
from voice.models import Child, Conversation, Submission, SubmissionAnswer
from voice.once import store_once
from voice.references import new_reference
from voice.routing import events
from voice.routing.recipients import chosen_by_child, recipient_for_flow, routing_record
from voice.routing.working_time import add_working_days
from voice.safeguarding import alerts
from voice.safeguarding.screening import Screening, screen
from voice.scenarios import hooks

CONCERN_REVIEW_WITHIN = timedelta(hours=1)


READ_SOON_WORKING_DAYS = 1


def review_deadline(concern: bool, read_soon: bool = False):
    """When a person must have read it: an hour for a concern; the next working day for
    "please read soon" (the detector could not judge the words); else the usual reminder."""
    now = clock.now()
    if concern:
        return now + CONCERN_REVIEW_WITHIN
    days = current_app.config["VOICE_READ_REMINDER_WORKING_DAYS"]
    if read_soon:
        days = min(days, READ_SOON_WORKING_DAYS)
    return add_working_days(now, days)


def _answers(conversation: Conversation) -> list[SubmissionAnswer]:
    flow = flow_of(conversation)
    choices = conversation.sharing
    rows = []
    for position, item in enumerate(engine.review_items(flow, conversation.state)):
        share = share_for(choices, item.node_id)
        if share == "private":
            continue  # kept private: never leaves the child's draft
        rows.append(
            SubmissionAnswer(
                position=position,
                node_id=item.node_id,
                topic=item.topic or "other",
                answer_type=item.answer_type,
                question=item.question[:1000],
                skipped=item.skipped,
                choices=None if item.answer_type == "text" or item.value is None else _choices(item.value),
                answer_text=None if item.skipped else item.answer,
                share=share,
            )
        )
    return rows


def _choices(value) -> str:
    return ",".join(value) if isinstance(value, list) else str(value)


def send(conversation: Conversation, *, language: str | None = None) -> Submission:
    """Turn the draft into a submission. Safe to call twice: the second call returns the first."""
    existing = submission_of(conversation)
    if existing is not None:
        return existing
    child = conversation.child
    answers = _answers(conversation)
    free_text = [a.answer_text for a in answers if a.answer_type == "text" and a.answer_text]
    screening = screen(free_text)
    scenario, urgent = hooks.is_scenario(conversation.flow_id), hooks.urgent(conversation.flow_id)
    kept = media.of_conversation(conversation)
    if any(m.kind == "voice" for m in kept.values()) and not screening.concern:
        # A voice note can't be screened by the detector: a person must hear it soon.
        screening = replace(screening, read_soon=True, reasons=(*screening.reasons, "voice-note"))
    submission = Submission(
        conversation_id=conversation.id,
        child_id=child.id,
        review_id=None if scenario else conversation.review_id,
        kind="scenario" if scenario else "pre_review",
        flow_id=conversation.flow_id,
        content_version=conversation.content_version,
        language=language or conversation.language,
        concern=screening.concern,
        read_soon=screening.read_soon,
        urgent=urgent,
        review_by=review_deadline(screening.concern, screening.read_soon or urgent),
        reference=new_reference("S"),
        answers=answers,
    )
    media.attach(conversation, submission)  # a drawing or voice note goes with it
    conversation.status = "submitted"  # in the same transaction as the submission
    return store(
        submission,
        child,
        screening,
        alert_source="detector",
        find_existing=lambda: submission_of(conversation),
    )


def store(
    submission: Submission,
    child: Child,
    screening: Screening,
    *,
    alert_source: str,
    find_existing: Callable[[], Submission | None],
) -> Submission:
    """Store first: the submission with its routing record, its notifications, an alert if
    its words are a concern, and the audit row, in ONE transaction. Commits.

    A second send of the same thing breaks a unique key (the conversation, or the question's
    reference); then the one already stored is returned from ``find_existing``.
    """

    def goes_with() -> None:
        recipient, also_told = recipient_for_flow(child, submission.flow_id or "")
        record = routing_record(submission.id, recipient)
        db.session.add(record)
        counts.on_sent(submission, record)
        events.submission_sent(submission, recipient)
        chosen = chosen_by_child(child, list(submission.answers), recipient)
        events.submission_shared(submission, list({p.id: p for p in also_told + chosen}.values()))
        hooks.after_send(submission)
        if screening.concern:
            alerts.raise_alert(
                child, source=alert_source, submission=submission, categories=screening.categories
            )
        audit.record(
            "submission.sent",
            actor=child,
            child_ref=child.ref,
            object_type="submission",
            object_id=submission.id,
        )

    return store_once(submission, find_existing=find_existing, then=goes_with)

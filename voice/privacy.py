"""Subject access: everything Voice holds about one child, and nothing about anyone else.

``flask --app voice privacy export CHILD_REF --received YYYY-MM-DD --out FILE`` writes one
JSON bundle for the council's data protection officer, who reviews it before it is released
(UK GDPR article 15; answer within one calendar month of receiving the request, article 12(3)).

What is in it: the child's record and reviews; enrolled phones and invite links (times only:
never a token, PIN or hash); every conversation, including drafts never sent, with the answers
decrypted; every submission with its answers, who it was routed to, who read it and when; the
replies; the notifications about it (channel, status and times; staff addresses are left
out); safety alerts and what happened to them; who was given emergency access; and every
audit event naming the child (who looked, when, and why).

What is not: other children's records, and the "Did this help?" feedback and quiz results,
which are stored without any link to a child so cannot be found for one.

Free text can mention other people. Any text naming another child in Voice (by first name or
reference) is listed under ``for_review`` with where it is, so the officer can redact it before
release; the other child's own records are never read into the bundle.
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select

from voice import audit, clock
from voice.extensions import db
from voice.models import (
    AccessGrant,
    Alert,
    AlertEvent,
    AuditEvent,
    Child,
    ChildReply,
    Conversation,
    Device,
    Invitation,
    OutboxMessage,
    Reply,
    Review,
    RoutingRecord,
    StaffMember,
    Submission,
)

FORMAT = "voice-subject-access-1"


def due_by(received: date) -> date:
    """One calendar month after the request arrived (the same day next month, or that month's
    last day when it has no such day)."""
    year, month = (received.year + 1, 1) if received.month == 12 else (received.year, received.month + 1)
    return date(year, month, min(received.day, calendar.monthrange(year, month)[1]))


def _being_typed(conversation: Conversation) -> Any:
    if not conversation.autosave_encrypted:
        return None
    try:
        return json.loads(conversation.autosave_encrypted)
    except ValueError:  # unreadable under the keys configured now: say so rather than fail
        return {"unreadable": True}


def _when(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def _staff(staff_id: int | None, cache: dict[int, dict[str, str]]) -> dict[str, str] | None:
    if staff_id is None:
        return None
    if staff_id not in cache:
        person = db.session.get(StaffMember, staff_id)
        cache[staff_id] = {"name": person.name, "role": person.role} if person else {"name": "?", "role": "?"}
    return cache[staff_id]


def _of_child(model: Any, child: Child, *order: Any) -> list[Any]:
    """Every row of ``model`` belonging to ``child``, in ``order``."""
    return list(db.session.scalars(select(model).where(model.child_id == child.id).order_by(*order)))


def bundle(child: Child, *, received: date) -> dict[str, Any]:
    """The bundle for one child (a dict ready for JSON). Reads only; the caller audits."""
    staff: dict[int, dict[str, str]] = {}
    conversations = _of_child(Conversation, child, Conversation.started_at)
    submissions = _of_child(Submission, child, Submission.sent_at)
    submission_ids = [s.id for s in submissions]
    alerts = _of_child(Alert, child, Alert.raised_at)
    alert_ids = [a.id for a in alerts]
    references = {item.id: item.reference for item in (*submissions, *alerts)}
    found = {
        "format": FORMAT,
        "exported_at": _when(clock.now()),
        "request": {"received": received.isoformat(), "answer_by": due_by(received).isoformat()},
        "child": {
            "ref": child.ref,
            "first_name": child.first_name,
            "last_name": child.last_name,
            "case_system_id": child.case_id,
            "mobile": child.mobile,  # the carer's contacts are the carer's data, so not here
            "became_looked_after_on": _when(child.became_looked_after_on),
            "date_of_birth": _when(child.date_of_birth),
            "placement_address": child.placement_address,
            "carer_phone": child.carer_phone,
            "preferred_language": child.preferred_language,
            "team": child.team.name if child.team else None,
            "social_worker": _staff(child.social_worker_id, staff),
            "iro": _staff(child.iro_id, staff),
            "record_created_at": _when(child.created_at),
            "mobile_for_reply_texts": child.mobile,
            "agreed_to_reply_texts": child.reply_texts_consent,
        },
        "reviews": [
            {
                "sequence": r.sequence,
                "due_on": _when(r.due_on),
                "held_on": _when(r.held_on),
                "decision": r.decision,
            }
            for r in _of_child(Review, child, Review.due_on)
        ],
        "phones": [
            {
                "enrolled_at": _when(d.created_at),
                "last_used_at": _when(d.last_used_at),
                "revoked_at": _when(d.revoked_at),
            }
            for d in _of_child(Device, child, Device.created_at)
        ],
        "invite_links": [
            {
                "created_at": _when(i.created_at),
                "expires_at": _when(i.expires_at),
                "used_at": _when(i.used_at),
                "created_by": _staff(i.created_by_id, staff),
            }
            for i in _of_child(Invitation, child, Invitation.created_at)
        ],
        "conversations": [
            {
                "id": str(c.id),
                "flow": c.flow_id,
                "status": c.status,
                "language": c.language,
                "started_at": _when(c.started_at),
                "updated_at": _when(c.updated_at),
                "answers": c.state.get("answers", {}),
                "who_may_see_each_answer": c.sharing,
                # Words saved while typing and not yet an answer (voice/chat/autosave.py).
                "being_typed": _being_typed(c),
                "being_typed_saved_at": _when(c.autosaved_at),
            }
            for c in conversations
        ],
        "submissions": [_submission(s, staff) for s in submissions],
        "notifications": [
            {
                "about": "submission" if m.submission_id else "alert",
                "reference": references.get(m.submission_id or m.alert_id),
                "channel": m.channel,
                "template": m.template,
                "status": m.status,
                "created_at": _when(m.created_at),
                "sent_at": _when(m.sent_at),
            }
            for m in _outbox(submission_ids, alert_ids)
        ],
        "alerts": [_alert(a, staff) for a in alerts],
        "emergency_access": [
            {
                "staff": _staff(g.staff_id, staff),
                "reason": g.reason,
                "granted_at": _when(g.granted_at),
                "expires_at": _when(g.expires_at),
            }
            for g in _of_child(AccessGrant, child, AccessGrant.granted_at)
        ],
        "access_log": [
            {
                "at": _when(e.at),
                "who": _actor(e, staff),
                "action": e.action,
                "what": e.object_type,
                "purpose": e.purpose,
            }
            for e in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.child_ref == child.ref)
                .order_by(AuditEvent.at, AuditEvent.id)
            )
        ],
        "not_included": [
            "'Did this help?' answers and quiz results: stored without any link to a child.",
            "Other children's records.",
        ],
    }
    found["for_review"] = third_party_mentions(found, child)
    return found


def _submission(s: Submission, staff: dict[int, dict[str, str]]) -> dict[str, Any]:
    return {
        "reference": s.reference,
        "kind": s.kind,
        "language": s.language,
        "sent_at": _when(s.sent_at),
        "status": s.status,
        "worrying_words_flagged": s.concern,
        "read_at": _when(s.read_at),
        "read_by": _staff(s.read_by_id, staff),
        "replied_at": _when(s.replied_at),
        "answers": [
            {
                "question": a.question,
                "skipped": a.skipped,
                "answer": a.answer_text,
                "who_may_see": a.share,
            }
            for a in s.answers
        ],
        "routed_to": [
            {
                "who": _staff(r.recipient_staff_id, staff) or {"name": "duty team", "role": r.recipient_kind},
                "reason": r.reason,
                "current": r.current,
                "at": _when(r.routed_at),
            }
            for r in db.session.scalars(
                select(RoutingRecord)
                .where(RoutingRecord.submission_id == s.id)
                .order_by(RoutingRecord.routed_at)
            )
        ],
        "replies": [
            {
                "from": _staff(r.author_id, staff),
                "kind": r.kind,
                "text": r.body,
                "sent_at": _when(r.created_at),
                "seen_by_child_at": _when(r.seen_by_child_at),
            }
            for r in db.session.scalars(
                select(Reply).where(Reply.submission_id == s.id).order_by(Reply.created_at, Reply.id)
            )
        ],
        "my_answers_to_replies": [
            {
                "text": a.body,
                "sent_at": _when(a.created_at),
                "worrying_words_flagged": a.concern,
                "read_at": _when(a.read_at),
                "read_by": _staff(a.read_by_id, staff),
            }
            for a in db.session.scalars(
                select(ChildReply)
                .where(ChildReply.submission_id == s.id)
                .order_by(ChildReply.created_at, ChildReply.id)
            )
        ],
    }


def _alert(a: Alert, staff: dict[int, dict[str, str]]) -> dict[str, Any]:
    return {
        "reference": a.reference,
        "source": a.source,
        "categories": a.categories,
        "words": a.words,
        "status": a.status,
        "raised_at": _when(a.raised_at),
        "acknowledged_at": _when(a.acknowledged_at),
        "acknowledged_by": _staff(a.acknowledged_by_id, staff),
        "what_was_done": [
            {"at": _when(x.at), "staff": _staff(x.staff_id, staff), "action": x.action, "text": x.note}
            for x in a.actions
        ],
        "events": [
            {"at": _when(e.at), "what": e.kind, "staff": _staff(e.staff_id, staff)}
            for e in db.session.scalars(
                select(AlertEvent).where(AlertEvent.alert_id == a.id).order_by(AlertEvent.at, AlertEvent.id)
            )
        ],
    }


def _outbox(submission_ids: list, alert_ids: list) -> list[OutboxMessage]:
    conditions = []
    if submission_ids:
        conditions.append(OutboxMessage.submission_id.in_(submission_ids))
    if alert_ids:
        conditions.append(OutboxMessage.alert_id.in_(alert_ids))
    if not conditions:
        return []
    return list(
        db.session.scalars(select(OutboxMessage).where(or_(*conditions)).order_by(OutboxMessage.created_at))
    )


def _actor(event: AuditEvent, staff: dict[int, dict[str, str]]) -> Any:
    if event.actor_kind == "staff" and event.actor_id and event.actor_id.isdigit():
        return _staff(int(event.actor_id), staff)
    return {"kind": event.actor_kind}  # the child themself, the system, or the council's officer


def third_party_mentions(found: dict[str, Any], child: Child) -> list[dict[str, str]]:
    """Where free text in the bundle names another child in Voice: for the officer to redact.

    Only names and references are compared (whole words, any case); nothing else about the
    other child is read, and nothing of theirs is added except the matched word.
    """
    others = db.session.execute(select(Child.first_name, Child.ref).where(Child.id != child.id)).all()
    words = {w for row in others for w in row if w and len(w) >= 2 and w.lower() != child.first_name.lower()}
    if not words:
        return []
    pattern = re.compile(
        r"\b(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")\b", re.I
    )
    flagged: list[dict[str, str]] = []
    for path, text in _texts(found):
        match = pattern.search(text)
        if match:
            flagged.append({"where": path, "names": match.group(0)})
    return flagged


FREE_TEXT_KEYS = frozenset({"answers", "answer", "text", "words"})


def _texts(value: Any, path: str = "", inside: bool = False) -> list[tuple[str, str]]:
    """Every string in the bundle's free-text fields (what a child or a worker wrote)."""
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "for_review":
                found += _texts(item, f"{path}.{key}" if path else key, inside or key in FREE_TEXT_KEYS)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _texts(item, f"{path}[{index}]", inside)
    elif isinstance(value, str) and inside:
        found.append((path, value))
    return found


def export(child_ref: str, *, received: date) -> str:
    """The bundle as JSON, and an audit event saying it was made. Raises LookupError."""
    child = Child.by_ref(child_ref)
    if child is None:
        raise LookupError(child_ref)
    found = bundle(child, received=received)
    audit.record(
        "privacy.subject_access_export",
        actor="system",
        child_ref=child.ref,
        object_type="child",
        purpose="subject_access",
    )
    db.session.commit()
    return json.dumps(found, ensure_ascii=False, indent=2)

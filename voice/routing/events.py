"""What to tell whom when something happens. Every message here is content-free.

These functions only add rows to the current transaction (the outbox); the caller commits
them together with the submission, alert or lockout that caused them.
"""

from __future__ import annotations

from flask import current_app

from voice.models import Alert, Child, StaffMember, Submission
from voice.references import new_reference
from voice.routing import channels, notifications
from voice.routing.recipients import Recipient


def _link(path: str) -> str:
    return current_app.config["VOICE_BASE_URL"] + path


def submission_sent(submission: Submission, recipient: Recipient) -> None:
    _new_submission(submission, recipient.email)


def submission_shared(submission: Submission, people: list[StaffMember]) -> None:
    """The same content-free notification for each person the child chose to share with."""
    for person in people:
        _new_submission(submission, person.email)


def _new_submission(submission: Submission, address: str) -> None:
    notifications.enqueue(
        "new_submission",
        to_address=address,
        reference=submission.reference,
        link=_link(f"/staff/submissions/{submission.id}"),
        submission_id=submission.id,
        urgent=bool(submission.urgent),
    )


def child_locked_out(child: Child) -> None:
    worker = child.social_worker
    address = worker.email if worker is not None and worker.active else child.team.duty_email
    notifications.enqueue(
        "child_locked_out", to_address=address, reference=new_reference("L"), link=_link("/staff/")
    )


def second_factor_reset(person: StaffMember) -> None:
    """The person hears that their sign-in code was reset, so a reset they did not ask for
    does not go unnoticed."""
    notifications.enqueue(
        "second_factor_reset",
        to_address=person.email,
        reference=new_reference("F"),
        link=_link("/staff/sign-in"),
    )


def alert_raised(alert: Alert, addresses: list[str]) -> None:
    for address in dict.fromkeys(addresses):  # unique, in order
        notifications.enqueue(
            "urgent_alert",
            to_address=address,
            reference=alert.reference,
            link=_link(f"/staff/alerts/{alert.id}"),
            urgent=True,
            alert_id=alert.id,
        )


def child_replied(submission: Submission, recipient: Recipient) -> None:
    notifications.enqueue(
        "child_replied",
        to_address=recipient.email,
        reference=submission.reference,
        link=_link(f"/staff/submissions/{submission.id}"),
        submission_id=submission.id,
    )


def reply_waiting(submission: Submission) -> bool:
    """Text the child that a reply is waiting, when they (or their carer) agreed, a mobile is
    on record and Notify can send texts. The text is content-free. Returns whether it was
    queued."""
    child = submission.child
    config = current_app.config
    if not (child.reply_texts_consent and child.mobile):
        return False
    if not channels.get(notifications.TEXT_CHANNEL).can_text(config):  # type: ignore[attr-defined]
        return False
    notifications.enqueue_text(
        "reply_waiting",
        to_number=child.mobile,
        reference=new_reference("T"),
        link=_link("/messages"),
        submission_id=submission.id,
        language=child.preferred_language,
    )
    return True

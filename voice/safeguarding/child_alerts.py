"""Alerts a child raises themselves."""

from __future__ import annotations

import uuid

from voice import audit
from voice.extensions import db
from voice.models import Alert, AlertEvent, Child
from voice.safeguarding.alerts import raise_alert

# Pressed on a phone set up for this child, but before the PIN was put in: most likely the
# child, but nobody proved it. Staff are shown this in words (voice/templating.py).
BEFORE_PIN = "button_pre_pin"


def child_feels_unsafe(child: Child, *, before_pin: bool = False) -> Alert:
    """The one-tap button. Always an alert, whatever the detector would say. Commits."""
    source = BEFORE_PIN if before_pin else "button"
    alert = raise_alert(child, source=source, categories=("child-pressed-not-safe",))
    audit.record("alert.raised", actor=child, child_ref=child.ref, object_type="alert", object_id=alert.id)
    db.session.commit()
    return alert


def add_words(child: Child, alert_id: uuid.UUID, words: str) -> bool:
    """Optional words added after the tap. Only to the child's own, still-open alert. Commits."""
    alert = db.session.get(Alert, alert_id)
    words = words.replace("\x00", "").strip()
    if alert is None or alert.child_id != child.id or not words:
        return False
    alert.words = ((alert.words + "\n\n") if alert.words else "") + words[:4000]
    alert.events.append(AlertEvent(kind="child_added_words"))
    db.session.commit()
    return True

"""A drawing or voice note in a draft nobody sent goes with the draft; a sent one stays."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from tests import factories
from tests.pictures.helpers import WEBM
from voice import clock, retention
from voice.chat import conversations, media
from voice.extensions import db
from voice.models import ChildMedia


def test_an_abandoned_drafts_voice_note_is_deleted_with_it(app):
    start = clock.now()
    with time_machine.travel(start, tick=False), app.test_request_context():
        child = factories.child(worker=factories.staff(team_=factories.team()), ref="R-0101")
        db.session.commit()
        draft = conversations.start(child, "all-about-me", language="en")
        media.keep(draft, kind="voice", node_id=media.VOICE_NODE, mime="audio/webm", data=WEBM, seconds=3)
    with time_machine.travel(start + timedelta(days=91), tick=False), app.test_request_context():
        assert retention.purge_abandoned_drafts().drafts_deleted == 1
        assert db.session.scalar(select(func.count(ChildMedia.id))) == 0

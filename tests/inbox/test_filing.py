"""A worker with 25 children needs to see what is still to copy into the case record, and to undo
a "filed" mark clicked by mistake before Voice deletes its copy (THREATS row 36)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from tests import factories
from tests.helpers.auth import sign_in_staff
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice import clock, retention
from voice.extensions import db
from voice.models import AuditEvent, Submission


def _worker_with_children(app, *refs: str) -> str:
    with app.app_context():
        worker = factories.staff(team_=factories.team())
        for ref in refs:
            factories.child(worker=worker, ref=ref, first_name=f"Kid{ref[-1]}")
        db.session.commit()
        return worker.email


def _names_listed(page, url: str) -> list[str]:
    rows = page.get(url).soup.select("table tbody tr td:first-child a")
    return sorted(a.get_text(" ", strip=True) for a in rows)


def test_the_inbox_lists_only_what_is_not_yet_in_the_case_record(app, client):
    email = _worker_with_children(app, "F-0001", "F-0002")
    filed_id = send_for(app, "F-0001")
    send_for(app, "F-0002")
    page = PageFetcher(client)
    sign_in_staff(page, email)
    assert len(_names_listed(page, "/staff/?not_filed=1")) == 2
    page.submit(page.get(f"/staff/submissions/{filed_id}"), selector="section.filing form")

    waiting = _names_listed(page, "/staff/?not_filed=1")
    assert len(waiting) == 1 and "F-0002" in waiting[0]
    assert len(_names_listed(page, "/staff/")) == 2  # the filed one is still in the inbox itself
    home = page.get("/staff/")
    assert "Not yet in the case record" in home.text


def test_a_mistaken_filed_mark_can_be_undone_and_then_nothing_is_deleted(app, client):
    email = _worker_with_children(app, "F-0003")
    start = clock.now()
    with time_machine.travel(start, tick=False):
        submission_id = send_for(app, "F-0003")
        page = PageFetcher(client)
        sign_in_staff(page, email)
        filed = page.submit(page.get(f"/staff/submissions/{submission_id}"), selector="section.filing form")
        assert "Filed in the case record on" in filed.text
        undone = page.submit(filed, selector="form.undo-filed")
        assert "Marked as not filed yet" in undone.text
        assert "Not filed in the case record yet" in undone.text
        assert len(_names_listed(page, "/staff/?not_filed=1")) == 1

        # A second undo (another tab, a double click) changes nothing and says nothing.
        again = page.submit(filed, selector="form.undo-filed")
        assert "Marked as not filed yet" not in again.text
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        assert submission.transferred_at is None and submission.transferred_by_id is None
        undo_events = select(func.count()).where(AuditEvent.action == "submission.unfiled")
        assert db.session.scalar(undo_events) == 1
    # Long past the retention period, an unfiled submission is still kept.
    with time_machine.travel(start + timedelta(days=200), tick=False), app.app_context():
        assert retention.run().filed_deleted == 0
        assert db.session.get(Submission, submission_id) is not None

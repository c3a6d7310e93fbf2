"""The inbox's default view (voice/inbox/first_page.py) shows the same counts and the same
first page as the single query it replaces, through a scripted day: sends, a read, a reply,
a concern and the child answering the reply."""

import uuid
from datetime import timedelta

from tests.helpers.auth import sign_in_staff
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice import clock
from voice.chat import messages
from voice.extensions import db
from voice.inbox import queries
from voice.inbox.scope import submission_filter
from voice.models import Child, StaffMember, Submission


def _both(staff_id, per_page=4):
    """(fast counts, slow counts, fast pages, slow pages) for one person."""
    staff = db.session.get(StaffMember, staff_id)
    where = [submission_filter(staff)]
    now = clock.now()
    fast = queries.inbox(staff, per_page=per_page)
    pages = fast.pages
    fast_rows = [
        [s.id for s in queries.inbox(staff, page=p, per_page=per_page).submissions]
        for p in range(1, pages + 1)
    ]
    slow_rows = [
        [s.id for s in queries._rows(where, queries.InboxFilters(), (p - 1) * per_page, per_page)]
        for p in range(1, pages + 1)
    ]
    return (fast.total, fast.unread, fast.overdue), queries._counts(where, now), fast_rows, slow_rows


def test_default_inbox_matches_the_single_query_through_a_scripted_day(app, world):
    sent = [send_for(app, world["kid_a"], text=f"note {n}") for n in range(7)]
    send_for(app, world["kid_b"], text="another team")
    worker = PageFetcher(app.test_client())
    sign_in_staff(worker, world["emails"]["sw_a1"])
    read = worker.get(f"/staff/submissions/{sent[0]}")
    worker.get(f"/staff/submissions/{sent[1]}")
    worker.submit(
        read, {"reply-body": "Thank you, I will ring you on Friday."}, selector="form[action$='/reply']"
    )
    with app.test_request_context():
        concern = db.session.get(Submission, sent[4])
        concern.concern = True
        db.session.commit()
        child = Child.by_ref(world["kid_a"])
        messages.answer(child, db.session.get(Submission, sent[0]), "Friday is good", key=uuid.uuid4())
        db.session.commit()
        for who in ("tm_a", "sw_a1", "tm_b"):
            fast, slow, fast_rows, slow_rows = _both(world["ids"][who])
            assert fast == slow, who
            assert fast_rows == slow_rows, who
        counts, _, rows, _ = _both(world["ids"]["tm_a"])
        # Seven sent in team A: five never opened, one read, one replied and then answered.
        assert counts[0] == 7 and counts[1] == 6
        assert rows[0][0] == sent[4]  # the concern comes first
    # A month on, everything unread is overdue: the overdue counts agree too.
    with clock.pinned(clock.now() + timedelta(days=30)), app.app_context():
        fast, slow, fast_rows, slow_rows = _both(world["ids"]["tm_a"])
        assert fast == slow and fast[2] == 5
        assert fast_rows == slow_rows

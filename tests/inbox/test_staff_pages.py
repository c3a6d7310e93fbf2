"""Staff pages as each role lives in them: British dates everywhere, only the buttons a role can
use, the inbox's filters, sort and search, and a child's timeline."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from pypdf import PdfReader

from tests import factories
from tests.helpers.auth import sign_in_staff
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice import clock
from voice.extensions import db
from voice.models import Child, Review, StaffMember, Submission
from voice.safeguarding import alerts

# 6 December 2026, 18:38 in London: "12/6/26" or "Dec 6, 2026" would read as June to a British reader.
SENT = datetime(2026, 12, 6, 18, 38, 57, tzinfo=UTC)
US_ORDER = [
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),  # 12/6/26
    re.compile(
        r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}"
    ),  # Dec 6, 2026
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s?(?:AM|PM|am|pm)\b"),  # 6:38 PM
    re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b"),  # seconds
]


def staff_page(app, email):
    page = PageFetcher(app.test_client())
    sign_in_staff(page, email)
    return page


def _us_dates(text: str) -> list[str]:
    return [m.group(0) for pattern in US_ORDER for m in pattern.finditer(text)]


def _child_id(app, ref):
    with app.app_context():
        return Child.by_ref(ref).id


def test_no_staff_page_or_export_has_a_us_order_date(app, world):
    with time_machine.travel(SENT, tick=False):
        with app.app_context():
            child = Child.by_ref(world["kid_a"])
            child.reviews.append(Review(due_on=date(2027, 1, 5), sequence=2))
            db.session.commit()
        sid = send_for(app, world["kid_a"], share="worker_iro")
        with app.app_context():
            submission = db.session.get(Submission, sid)
            alert = alerts.raise_alert(submission.child, source="button", submission=submission)
            db.session.commit()
            alert_id = alert.id
        sign_in_directly(app, app.test_client(), world["kid_a"])  # a phone, for "Set up …"
        worker = staff_page(app, world["emails"]["sw_a1"])
        read = worker.get(f"/staff/submissions/{sid}")
        worker.submit(read, {"reply-body": "Thank you."}, selector="form[action$='/reply']")
    child_id = _child_id(app, world["kid_a"])
    seen: dict[str, str] = {}
    for who in ("sw_a1", "tm_a", "iro"):
        person = staff_page(app, world["emails"][who])
        urls = [
            "/staff/",
            "/staff/?sort=review&awaiting=1",
            "/staff/children",
            f"/staff/children/{child_id}",
            f"/staff/submissions/{sid}",
            f"/staff/submissions/{sid}/print",
        ]
        if who != "iro":
            urls.append(f"/staff/alerts/{alert_id}")
        for url in urls:
            seen[f"{who} {url}"] = person.get(url).text
        seen[f"{who} csv"] = person.client.get("/staff/inbox.csv").get_data(as_text=True)
        data = json.loads(person.client.get(f"/staff/submissions/{sid}/export.json").data)
        seen[f"{who} json"] = " ".join(_texts(data))
        pdf = PdfReader(io.BytesIO(person.client.get(f"/staff/submissions/{sid}/export.pdf").data))
        seen[f"{who} pdf"] = "\n".join(p.extract_text() for p in pdf.pages)
    found = {where: _us_dates(text) for where, text in seen.items() if _us_dates(text)}
    assert not found, found
    # and the British form is what is there instead
    assert "6 Dec 2026, 18:38" in seen["sw_a1 /staff/"]
    assert "6 Dec 2026, 18:38" in seen["sw_a1 csv"] and "5 Jan 2027" in seen["sw_a1 csv"]
    assert "6 Dec 2026, 18:38" in seen["tm_a pdf"] and "5 Jan 2027" in seen["iro pdf"]
    assert "6 Dec 2026, 18:38" in seen["iro json"]


def _texts(value):
    """Every string meant for people in a JSON export: the ``*_text`` fields (ISO fields are for
    machines) and free text."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("_text") and isinstance(item, str):
                yield item
            elif not isinstance(item, str) or key in ("text", "answer", "question"):
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, str):
        yield value


# What each role may do on a child's page and on a submission; the pages must offer exactly this.
ROLE_ACTIONS: dict[str, set[str]] = {
    "social_worker": {"invite", "unlock", "switch_off", "reply", "decide"},
    "team_manager": {"invite", "unlock", "switch_off", "allocate", "reply", "decide"},
    "iro": {"reply", "decide"},
}
CHILD_PAGE_ACTIONS = {
    "invite": "/invite",
    "unlock": "/unlock",
    "switch_off": "/revoke",
    "allocate": "/allocation",
}
SUBMISSION_ACTIONS = {"reply": "/reply", "decide": "/outcome"}
WHO = {"social_worker": "sw_a1", "team_manager": "tm_a", "iro": "iro"}


def _offered(soup, actions: dict[str, str]) -> set[str]:
    posted = [form.get("action", "") for form in soup.select("main form[method=post]")]
    return {name for name, suffix in actions.items() if any(a.endswith(suffix) for a in posted)}


@pytest.mark.parametrize("role", sorted(ROLE_ACTIONS))
def test_each_role_is_offered_only_the_buttons_it_can_use(app, world, role):
    device_id = sign_in_directly(app, app.test_client(), world["kid_a"])
    sid = send_for(app, world["kid_a"], share="worker_iro")
    child_id = _child_id(app, world["kid_a"])
    person = staff_page(app, world["emails"][WHO[role]])
    allowed = ROLE_ACTIONS[role]

    child_page = person.get(f"/staff/children/{child_id}")
    assert _offered(child_page.soup, CHILD_PAGE_ACTIONS) == allowed & set(CHILD_PAGE_ACTIONS)
    submission = person.get(f"/staff/submissions/{sid}")
    assert _offered(submission.soup, SUBMISSION_ACTIONS) == allowed & set(SUBMISSION_ACTIONS)

    token = child_page.soup.select_one("input[name=csrf_token]")["value"]
    urls = {
        "invite": f"/staff/children/{child_id}/invite",
        "unlock": f"/staff/children/{child_id}/unlock",
        "switch_off": f"/staff/children/{child_id}/devices/{device_id}/revoke",
        "allocate": f"/staff/children/{child_id}/allocation",
    }
    for action, url in urls.items():
        status = person.client.post(url, data={"csrf_token": token, "worker": ""}).status_code
        if action in allowed:
            assert status in (200, 302), (action, status)
        else:
            assert status == 403, (action, status)  # not shown, and refused if tried


def test_duty_sees_no_child_pages_and_no_reply_buttons(app, world):
    duty = staff_page(app, world["emails"]["duty_a"])
    assert duty.client.get(f"/staff/children/{_child_id(app, world['kid_a'])}").status_code == 404
    inbox = duty.get("/staff/")
    assert not _offered(inbox.soup, SUBMISSION_ACTIONS | CHILD_PAGE_ACTIONS)


def _submission_for(app, ref, *, days_ago: int, concern=False, status="sent", review_in=None):
    with time_machine.travel(clock.now() - timedelta(days=days_ago), tick=False):
        sid = send_for(app, ref)
    with app.app_context():
        s = db.session.get(Submission, sid)
        s.concern, s.status = concern, status
        if review_in is not None:
            review = Review(child_id=s.child_id, due_on=clock.now().date() + timedelta(days=review_in))
            db.session.add(review)
            db.session.flush()
            s.review_id = review.id
        db.session.commit()
        return s.reference


def test_inbox_filters_sort_and_search(app, world):
    with app.app_context():
        worker = db.session.get(StaffMember, world["ids"]["sw_a1"])
        zara = factories.child(
            worker=worker, ref="K-Z9", first_name="Zara", last_name="Quayle", case_id="LCS-77"
        )
        db.session.commit()
        assert zara.ref == "K-Z9"
    old_unread = _submission_for(app, "K-A1", days_ago=5, review_in=30)
    concern = _submission_for(app, "K-A1", days_ago=3, concern=True, status="read", review_in=40)
    answered = _submission_for(app, "K-Z9", days_ago=1, status="replied", review_in=10)
    page = staff_page(app, world["emails"]["sw_a1"])

    def refs(url):
        return [a.get_text() for a in page.get(url).soup.select("table.inbox td:first-child a")]

    def shown(url):
        text = page.get(url).soup.select_one("table.inbox")
        return text.get_text(" ") if text else ""

    assert len(refs("/staff/")) == 3
    assert "Pip" in shown("/staff/?unread=1") and "Zara" not in shown("/staff/?unread=1")
    awaiting = shown("/staff/?awaiting=1")
    assert "Pip" in awaiting and "Zara" not in awaiting
    assert "Zara Quayle" in shown("/staff/?review_soon=1") and "Pip" not in shown("/staff/?review_soon=1")
    assert shown("/staff/?concern=1").count("Possible concern") == 1
    assert "Nothing matches" in page.get("/staff/?concern=1&review_soon=1").text
    # sort: by review date, soonest first; by sent date, newest first
    by_review = page.get("/staff/?sort=review").soup.select("table.inbox tbody tr")
    assert "Zara" in by_review[0].get_text() and "Pip" in by_review[-1].get_text()
    by_sent = page.get("/staff/?sort=sent").soup.select("table.inbox tbody tr")
    assert "Zara" in by_sent[0].get_text()
    # search by first name, last name, Voice reference or case id; % and _ are plain characters
    for q in ("zar", "Quayle", "k-z9", "LCS-77"):
        assert "Zara" in shown(f"/staff/?q={q}") and "Pip" not in shown(f"/staff/?q={q}"), q
    assert "Nothing matches" in page.get("/staff/?q=%25").text
    # nonsense is ignored, never an error
    assert len(refs("/staff/?sort=drop+table&unread=maybe")) == 3
    # the manager's CSV: the marking, then every column, filtered the same way
    rows = list(csv.reader(io.StringIO(page.client.get("/staff/inbox.csv?q=Zara").get_data(as_text=True))))
    assert rows[0][0] == "OFFICIAL-SENSITIVE" and rows[0][1].startswith("Exported by Asha One on ")
    header, body = rows[1], rows[2:]
    for column in ("Child", "Sent", "Status", "Language", "Review due", "First reply", "First decision"):
        assert column in header
    assert [r[header.index("Reference")] for r in body] == [answered]
    assert (
        body[0][header.index("Status")] == "Answered" and body[0][header.index("Case-system ID")] == "LCS-77"
    )
    everything = list(csv.reader(io.StringIO(page.client.get("/staff/inbox.csv").get_data(as_text=True))))
    assert {r[0] for r in everything[2:]} == {old_unread, concern, answered}


def test_child_page_timeline_has_submissions_replies_decisions_alerts_and_reviews(app, world):
    with app.app_context():
        child = Child.by_ref(world["kid_a"])
        child.reviews.append(Review(due_on=clock.now().date() + timedelta(days=12), sequence=5))
        db.session.commit()
    sid = send_for(app, world["kid_a"])
    with app.app_context():
        submission = db.session.get(Submission, sid)
        alerts.raise_alert(submission.child, source="button")
        db.session.commit()
        reference = submission.reference
    worker = staff_page(app, world["emails"]["sw_a1"])
    read = worker.get(f"/staff/submissions/{sid}")
    worker.submit(read, {"reply-body": "Thanks"}, selector="form[action$='/reply']")
    read = worker.get(f"/staff/submissions/{sid}")
    worker.submit(
        read, {"outcome-topic": "family", "outcome-body": "More time"}, selector="form[action$='/outcome']"
    )
    timeline = worker.get(f"/staff/children/{_child_id(app, world['kid_a'])}").soup.select("ol.timeline li")
    kinds = [li["class"][0] for li in timeline]
    assert {"timeline-submission", "timeline-reply", "timeline-decision", "timeline-alert"} <= set(kinds)
    assert kinds[0] == "timeline-review-due"  # the review ahead comes first
    text = " ".join(li.get_text(" ", strip=True) for li in timeline)
    assert reference in text and "Decision by Asha One: Family time" in text
    # an IRO sees the child's timeline without the alerts they do not handle
    iro = staff_page(app, world["emails"]["iro"])
    iro_page = iro.get(f"/staff/children/{_child_id(app, world['kid_a'])}")
    iro_kinds = {li["class"][0] for li in iro_page.soup.select("ol.timeline li")}
    assert "timeline-review-due" in iro_kinds and "timeline-alert" not in iro_kinds

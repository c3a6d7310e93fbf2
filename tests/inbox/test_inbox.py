"""Every submission reaches a person, is read, and gets an answer."""

import json

import pytest
from sqlalchemy import select

from tests.helpers.auth import sign_in_staff
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice.extensions import db
from voice.models import AuditEvent, RoutingRecord, StaffMember, Submission

EVIL = '"><img src=x onerror=alert(1)><script>alert("x")</script> javascript:alert(1)'


def staff_page(app, email):
    page = PageFetcher(app.test_client())
    sign_in_staff(page, email)
    return page


def test_worker_sees_reads_and_replies_and_the_child_sees_it(app, world):
    sid = send_for(app, world["kid_a"], text="I want my own room")
    worker = staff_page(app, world["emails"]["sw_a1"])
    inbox = worker.get("/staff/")
    assert "1 unread" in inbox.text
    assert "Pip (K-A1)" in inbox.text
    read = worker.get(inbox.soup.select_one("table.inbox a")["href"])
    assert "I want my own room" in read.text
    with app.app_context():
        s = db.session.get(Submission, sid)
        assert s.status == "read" and s.read_by.email == world["emails"]["sw_a1"]
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "submission.read"))
        assert audit.child_ref == "K-A1" and audit.actor_id == str(world["ids"]["sw_a1"])
        assert "own room" not in " ".join(str(v) for v in vars(audit).values())
    worker.submit(
        read,
        {"reply-body": "Thank you Pip. I'll talk to your carers about a room this week."},
        selector="form[action$='/reply']",
    )

    child = PageFetcher(app.test_client())
    sign_in_directly(app, child.client, world["kid_a"])
    mine = child.get("/messages")
    assert "Read by your social worker" in mine.text
    message = child.get(f"/messages/{sid}")
    assert "I'll talk to your carers about a room" in message.text
    assert "Asha wrote:" in message.text


def test_outcomes_are_recorded_per_topic_and_shown_to_the_child(app, world):
    sid = send_for(app, world["kid_a"])
    worker = staff_page(app, world["emails"]["sw_a1"])
    read = worker.get(f"/staff/submissions/{sid}")
    topic = read.soup.select_one("select[name=outcome-topic] option")["value"]
    worker.submit(
        read,
        {"outcome-topic": topic, "outcome-body": "You will see your brother every other Saturday."},
        selector="form[action$='/outcome']",
    )
    child = PageFetcher(app.test_client())
    sign_in_directly(app, child.client, world["kid_a"])
    message = child.get(f"/messages/{sid}")
    assert "What was decided" in message.text and "every other Saturday" in message.text


SUBMISSION_URLS = [
    "/staff/submissions/{id}",
    "/staff/submissions/{id}/print",
    "/staff/submissions/{id}/export.pdf",
    "/staff/submissions/{id}/export.json",
]


@pytest.mark.parametrize("who", ["sw_a2", "sw_b", "tm_b", "duty_a"])
def test_people_outside_scope_get_404_for_every_url_and_action(app, world, who):
    sid = send_for(app, world["kid_a"], share="worker")
    page = staff_page(app, world["emails"][who])
    assert "K-A1" not in page.get("/staff/").text
    for url in SUBMISSION_URLS:
        assert page.client.get(url.format(id=sid)).status_code == 404, url
    token_page = page.get("/staff/")
    csrf = token_page.soup.find("input", attrs={"name": "csrf_token"})["value"]
    for action in ("reply", "outcome"):
        response = page.client.post(
            f"/staff/submissions/{sid}/{action}", data={"csrf_token": csrf, "body": "x", "topic": "home"}
        )
        assert response.status_code in (403, 404), action
    with app.app_context():
        assert db.session.get(Submission, sid).status == "sent"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "authz.denied"))


def test_participation_officer_cannot_open_staff_inbox_or_child_data(app, world):
    sid = send_for(app, world["kid_a"])
    page = staff_page(app, world["emails"]["po"])
    assert page.client.get("/staff/").status_code == 403
    assert page.client.get(f"/staff/submissions/{sid}").status_code == 403


def test_team_manager_sees_own_team_only(app, world):
    send_for(app, world["kid_a"])
    send_for(app, world["kid_b"])
    manager = staff_page(app, world["emails"]["tm_a"])
    text = manager.get("/staff/").text
    assert "K-A1" in text and "K-B1" not in text


def test_iro_sees_only_answers_shared_with_them(app, world):
    private_to_worker = send_for(app, world["kid_a"], text="WORKER-ONLY words", share="worker")
    shared = send_for(app, world["kid_a"], text="IRO-SHARED words", share="worker_iro")
    iro = staff_page(app, world["emails"]["iro"])
    assert iro.client.get(f"/staff/submissions/{private_to_worker}").status_code == 404
    page = iro.get(f"/staff/submissions/{shared}")
    assert "IRO-SHARED words" in page.text
    with app.app_context():
        assert db.session.get(Submission, shared).status == "sent"  # an IRO's read is not the worker's read


def test_html_in_answers_is_text_everywhere(app, world):
    sid = send_for(app, world["kid_a"], text=EVIL)
    worker = staff_page(app, world["emails"]["sw_a1"])
    page = worker.client.get(f"/staff/submissions/{sid}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    assert "<script>alert" not in worker.client.get(f"/staff/submissions/{sid}/print").get_data(as_text=True)
    data = json.loads(worker.client.get(f"/staff/submissions/{sid}/export.json").data)
    assert data["schema"] == "voice.submission/2"
    assert EVIL in [a["answer"] for a in data["answers"]]
    pdf = worker.client.get(f"/staff/submissions/{sid}/export.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    with app.app_context():
        purposes = {
            e.purpose
            for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "submission.read"))
        }
        assert {"export-pdf", "export-json", "export-print"} <= purposes


def test_csv_export_neutralises_formulas(app, world):
    from voice.inbox.export import safe_cell

    for value in ('=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx"):
        assert safe_cell(value).startswith("'")
    assert safe_cell("Pip") == "Pip"
    send_for(app, world["kid_a"])
    worker = staff_page(app, world["emails"]["sw_a1"])
    csv_text = worker.client.get("/staff/inbox.csv").get_data(as_text=True)
    lines = csv_text.splitlines()
    assert lines[0].startswith("OFFICIAL-SENSITIVE,")
    assert lines[1].startswith("Reference,Child,Child reference,Case-system ID")
    assert "K-A1" in csv_text and "brother" not in csv_text


def _routing(app, sid):
    with app.app_context():
        r = db.session.scalar(
            select(RoutingRecord).where(RoutingRecord.submission_id == sid, RoutingRecord.current.is_(True))
        )
        return r.routed_to, r.reason


def _set(app, email, **values):
    with app.app_context():
        person = StaffMember.by_email(email)
        for k, v in values.items():
            setattr(person, k, v)
        db.session.commit()


def test_routing_falls_back_to_manager_then_duty_and_never_nowhere(app, world):
    ids = world["ids"]
    assert _routing(app, send_for(app, world["kid_a"])) == (f"staff:{ids['sw_a1']}", "allocated")
    _set(app, world["emails"]["sw_a1"], away=True)
    assert _routing(app, send_for(app, world["kid_a"])) == (f"staff:{ids['tm_a']}", "worker_away")
    _set(app, world["emails"]["tm_a"], away=True)
    assert _routing(app, send_for(app, world["kid_a"])) == (
        f"duty:{world['team_a']}",
        "worker_away_no_manager",
    )
    with app.app_context():
        from voice.models import Child

        Child.by_ref(world["kid_a"]).social_worker_id = None
        db.session.commit()
    assert _routing(app, send_for(app, world["kid_a"])) == (f"duty:{world['team_a']}", "no_worker_no_manager")
    duty = staff_page(app, world["emails"]["duty_a"])
    assert "K-A1" in duty.get("/staff/").text


def test_changing_allocation_moves_unread_items_and_the_child_sees_the_new_name(app, world):
    sid = send_for(app, world["kid_a"])
    manager = staff_page(app, world["emails"]["tm_a"])
    with app.app_context():
        from voice.models import Child

        child_id = Child.by_ref(world["kid_a"]).id
    child_page = manager.get(f"/staff/children/{child_id}")
    manager.submit(child_page, {"worker": str(world["ids"]["sw_a2"])}, selector="form[action$='/allocation']")
    assert _routing(app, sid) == (f"staff:{world['ids']['sw_a2']}", "reallocated")
    new_worker = staff_page(app, world["emails"]["sw_a2"])
    assert "K-A1" in new_worker.get("/staff/").text
    child = PageFetcher(app.test_client())
    sign_in_directly(app, child.client, world["kid_a"])
    assert "Ben will read" in child.get(f"/messages/{sid}/sent").text


def test_inbox_pages_and_orders_unread_concerns_first(app, world):
    for n in range(30):
        send_for(app, world["kid_a"], text=f"note {n}")
    worker = staff_page(app, world["emails"]["sw_a1"])
    first = worker.get("/staff/")
    assert len(first.soup.select("table.inbox tbody tr")) == 25
    assert "Page 1 of 2" in first.text
    second = worker.get("/staff/?page=2")
    assert len(second.soup.select("table.inbox tbody tr")) == 5
    assert "Page 2 of 2" in worker.get("/staff/?page=999").text
    assert "Page 1 of 2" in worker.get("/staff/?page=abc").text

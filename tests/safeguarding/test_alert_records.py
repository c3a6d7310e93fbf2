"""Alerts end with a person who can act: the emergency duty team (EDT) out of hours, escalation
that repeats until someone acknowledges, and an alert that stays on the record with what was done.

Runs on SQLite, and on PostgreSQL when ``VOICE_TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import json
import re
import threading
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from sqlalchemy import select

from tests import factories
from tests.helpers.auth import sign_in_staff
from tests.helpers.child import finish_chat, review_link, sign_in_directly, start_chat
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice.extensions import db
from voice.models import Alert, AuditEvent, Child, OutboxMessage, StaffMember, Submission
from voice.safeguarding import escalation, wording
from voice.safeguarding.detector import CATEGORIES
from voice.safeguarding.screening import DETECTOR_ERROR

DISCLOSURE = "my carer hits me when im bad"
WORKDAY = datetime(2026, 11, 18, 11, 0)  # a Wednesday, 11:00 in London (GMT)
SATURDAY_NIGHT = datetime(2026, 11, 21, 22, 0)
EDT = "edt-person@voice.test"
EDT_INBOX = "edt@example.org"  # VOICE_EDT_EMAIL's default


@pytest.fixture
def team(app):
    with app.app_context():
        t = factories.team("Team S", duty_email="duty-s@voice.test")
        worker = factories.staff(team_=t, email="sw@voice.test", name="Sol Worker")
        t.manager = factories.staff("team_manager", team_=t, email="tm@voice.test", name="Max Manager")
        factories.staff("duty", team_=t, email="duty-person@voice.test", name="Dee Duty")
        factories.staff("emergency_duty", email=EDT, name="Eve Edt")
        factories.child(
            worker=worker,
            ref="K-S1",
            first_name="Rue",
            placement_address="8 Quill Street, Testford",
            carer_phone="01632 960555",
        )
        db.session.commit()
        return "K-S1"


def urgent_to(app, address: str) -> int:
    with app.app_context():
        return len(
            db.session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.template == "urgent_alert", OutboxMessage.to_address == address
                )
            ).all()
        )


def escalate_at(runner, moment: datetime) -> str:
    result = runner.invoke(args=["safeguarding", "escalate", "--at", moment.isoformat() + "+00:00"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def the_alert(app) -> Alert:
    with app.app_context():
        alert = db.session.scalar(select(Alert))
        db.session.expunge(alert)
        return alert


# --------------------------------------------------------------------------- the whole story


def test_out_of_hours_the_edt_is_emailed_opens_it_it_repeats_until_acknowledged_and_the_worker_hears(
    app, runner, team, smtp_server
):
    with time_machine.travel(SATURDAY_NIGHT, tick=False):
        submission_id = send_for(app, team, text=DISCLOSURE)
    alert = the_alert(app)
    with time_machine.travel(SATURDAY_NIGHT + timedelta(minutes=1), tick=False):
        assert runner.invoke(args=["deliver", "--once"]).exit_code == 0

    # The EDT account's own address gets a content-free email with the reference and a direct link.
    (mail,) = [m for m in smtp_server.messages if EDT in m.rcpt_tos]
    assert alert.reference in mail.body
    link = re.search(r"http://voice\.test/\S+", mail.body).group(0)
    assert link == f"http://voice.test/staff/alerts/{alert.id}"
    for secret in ("Rue", "K-S1", "hits", "Quill"):
        assert secret not in mail.raw.decode()

    # That account signs in, lands on the alert list, and opens the alert and what it opens.
    edt = PageFetcher(app.test_client())
    with time_machine.travel(SATURDAY_NIGHT + timedelta(minutes=5), tick=False):
        listing = sign_in_staff(edt, EDT)
        assert listing.url == "/staff/alerts"
        assert "Rue (K-S1)" in listing.soup.select_one("table.alerts").get_text()
        page = edt.get(urlsplit(link).path)
        assert "Safeguarding alert for Rue (K-S1)" in page.soup.h1.get_text()
        opened = edt.get(f"/staff/submissions/{submission_id}")
        back = [a["href"] for a in opened.soup.select("main a") if a.get_text().startswith("Back to")]
        assert back == ["/staff/alerts"]  # not the inbox, which the EDT cannot open
        assert edt.client.get(back[0]).status_code == 200
        record = edt.get(page.soup.find("a", string="The child's basic record")["href"])
        details = record.soup.select_one("dl.basic-record").get_text()
        assert "8 Quill Street, Testford" in details and "01632 960555" in details
        assert "Sol Worker" in details

    # Nobody acknowledges: T1, T2, then again every 30 minutes to the EDT.
    assert escalate_at(runner, SATURDAY_NIGHT + timedelta(minutes=61)) == "escalated 1"
    assert urgent_to(app, EDT) == 2
    assert escalate_at(runner, SATURDAY_NIGHT + timedelta(minutes=121)) == "escalated 1"
    assert urgent_to(app, EDT) == 3
    assert escalate_at(runner, SATURDAY_NIGHT + timedelta(minutes=149)) == "escalated 0"
    assert escalate_at(runner, SATURDAY_NIGHT + timedelta(minutes=151)) == "escalated 1"
    assert urgent_to(app, EDT) == 4
    assert escalate_at(runner, SATURDAY_NIGHT + timedelta(minutes=181)) == "escalated 1"
    assert urgent_to(app, EDT) == urgent_to(app, EDT_INBOX) == 5
    with time_machine.travel(SATURDAY_NIGHT + timedelta(minutes=182), tick=False):
        assert runner.invoke(args=["deliver", "--once"]).exit_code == 0
    assert len([m for m in smtp_server.messages if EDT in m.rcpt_tos]) == 5

    # Acknowledged with an action: escalation stops at once.
    with time_machine.travel(SATURDAY_NIGHT + timedelta(minutes=185), tick=False):
        sign_in_staff(edt, EDT)
        page = edt.get(f"/staff/alerts/{alert.id}")
        done = edt.submit(
            page,
            {"action": "contacted_carer", "note": "Carer says Rue is asleep; visit at 9am"},
            selector="form[action$='/acknowledge']",
        )
    assert "Seen by Eve Edt" in done.text and "Contacted the carer" in done.text
    assert escalate_at(runner, SATURDAY_NIGHT + timedelta(hours=12)) == "escalated 0"
    assert urgent_to(app, EDT) == 5

    # The worker is told by email (content-free) and in their inbox; the child's page shows it.
    with time_machine.travel(SATURDAY_NIGHT + timedelta(minutes=186), tick=False):
        assert runner.invoke(args=["deliver", "--once"]).exit_code == 0
    (told,) = [m for m in smtp_server.messages if "acted on" in m.message["Subject"]]
    assert told.rcpt_tos == ("sw@voice.test",) and alert.reference in told.body
    assert "Rue" not in told.raw.decode() and "Carer says" not in told.raw.decode()
    worker = PageFetcher(app.test_client())
    with time_machine.travel(SATURDAY_NIGHT + timedelta(hours=11), tick=False):
        sign_in_staff(worker, "sw@voice.test")
        notice = worker.get("/staff/").soup.select_one(".alert-seen").get_text(" ", strip=True)
        assert "Eve Edt saw the safeguarding alert for Rue" in notice and "Contacted the carer" in notice
        with app.app_context():
            child_id = Child.by_ref("K-S1").id
        history = worker.get(f"/staff/children/{child_id}").soup.select_one(".alert-history").get_text()
        assert "seen by Eve Edt" in history and "Contacted the carer" in history


def test_an_alert_past_t1_and_t2_takes_both_steps_and_emails_the_edt_once(app, runner, team):
    with time_machine.travel(SATURDAY_NIGHT, tick=False):
        send_for(app, team, text=DISCLOSURE)
    assert urgent_to(app, EDT_INBOX) == urgent_to(app, EDT) == 1
    assert escalate_at(runner, SATURDAY_NIGHT + timedelta(minutes=125)) == "escalated 1"
    assert urgent_to(app, EDT_INBOX) == urgent_to(app, EDT) == 2  # not 3
    assert urgent_to(app, "tm@voice.test") == 2
    with app.app_context():
        alert = db.session.scalar(select(Alert))
        assert alert.escalation_level == 2
        kinds = [e.kind for e in alert.events]
        assert kinds[-2:] == ["escalated_t1", "escalated_t2"]
        # The next repeat is booked at T2 + 30 minutes, not sent on top of T2.
        assert alert.next_escalation_at.replace(tzinfo=None) == SATURDAY_NIGHT + timedelta(minutes=150)


def test_a_worker_down_for_hours_sends_one_repeat_not_a_burst(app, runner, team):
    with time_machine.travel(WORKDAY, tick=False):
        send_for(app, team, text=DISCLOSURE)
    escalate_at(runner, WORKDAY + timedelta(minutes=121))
    before = urgent_to(app, EDT_INBOX)
    assert escalate_at(runner, WORKDAY + timedelta(hours=6, minutes=5)) == "escalated 1"
    assert urgent_to(app, EDT_INBOX) == before + 1
    with app.app_context():
        alert = db.session.scalar(select(Alert))
        assert alert.next_escalation_at.replace(tzinfo=None) == WORKDAY + timedelta(hours=6, minutes=30)


def test_escalate_at_refuses_a_moment_it_cannot_read(runner):
    result = runner.invoke(args=["safeguarding", "escalate", "--at", "2am on Boxing Day"])
    assert result.exit_code == 2 and "ISO 8601" in result.output


def test_escalate_at_without_an_offset_means_london_time(app, runner, team):
    summer = datetime(2026, 7, 15, 10, 0)  # 11:00 in London (BST)
    with time_machine.travel(summer, tick=False):
        send_for(app, team, text=DISCLOSURE)
    result = runner.invoke(args=["safeguarding", "escalate", "--at", "2026-07-15T11:59"])
    assert result.output.strip() == "escalated 0"  # 10:59 UTC: 59 minutes after
    result = runner.invoke(args=["safeguarding", "escalate", "--at", "2026-07-15T12:01"])
    assert result.output.strip() == "escalated 1"


def test_reconcile_reports_an_open_alert_that_nothing_will_escalate(app, runner, team):
    with time_machine.travel(WORKDAY, tick=False):
        send_for(app, team, text=DISCLOSURE)
    with app.app_context():
        alert = db.session.scalar(select(Alert))
        alert.next_escalation_at = None
        reference = alert.reference
        db.session.commit()
    result = runner.invoke(args=["safeguarding", "reconcile"])
    assert result.exit_code == 1
    assert f"alert {reference} is open but nothing will escalate it again" in result.output


# ---------------------------------------------------------------------------- acknowledging


def test_two_people_acknowledging_at_once_one_wins_and_nothing_is_lost(app, team):
    """Real threads, real connections: on PostgreSQL the second waits on the row; on SQLite
    the second writer waits its turn. Either way one conditional update decides."""
    with time_machine.travel(WORKDAY, tick=False):
        send_for(app, team, text=DISCLOSURE)
    alert_id = the_alert(app).id
    barrier = threading.Barrier(2)
    results: dict[str, tuple[bool, str]] = {}
    errors: list[BaseException] = []

    def press(email: str, action: str) -> None:
        try:
            with app.app_context():
                staff = StaffMember.by_email(email)
                alert = escalation.find_for(staff, alert_id)
                barrier.wait(5)
                outcome = escalation.acknowledge(staff, alert, action=action, note=f"from {email}")
                results[email] = (outcome.won, outcome.alert.acknowledged_by.email)
        except BaseException as exc:  # reported below
            errors.append(exc)

    with time_machine.travel(WORKDAY + timedelta(minutes=5), tick=False):
        threads = [
            threading.Thread(target=press, args=("sw@voice.test", "spoke_to_child")),
            threading.Thread(target=press, args=("tm@voice.test", "strategy_discussion")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert errors == []
    assert sorted(won for won, _ in results.values()) == [False, True]
    winners = {who for _, who in results.values()}
    assert len(winners) == 1
    (winner,) = winners
    with app.app_context():
        alert = db.session.get(Alert, alert_id)
        assert alert.status == "acknowledged" and alert.acknowledged_by.email == winner
        assert alert.first_action.staff.email == winner
        assert sorted(a.note for a in alert.actions) == ["from sw@voice.test", "from tm@voice.test"]
        kinds = [e.kind for e in alert.events]
        assert kinds.count("acknowledged") == 1 and kinds.count("action_recorded") == 1


def test_the_second_to_press_sees_who_was_first(app, team):
    with time_machine.travel(WORKDAY, tick=False):
        send_for(app, team, text=DISCLOSURE)
    alert_id = the_alert(app).id
    manager = PageFetcher(app.test_client())
    with time_machine.travel(WORKDAY + timedelta(minutes=5), tick=False):
        sign_in_staff(manager, "tm@voice.test")
        page = manager.get(f"/staff/alerts/{alert_id}")
        with app.app_context():
            worker = StaffMember.by_email("sw@voice.test")
            escalation.acknowledge(worker, escalation.find_for(worker, alert_id), action="police")
        after = manager.submit(
            page, {"action": "no_further_action", "note": "Checked"}, selector="form[action$='/acknowledge']"
        )
    assert "Sol Worker had already marked this as seen" in after.text
    assert "Seen by Sol Worker" in after.text and "Contacted the police" in after.text
    assert "Max Manager" in after.soup.select_one(".alert-actions").get_text()


def test_acknowledging_other_with_no_note_asks_for_one_and_the_alert_stays_open(app, team):
    with time_machine.travel(WORKDAY, tick=False):
        send_for(app, team, text=DISCLOSURE)
    alert_id = the_alert(app).id
    manager = PageFetcher(app.test_client())
    with time_machine.travel(WORKDAY + timedelta(minutes=5), tick=False):
        sign_in_staff(manager, "tm@voice.test")
        page = manager.get(f"/staff/alerts/{alert_id}")
        refused = manager.submit(
            page, {"action": "other", "note": "  "}, selector="form[action$='/acknowledge']", status=400
        )
        assert "Say what you did in the note." in refused.text
        refused = manager.submit(
            page, {"action": "made-up"}, selector="form[action$='/acknowledge']", status=400
        )
    assert the_alert(app).status != "acknowledged"


# ------------------------------------------------------------------------ who sees what


@pytest.fixture
def two_teams(app, team):
    with app.app_context():
        other = factories.team("Team T", duty_email="duty-t@voice.test")
        worker = factories.staff(team_=other, email="sw-t@voice.test", name="Tam Worker")
        other.manager = factories.staff("team_manager", team_=other, email="tm-t@voice.test")
        factories.child(worker=worker, ref="K-T1", first_name="Sky")
        db.session.commit()
    with time_machine.travel(WORKDAY, tick=False):
        send_for(app, "K-S1", text=DISCLOSURE)
        send_for(app, "K-T1", text=DISCLOSURE)
    with app.app_context():
        return {a.child.ref: (a.id, a.child_id) for a in db.session.scalars(select(Alert))}


def test_edt_sees_every_open_alert_out_of_hours_and_only_through_an_alert(app, two_teams):
    edt = PageFetcher(app.test_client())
    s_alert, s_child = two_teams["K-S1"]
    _, t_child = two_teams["K-T1"]
    with time_machine.travel(WORKDAY + timedelta(minutes=30), tick=False):  # working hours, not told
        sign_in_staff(edt, EDT)
        assert "No alerts to show." in edt.get("/staff/alerts").text
        assert edt.client.get(f"/staff/alerts/{s_alert}").status_code == 404
        assert edt.client.get(f"/staff/children/{s_child}/record").status_code == 404
    with app.app_context():
        denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "authz.denied")).all()
        assert {(e.object_type, e.object_id) for e in denied} >= {("child", str(s_child))}

    evening = WORKDAY.replace(hour=18)  # out of hours: every open alert, across teams
    with time_machine.travel(evening, tick=False):
        sign_in_staff(edt, EDT)
        rows = edt.get("/staff/alerts").soup.select("table.alerts tbody tr")
        assert len(rows) == 2
        with app.app_context():
            team_t = db.session.scalar(select(Child).where(Child.ref == "K-T1")).team_id
        only_t = edt.get(f"/staff/alerts?team={team_t}&state=open").soup.select("table.alerts tbody tr")
        assert len(only_t) == 1 and "Sky" in only_t[0].get_text()
        assert "No alerts to show." in edt.get("/staff/alerts?state=acknowledged").text
        # The basic record opens only through an alert the person has opened.
        assert edt.client.get(f"/staff/children/{s_child}/record").status_code == 404
        edt.get(f"/staff/alerts/{s_alert}")
        assert edt.client.get(f"/staff/children/{s_child}/record").status_code == 200
        assert edt.client.get(f"/staff/children/{t_child}/record").status_code == 404
        assert edt.client.get(f"/staff/children/{s_child}").status_code == 403  # never the full page
        with app.app_context():
            manager = StaffMember.by_email("tm@voice.test")
            escalation.acknowledge(manager, escalation.find_for(manager, s_alert), action="police")
        # No open alert for that child any more: 404, and audited.
        assert edt.client.get(f"/staff/children/{s_child}/record").status_code == 404
    with app.app_context():
        denied = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "authz.denied", AuditEvent.object_id == str(s_child)
            )
        ).all()
        assert len(denied) == 3


def test_a_manager_lists_their_own_teams_alerts_open_first(app, two_teams):
    manager = PageFetcher(app.test_client())
    with time_machine.travel(WORKDAY + timedelta(minutes=10), tick=False):
        send_for(app, "K-S1", text=DISCLOSURE)
        with app.app_context():
            staff = StaffMember.by_email("tm@voice.test")
            first = two_teams["K-S1"][0]
            escalation.acknowledge(staff, escalation.find_for(staff, first), action="spoke_to_child")
        sign_in_staff(manager, "tm@voice.test")
        rows = manager.get("/staff/alerts").soup.select("table.alerts tbody tr")
    assert [r["class"] for r in rows] == [["open"], ["closed"]]
    assert all("Rue" in r.get_text() for r in rows)  # never the other team's Sky
    assert "Spoke to the child" in rows[1].get_text()


# ------------------------------------------------------------------------------- plain words


def test_staff_pages_say_what_happened_in_words_not_codes(app, runner, team):
    client = app.test_client()  # not the fixture's: its kept request context would share a session
    sign_in_directly(app, client, team)
    page = PageFetcher(client)
    with time_machine.travel(SATURDAY_NIGHT, tick=False):
        page.submit(page.get("/chat"), selector="form.not-safe")
    assert the_alert(app).source == "button"
    escalate_at(runner, SATURDAY_NIGHT + timedelta(minutes=151))
    escalate_at(runner, SATURDAY_NIGHT + timedelta(minutes=181))
    alert = the_alert(app)
    manager = PageFetcher(app.test_client())
    with time_machine.travel(SATURDAY_NIGHT + timedelta(minutes=190), tick=False):
        sign_in_staff(manager, "tm@voice.test")
        text = manager.get(f"/staff/alerts/{alert.id}").soup.main.get_text(" ")
        listing = manager.get("/staff/alerts").soup.main.get_text(" ")
    assert "Sent to the team manager and duty team" in text and "Sent to the emergency duty team" in text
    assert "Sent again: still nobody had said they have seen it" in text
    assert 'The child pressed "I don\'t feel safe"' in text
    for code in ("escalated_", "source=", "child-pressed-not-safe", "out_of_hours", "notified", "button"):
        assert code not in text and code not in listing


def test_every_alert_code_the_code_writes_has_words():
    source = "\n".join(p.read_text() for p in Path("voice").rglob("*.py"))
    kinds = set(re.findall(r'AlertEvent\([^)]*kind="([a-z_0-9]+)"', source))
    kinds |= set(re.findall(r'kind="(escalated_[a-z0-9_]+)"', source))
    kinds |= {"acknowledged", "action_recorded", "duty_access_granted", "edt_access_granted"}
    assert kinds - set(wording.EVENTS) == set()
    assert {*CATEGORIES, DETECTOR_ERROR, "child-pressed-not-safe"} - set(wording.CATEGORIES) == set()
    sources = set(re.findall(r'source="([a-z_]+)"', source)) | set(
        re.findall(r'alert_source="([a-z_]+)"', source)
    )
    assert sources - set(wording.SOURCES) == set()


# ------------------------------------------------------------------- the child's own words


def test_words_added_after_the_tap_show_with_what_the_child_sent_and_in_the_export(app, team):
    client = app.test_client()  # not the fixture's: its kept request context would share a session
    sign_in_directly(app, client, team)
    page = PageFetcher(client)
    with time_machine.travel(WORKDAY, tick=False):
        chat = start_chat(page, page.get("/chat"))
        safety = page.submit(chat, selector="form.not-safe")
        page.submit(safety, {"words": "he shouts at night"}, selector="main form[method=post]")
        chat = finish_chat(page, page.get("/chat"), text="I like football")
        review = page.get(review_link(chat))
        page.submit(review, selector="main form[method=post]", button=("action", "send"))
    with app.app_context():
        assert db.session.scalar(select(Alert.source)) == "button"
        submission_id = db.session.scalar(select(Submission.id))
    worker = PageFetcher(app.test_client())
    with time_machine.travel(WORKDAY + timedelta(minutes=5), tick=False):
        sign_in_staff(worker, "sw@voice.test")
        shown = worker.get(f"/staff/submissions/{submission_id}").soup.select_one(".child-added-words")
        exported = json.loads(worker.client.get(f"/staff/submissions/{submission_id}/export.json").data)
    assert "he shouts at night" in shown.get_text()
    assert [w["text"] for w in exported["child_added_words"]] == ["he shouts at night"]

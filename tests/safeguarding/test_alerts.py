"""No disclosure is ever silently dropped: alerts, help for the child, escalation, reconciliation."""

from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from tests import factories
from tests.helpers.auth import sign_in_staff
from tests.helpers.child import finish_chat, review_link, sign_in_directly, start_chat
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice.extensions import db
from voice.models import AccessGrant, Alert, OutboxMessage, Submission

DISCLOSURE = "my carer hits me when im bad"
# A Wednesday at 11:00 in London (GMT in November), in working hours.
WORKDAY = datetime(2026, 11, 18, 11, 0)
SATURDAY_NIGHT = datetime(2026, 11, 21, 22, 0)
BANK_HOLIDAY = datetime(2026, 12, 25, 11, 0)


@pytest.fixture
def team(app):
    with app.app_context():
        t = factories.team("Team S", duty_email="duty-s@voice.test")
        worker = factories.staff(team_=t, email="sw@voice.test", name="Sol Worker")
        t.manager = factories.staff("team_manager", team_=t, email="tm@voice.test", name="Max Manager")
        factories.staff("duty", team_=t, email="duty-person@voice.test", name="Dee Duty")
        factories.staff("social_worker", team_=t, email="other@voice.test", name="Oli Other")
        kid = factories.child(worker=worker, ref="K-S1", first_name="Rue")
        db.session.commit()
        return kid.ref


def addresses(app, template="urgent_alert"):
    with app.app_context():
        return sorted(
            m.to_address
            for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == template))
        )


def test_a_disclosure_through_the_plain_html_journey_shows_help_alerts_and_delivers(
    app, client, team, smtp_server, runner
):
    sign_in_directly(app, client, team)
    page = PageFetcher(client)
    with time_machine.travel(WORKDAY, tick=False):
        chat = finish_chat(page, start_chat(page, page.get("/chat")), text=DISCLOSURE)
        assert "Are you OK?" in chat.text and "0800 1111" in chat.text  # offered help in the draft
        review = page.get(review_link(chat))
        sent = page.submit(review, selector="main form[method=post]", button=("action", "send"))
    assert "999" in sent.text and "0800 1111" in sent.text and "0300 555 0199" in sent.text
    assert "hits me" not in sent.text and "hits" not in sent.soup.title.get_text()
    assert "hits" not in sent.url
    with app.app_context():
        alert = db.session.scalar(select(Alert))
        assert alert.source == "detector" and "physical-harm" in alert.categories
        assert db.session.scalar(select(Submission)).concern
    assert addresses(app) == ["duty-s@voice.test", "sw@voice.test", "tm@voice.test"]

    result = runner.invoke(args=["deliver", "--once"])
    assert result.exit_code == 0, result.output
    sent_to = sorted(m.message["To"] for m in smtp_server.messages)
    assert {"duty-s@voice.test", "sw@voice.test", "tm@voice.test"} <= set(sent_to)
    raw = smtp_server.raw_bytes()
    for secret in (b"hits", b"Rue", b"K-S1"):
        assert secret not in raw


def test_the_alert_stays_pinned_until_a_person_presses_i_have_seen_this(app, team):
    with time_machine.travel(WORKDAY, tick=False):
        send_for(app, team, text=DISCLOSURE)
    worker = PageFetcher(app.test_client())
    sign_in_staff(worker, "sw@voice.test")
    inbox = worker.get("/staff/")
    banner = inbox.soup.select_one(".alert-banner")
    assert banner is not None and "Rue" in banner.get_text()
    alert_page = worker.get(banner.select_one("a")["href"])
    assert "Nobody has said they have seen this yet" in alert_page.text
    refused = worker.submit(alert_page, selector="form[action$='/acknowledge']", status=400)
    assert "Choose what you did" in refused.soup.select_one("fieldset .error").get_text()
    assert refused.soup.select_one(".alert-banner") is not None
    with app.app_context():
        assert db.session.scalar(select(Alert)).status != "acknowledged"
    seen = worker.submit(
        refused,
        {"action": "spoke_to_child", "note": "Visited tonight; safe with carer"},
        selector="form[action$='/acknowledge']",
    )
    assert "Seen by Sol Worker" in seen.text and "Spoke to the child" in seen.text
    assert "Visited tonight; safe with carer" in seen.text
    assert worker.get("/staff/").soup.select_one(".alert-banner") is None
    with app.app_context():
        alert = db.session.scalar(select(Alert))
        assert alert.status == "acknowledged" and alert.acknowledged_by.email == "sw@voice.test"
        assert alert.next_escalation_at is None and alert.first_action.action == "spoke_to_child"


def test_unacknowledged_alerts_escalate_at_t1_then_t2_to_the_emergency_duty_team(app, team, runner):
    with time_machine.travel(WORKDAY, tick=False):
        send_for(app, team, text=DISCLOSURE)
    assert "edt@example.org" not in addresses(app)
    with time_machine.travel(WORKDAY + timedelta(minutes=59), tick=False):
        assert runner.invoke(args=["safeguarding", "escalate"]).output.strip() == "escalated 0"
    with time_machine.travel(WORKDAY + timedelta(minutes=61), tick=False):
        assert runner.invoke(args=["safeguarding", "escalate"]).output.strip() == "escalated 1"
    assert addresses(app).count("tm@voice.test") == 2 and addresses(app).count("duty-s@voice.test") == 2
    with time_machine.travel(WORKDAY + timedelta(minutes=121), tick=False):
        assert runner.invoke(args=["safeguarding", "escalate"]).output.strip() == "escalated 1"
    assert "edt@example.org" in addresses(app)
    with app.app_context():
        kinds = [e.kind for e in db.session.scalar(select(Alert)).events]
    assert kinds[:2] == ["raised", "notified"] and kinds[-2:] == ["escalated_t1", "escalated_t2"]
    with time_machine.travel(WORKDAY + timedelta(minutes=149), tick=False):
        assert runner.invoke(args=["safeguarding", "escalate"]).output.strip() == "escalated 0"
    with time_machine.travel(WORKDAY + timedelta(minutes=151), tick=False):
        assert runner.invoke(args=["safeguarding", "escalate"]).output.strip() == "escalated 1"
    assert addresses(app).count("edt@example.org") == 2


@pytest.mark.parametrize("moment", [SATURDAY_NIGHT, BANK_HOLIDAY], ids=["saturday-night", "christmas-day"])
def test_out_of_hours_goes_straight_to_the_emergency_duty_team(app, team, moment):
    with time_machine.travel(moment, tick=False):
        send_for(app, team, text=DISCLOSURE)
    assert "edt@example.org" in addresses(app)


def test_i_dont_feel_safe_with_no_words_always_alerts(app, client, team):
    sign_in_directly(app, client, team)
    page = PageFetcher(client)
    chat = page.get("/chat")
    safety = page.submit(chat, selector="form.not-safe")
    assert safety.url == "/safety"
    assert "999" in safety.text and "0800 1111" in safety.text
    with app.app_context():
        alert = db.session.scalar(select(Alert))
        assert alert.source == "button" and alert.submission_id is None
    page.submit(safety, {"words": "scared of going home tonight"}, selector="main form[method=post]")
    with app.app_context():
        assert db.session.scalar(select(Alert)).words == "scared of going home tonight"


def test_the_not_safe_button_on_a_phone_voice_does_not_know_says_nobody_was_told(app, client, team):
    page = PageFetcher(client)
    landing = page.get("/")
    honest = page.submit(landing, selector="form.not-safe")
    assert honest.url == "/not-safe/nobody-told-yet"
    assert honest.h1 == "Nobody has been told yet"
    assert "999" in honest.text and "0800 1111" in honest.text
    assert app.config["VOICE_COUNCIL_PHONE"] in honest.text
    assert honest.soup.select_one("main a[href='/sign-in']") is not None  # the PIN, to tell their worker
    with app.app_context():
        assert db.session.scalar(select(Alert)) is None


def test_the_not_safe_button_before_the_pin_on_the_childs_phone_alerts_and_says_so(app, team):
    phone = app.test_client()  # not the ``client`` fixture: its kept context would be shared
    sign_in_directly(app, phone, team)
    phone.delete_cookie("voice_auth")  # the phone is set up for Rue, but nobody put in the PIN
    page = PageFetcher(phone)
    with time_machine.travel(WORKDAY, tick=False):
        told = page.submit(page.get("/sign-in"), selector="form.not-safe")
    assert told.url == "/safety" and told.h1 == "We have told your worker"
    assert "999" in told.text and "0800 1111" in told.text
    assert told.soup.select_one("main textarea") is None  # more words only after the PIN
    assert "Rue" not in told.text
    with app.app_context():
        alert = db.session.scalar(select(Alert))
        assert alert.source == "button_pre_pin" and alert.child.ref == team
        alert_id = alert.id
    assert sorted(addresses(app)) == ["duty-s@voice.test", "sw@voice.test", "tm@voice.test"]
    staff = PageFetcher(app.test_client())
    sign_in_staff(staff, "sw@voice.test")
    shown = staff.get(f"/staff/alerts/{alert_id}")
    assert "before the PIN was put in" in shown.text


def test_detector_failure_fails_closed(app, team, monkeypatch):
    class Broken:
        def check(self, text):
            raise RuntimeError("detector down")

    monkeypatch.setitem(app.extensions["voice_content"], "safeguarding", Broken())
    with time_machine.travel(WORKDAY, tick=False):
        sid = send_for(app, team, text="just a normal day")
    with app.app_context():
        assert db.session.get(Submission, sid).concern
        assert "detector-error" in db.session.scalar(select(Alert)).categories


def test_duty_worker_sees_a_child_only_through_the_alert_and_only_for_72_hours(app, team):
    with time_machine.travel(WORKDAY, tick=False):
        sid = send_for(app, team, text=DISCLOSURE)
    duty = PageFetcher(app.test_client())
    with time_machine.travel(WORKDAY + timedelta(minutes=5), tick=False):
        sign_in_staff(duty, "duty-person@voice.test")
        assert duty.client.get(f"/staff/submissions/{sid}").status_code == 404
        banner = duty.get("/staff/").soup.select_one(".alert-banner a")
        duty.get(banner["href"])
        assert duty.client.get(f"/staff/submissions/{sid}").status_code == 200
        with app.app_context():
            assert db.session.scalar(select(AccessGrant)).reason == "safeguarding-alert"
    with time_machine.travel(WORKDAY + timedelta(hours=73), tick=False):
        sign_in_staff(duty, "duty-person@voice.test")
        assert duty.client.get(f"/staff/submissions/{sid}").status_code == 404


def test_another_worker_cannot_open_or_acknowledge_the_alert(app, team):
    with time_machine.travel(WORKDAY, tick=False):
        send_for(app, team, text=DISCLOSURE)
    with app.app_context():
        alert_id = db.session.scalar(select(Alert.id))
    other = PageFetcher(app.test_client())
    sign_in_staff(other, "other@voice.test")
    assert other.client.get(f"/staff/alerts/{alert_id}").status_code == 404
    csrf = other.get("/staff/").soup.find("input", attrs={"name": "csrf_token"})["value"]
    answer = other.client.post(
        f"/staff/alerts/{alert_id}/acknowledge", data={"csrf_token": csrf, "action": "police"}
    )
    assert answer.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Alert)).status != "acknowledged"


def test_reconcile_says_what_is_wrong_and_exits_non_zero(app, team, runner):
    with time_machine.travel(WORKDAY, tick=False):
        send_for(app, team, text=DISCLOSURE)
        assert runner.invoke(args=["safeguarding", "reconcile"]).exit_code == 0
    with time_machine.travel(WORKDAY + timedelta(hours=3), tick=False):
        result = runner.invoke(args=["safeguarding", "reconcile"])
    assert result.exit_code == 1
    assert "overdue for escalation" in result.output and "urgent message" in result.output
    with app.app_context():
        for row in db.session.scalars(select(OutboxMessage)):
            row.status = "sent"
        for alert in db.session.scalars(select(Alert)):
            alert.status = "acknowledged"
            alert.next_escalation_at = None
        db.session.commit()
    with time_machine.travel(WORKDAY + timedelta(hours=3), tick=False):
        assert runner.invoke(args=["safeguarding", "reconcile"]).exit_code == 0


def test_safeguarding_check_cli_writes_jsonl(runner):
    import json

    result = runner.invoke(
        args=["safeguarding", "check", "--jsonl"], input="my carer hits me\nI killed it at football\n"
    )
    lines = [json.loads(line) for line in result.output.splitlines()]
    fixed = {k: lines[0][k] for k in ("text", "concern", "categories")}  # the fixed interface
    assert fixed == {"text": "my carer hits me", "concern": True, "categories": ["physical-harm"]}
    assert lines[0]["level"] == "concern"  # added fields
    assert lines[1]["concern"] is False and lines[1]["categories"] == []


def test_safeguarding_check_cli_says_what_was_set_aside_and_why(runner):
    """A match set aside by a benign context is named, with the context, for the reviewer."""
    import json

    text = "my little brother punched me cos i took the remote lol"
    result = runner.invoke(args=["safeguarding", "check", "--jsonl"], input=text + "\n")
    row = json.loads(result.output.splitlines()[0])
    assert row["concern"] is False
    assert any(e.startswith("set aside physical-harm:") for e in row["explanation"]), row
    assert "benign context: sibling-play" in row["explanation"], row

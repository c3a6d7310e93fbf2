"""My worker is visiting (the day, the question afterwards, purposeful visits) and back from
missing (offered after staff record it, with the 72-hour timescale)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select

from tests.helpers.auth import sign_in_staff
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from tests.scenarios.conftest import send_scenario
from voice import clock
from voice.extensions import db
from voice.models import Child, MissingEpisode, Visit
from voice.scenarios.visits import purposeful_visits


def _child_page(app):
    page = PageFetcher(app.test_client())
    sign_in_directly(app, page.client, "K-S1")
    return page


def _staff_page(app, email="worker@voice.test"):
    page = PageFetcher(app.test_client())
    sign_in_staff(page, email)
    return page


def test_the_worker_sees_the_visit_day_and_the_child_is_asked_afterwards(app, world):
    visit_day = clock.now().date() + timedelta(days=3)
    send_scenario(app, "K-S1", "worker-visit", day=visit_day)
    with app.app_context():
        child_id = Child.by_ref("K-S1").id
        assert db.session.scalar(select(Visit.visit_on)) == visit_day
    staff = _staff_page(app)
    page = staff.get(f"/staff/children/{child_id}")
    visits = page.soup.select_one("ul.visits").get_text(" ", strip=True)
    assert f"Visit on {visit_day.day} {visit_day:%b %Y}" in visits
    child = _child_page(app)
    menu = child.get("/something-else")
    assert "Did you get to talk about what you wanted?" not in menu.text  # not before the visit
    with app.app_context():  # the visit day passes
        db.session.scalar(select(Visit)).visit_on = visit_day = clock.now().date() - timedelta(days=1)
        db.session.commit()
    menu = child.get("/something-else")
    assert "Did you get to talk about what you wanted?" in menu.text
    done = child.submit(menu, selector="section.visit-question form", button=("talked_about", "some"))
    assert "Did you get to talk about what you wanted?" not in done.text
    with app.app_context():
        figure = purposeful_visits(db.session, visit_day, visit_day)
    assert (figure.planned, figure.answered, figure.some, figure.purposeful_percent) == (1, 1, 1, 0)
    page = staff.get(f"/staff/children/{child_id}")
    assert "Afterwards: talked about some of it" in page.text


def test_purposeful_visits_counts_by_period_and_team_and_the_cli_prints_it(app, world, runner):
    today = clock.now().date()
    for answer in ("yes", "yes", "no", None):
        sid = send_scenario(app, "K-S1", "worker-visit", day=today)
        with app.app_context():
            visit = db.session.scalar(select(Visit).where(Visit.submission_id == sid))
            visit.talked_about = answer
            db.session.commit()
    with app.app_context():
        figure = purposeful_visits(db.session, today, today, team=world["team"])
        assert (figure.planned, figure.answered, figure.yes, figure.no, figure.purposeful_percent) == (
            4,
            3,
            2,
            1,
            67,
        )
        assert purposeful_visits(db.session, today, today, team=world["team"] + 99).planned == 0
        assert (
            purposeful_visits(db.session, today - timedelta(days=9), today - timedelta(days=1)).planned == 0
        )
    result = runner.invoke(
        args=["scenarios", "visits", "--json", "--from", today.isoformat(), "--to", today.isoformat()]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)["purposeful_visits"]
    assert (printed["planned"], printed["yes"], printed["purposeful_percent"]) == (4, 2, 67)
    assert runner.invoke(args=["scenarios", "visits", "--from", "not-a-day"]).exit_code != 0


def test_purposeful_visits_appear_in_the_managers_insight_with_small_numbers_hidden(app, world, runner):
    today = clock.now().date()
    answers = ["yes"] * 6 + ["some"] * 2 + ["no"] * 5 + [None]
    for answer in answers:
        sid = send_scenario(app, "K-S1", "worker-visit", day=today)
        with app.app_context():
            db.session.scalar(select(Visit).where(Visit.submission_id == sid)).talked_about = answer
            db.session.commit()
    result = runner.invoke(args=["insight", "--json", "--from", today.isoformat(), "--to", today.isoformat()])
    assert result.exit_code == 0, result.output
    [table] = [t for t in json.loads(result.output)["figures"]["manager"] if t["key"] == "purposeful_visits"]
    [row] = table["rows"]
    # 14 visits, 13 answered; "some of it" (2) is fewer than 5, so one more cell is hidden too
    # (the smallest other: no, 5), and the share of yes stays (6 of 13).
    assert row[1:3] == ["14", "13"]
    assert row[3] == "6" and row[4] == "fewer than 5" and row[5] == "not shown"
    assert row[6] == "46%"


def test_back_from_missing_is_offered_after_staff_record_it_with_72_hours_shown(app, world):
    child = _child_page(app)
    assert "I'm back" not in child.get("/something-else").text
    staff = _staff_page(app)
    with app.app_context():
        child_id = Child.by_ref("K-S1").id
    page = staff.get(f"/staff/children/{child_id}")
    came_back = clock.now().astimezone(clock.now().tzinfo).replace(second=0, microsecond=0) - timedelta(
        hours=2
    )
    from voice.dates import london

    local = london(came_back).strftime("%Y-%m-%dT%H:%M")
    page = staff.submit(page, {"returned_at": local}, selector="form[action$='/missing']")
    assert "Return home interview due by" in page.text and "(72 hours)" in page.text
    with app.app_context():
        episode = db.session.scalar(select(MissingEpisode))
        assert clock.as_utc(episode.interview_due_at) - clock.as_utc(episode.returned_at) == timedelta(
            hours=72
        )
    menu = child.get("/something-else")
    titles = [b.get_text(" ", strip=True) for b in menu.soup.select("form.scenarios .mode-title")]
    assert titles[0] == "I'm back"  # offered first
    sid = send_scenario(app, "K-S1", "back-from-missing", text="At a friend's flat")
    with app.app_context():
        assert db.session.scalar(select(MissingEpisode.submission_id)) == sid
    assert "I'm back" not in child.get("/something-else").text  # sent: no longer offered
    assert "what the child said" in staff.get(f"/staff/children/{child_id}").text


def test_a_day_in_the_future_cannot_be_recorded_as_the_return(app, world):
    staff = _staff_page(app)
    with app.app_context():
        child_id = Child.by_ref("K-S1").id
    page = staff.get(f"/staff/children/{child_id}")
    later = (date.today() + timedelta(days=2)).isoformat() + "T10:00"
    page = staff.submit(page, {"returned_at": later}, selector="form[action$='/missing']")
    assert "cannot be in the future" in page.text
    with app.app_context():
        assert db.session.scalar(select(MissingEpisode)) is None

"""The IRO's upcoming reviews, the review pack, moving and recording a review, the child's
"What was decided at my review", the admin upload, and ``reviews upcoming --json``."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

from sqlalchemy import select

from tests import factories
from tests.helpers.auth import sign_in_staff
from tests.helpers.child import PIN, demo, enrol
from tests.helpers.submissions import send_for
from tests.reviews.test_import import csv_bytes, row
from voice import clock
from voice.extensions import db
from voice.models import AuditEvent, Child, Review, ReviewDateChange, Submission
from voice.reviews import schedule


def _today() -> date:
    return clock.now().date()


def iro_with_two_children():
    team = factories.team()
    worker = factories.staff("social_worker", team_=team)
    iro = factories.staff("iro", team_=team)
    reviews = {}
    for name, days in (("Amari", 10), ("Bex", 20)):
        child = factories.child(worker=worker, iro=iro, first_name=name, mobile="+447700900001")
        reviews[name] = Review(child=child, due_on=_today() + timedelta(days=days), sequence=3)
        db.session.add(reviews[name])
    db.session.commit()
    schedule.run(schedule.open_on(reviews["Bex"].due_on, 15))
    schedule.run(_today())
    return iro, worker, reviews


def test_the_iro_sees_whose_views_are_in_and_prints_a_pack_with_sharing_respected(app, app_ctx, page):
    iro, _worker, reviews = iro_with_two_children()
    amari = reviews["Amari"].child
    send_for(app, amari.ref, text="I want to see my nan more", share="worker_iro")
    submission = db.session.scalar(select(Submission).where(Submission.child_id == amari.id))
    private = [a for a in submission.answers if a.answer_text == "I want to see my nan more"]
    for answer in private:
        answer.share = "worker"  # the child kept their own words for their worker only
    db.session.commit()

    sign_in_staff(page, iro.email)
    listing = page.get("/staff/reviews")
    states = {
        tr.select_one("td").get_text(" ", strip=True).split()[0]: tr["data-state"]
        for tr in listing.soup.select("tbody tr")
    }
    assert states == {"Amari": "sent", "Bex": "invited"}
    assert "Views in, not read" in listing.text and "Asked, nothing back yet" in listing.text

    pack_link = listing.soup.find("a", string="Print review pack")
    pack = page.get(pack_link["href"])
    assert "What Amari wants their review to know" in pack.text
    shared = [a for a in submission.answers if a.share != "worker"]
    assert shared and all(a.question in pack.text for a in shared)
    assert "I want to see my nan more" not in pack.text
    kept = len(private)
    assert (
        f"{len(shared)} answers shared with the review; {kept} kept for their social worker only" in pack.text
    )
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review.pack_printed")) is not None


def test_a_review_of_someone_elses_child_is_not_found(app_ctx, page):
    _, _, reviews = iro_with_two_children()
    other_iro = factories.staff("iro", team_=factories.team())
    db.session.commit()
    sign_in_staff(page, other_iro.email)
    assert "Amari" not in page.get("/staff/reviews").text
    page.get(f"/staff/reviews/{reviews['Amari'].id}/pack", status=404)


def test_the_iro_moves_a_review_with_a_reason_and_a_worker_cannot(app_ctx, page):
    iro, worker, reviews = iro_with_two_children()
    review = reviews["Bex"]
    sign_in_staff(page, iro.email)
    form = page.get(f"/staff/reviews/{review.id}/move")
    earlier = (review.due_on - timedelta(days=3)).isoformat()
    refused = page.submit(form, {"due_on": earlier, "reason": ""}, selector="main form[method=post]")
    assert refused.url.endswith("/move") and refused.soup.select_one(".error")
    page.submit(
        form,
        {"due_on": earlier, "reason": "Bex asked for it before the school trip"},
        selector="main form[method=post]",
    )
    db.session.expire_all()
    assert db.session.get(Review, review.id).due_on.isoformat() == earlier
    [change] = db.session.scalars(select(ReviewDateChange))
    assert change.reason == "Bex asked for it before the school trip" and change.changed_by_id == iro.id
    page.client.post("/staff/sign-out")
    sign_in_staff(page, worker.email)
    page.get(f"/staff/reviews/{review.id}/move", status=403)


def test_a_review_recorded_as_held_shows_its_decision_to_the_child(app, page, runner):
    # No shared app context here: the child and the IRO each have their own browser.
    info = demo(runner)
    kid = info["children"][0]
    with app.app_context():
        child = Child.by_ref(kid["ref"])
        review_id, iro_email = child.next_review(_today()).id, child.iro.email
    enrol(page, kid["invite_url"])
    assert "What was decided at my review" not in page.get("/messages").text

    # The same browser is handed to the IRO, then back (a test client shares Flask's ``g`` with
    # any second client, so two browsers at once would mix their CSRF tokens).
    staff_page = page
    sign_in_staff(staff_page, iro_email, info_password(info, iro_email))
    form = staff_page.get(f"/staff/reviews/{review_id}/record")
    decision = "You said you want to stay at your school. Everyone agreed: you stay."
    done = staff_page.submit(
        form, {"held_on": _today().isoformat(), "decision": decision}, selector="main form[method=post]"
    )
    assert "Recorded" in done.text
    with app.app_context():
        held = db.session.get(Review, review_id)
        assert held.held_on == _today() and held.decision == decision
        assert Child.by_ref(kid["ref"]).next_review(_today()).sequence == held.sequence + 1

    page.submit(page.get("/sign-in"), {"pin": PIN}, selector="main form[method=post]")
    messages = page.get("/messages")
    assert "What was decided at my review" in messages.text
    assert decision in messages.text


def info_password(info: dict, email: str) -> str:
    return next(s["password"] for s in info["staff"] if s["email"] == email)


def test_the_admin_previews_an_upload_before_anything_changes(app_ctx, page, sample_staff):
    admin = factories.staff("admin")
    db.session.commit()
    home = sign_in_staff(page, admin.email)
    assert home.soup.find("a", string="Import children and reviews") is not None
    form = page.get("/staff/reviews/import")
    data = csv_bytes(row(child_id="UP1"), row(child_id="UP2", date_of_birth="soon"))
    token = form.form().find("input", attrs={"name": "csrf_token"})["value"]
    response = page.client.post(
        "/staff/reviews/import",
        data={"csrf_token": token, "csv_file": (io.BytesIO(data), "export.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    preview_text = response.get_data(as_text=True)
    assert "1 created" in preview_text and "date_of_birth &#39;soon&#39; is not a date" in preview_text
    assert db.session.scalar(select(Child).where(Child.case_id == "UP1")) is None  # nothing yet

    from bs4 import BeautifulSoup

    soup = BeautifulSoup(preview_text, "html.parser")
    fields = {i["name"]: i.get("value", "") for i in soup.select("form[method=post] input[name]")}
    done = page.client.post("/staff/reviews/import/confirm", data=fields)
    assert done.status_code == 200 and "Import finished" in done.get_data(as_text=True)
    assert db.session.scalar(select(Child).where(Child.case_id == "UP1")) is not None
    again = page.client.post("/staff/reviews/import/confirm", data=fields, follow_redirects=True)
    assert "That preview has expired" in again.get_data(as_text=True)


def test_an_upload_over_the_limits_gets_a_kind_message_not_an_error(app, app_ctx, page, monkeypatch):
    admin = factories.staff("admin")
    db.session.commit()
    sign_in_staff(page, admin.email)

    def upload(size: int):
        token = page.get("/staff/reviews/import").form().find("input", attrs={"name": "csrf_token"})["value"]
        return page.client.post(
            "/staff/reviews/import",
            data={"csrf_token": token, "csv_file": (io.BytesIO(b"x" * size), "huge.csv")},
            content_type="multipart/form-data",
        )

    monkeypatch.setitem(app.config, "VOICE_IMPORT_MAX_BYTES", 10_000)
    over_import_limit = upload(50_000)
    assert over_import_limit.status_code == 400
    assert "the limit is 10 KB" in over_import_limit.get_data(as_text=True)

    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100_000)
    over_request_limit = upload(200_000)  # stopped before the view: the form still explains
    assert over_request_limit.status_code == 413
    text = over_request_limit.get_data(as_text=True)
    assert "The file is 0.2 MB; the limit is 10 KB" in text and "Nothing was imported" in text
    assert db.session.scalar(select(Child)) is None


def test_a_social_worker_cannot_open_the_import_page(app_ctx, page):
    worker = factories.staff("social_worker", team_=factories.team())
    db.session.commit()
    sign_in_staff(page, worker.email)
    page.get("/staff/reviews/import", status=403)


def test_reviews_upcoming_json_lists_each_review_with_its_state(app_ctx, runner):
    _, _, reviews = iro_with_two_children()
    reviews["Amari"].child.case_id = "LCS777"
    db.session.commit()
    result = runner.invoke(args=["reviews", "upcoming", "--json", "--days", "15"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert [(i["child_id"], i["state"]) for i in items] == [("LCS777", "invited")]
    assert items[0]["review_on"] == reviews["Amari"].due_on.isoformat()
    assert {i["state"] for i in json.loads(runner.invoke(args=["reviews", "upcoming", "--json"]).output)} == {
        "invited"
    }

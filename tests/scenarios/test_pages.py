"""The child's "Something else to say" menu, and the staff side: contacts and scenario links."""

from __future__ import annotations

from sqlalchemy import select

from tests.helpers.auth import sign_in_staff
from tests.helpers.child import enrol, sign_in_directly
from tests.helpers.pages import PageFetcher
from voice.extensions import db
from voice.models import Child, Conversation, Invitation


def _staff(app, email="worker@voice.test"):
    page = PageFetcher(app.test_client())
    sign_in_staff(page, email)
    return page


def _child_id(app):
    with app.app_context():
        return Child.by_ref("K-S1").id


def test_the_menu_lists_the_scenarios_and_a_draft_of_one_leaves_the_review_chat_alone(app, world, page):
    sign_in_directly(app, page.client, "K-S1")
    review_start = page.get("/chat")
    modes = [b["value"] for b in review_start.soup.select("form.mode-choice button[name=flow]")]
    # the review chats, in words, in pictures, or the picture journey (issue 26); scenarios are not here
    assert sorted(modes) == ["all-about-me", "pre-review", "pre-review-pictures"]
    menu = page.get("/something-else")
    offered = [b["value"] for b in menu.soup.select("form.scenarios button[name=flow]")]
    assert offered == [
        "worker-visit",
        "something-worrying",
        "good-news",
        "my-education",
    ]  # no missing episode
    chat = page.submit(menu, selector="form.scenarios", button=("flow", "good-news"))
    assert "What is your good news?" in chat.text
    assert page.get("/chat").url == "/chat"  # the review chat still starts afresh
    again = page.get("/something-else")
    carry_on = again.soup.select_one("form.scenarios a.mode")
    assert "Carry on where you stopped" in carry_on.get_text() and "Good news" in carry_on.get_text()
    with app.app_context():
        assert db.session.scalar(select(Conversation.flow_id)) == "good-news"


def test_staff_set_the_contacts_the_rules_name(app, world):
    staff = _staff(app)
    page = staff.get(f"/staff/children/{_child_id(app)}")
    chosen = {
        "return_home_worker_id": str(world["ids"]["rhi"]),
        "designated_teacher_id": str(world["ids"]["teacher"]),
        "virtual_school_id": "",
    }
    form = page
    page = staff.submit(form, chosen, selector="form[action$='/contacts']")
    assert "Contacts saved." in page.text
    with app.app_context():
        child = Child.by_ref("K-S1")
        assert child.return_home_worker.email == "rhi@voice.test"
        assert child.designated_teacher.email == "teacher@voice.test" and child.virtual_school is None
    staff.submit(
        form, {**chosen, "virtual_school_id": "99999"}, selector="form[action$='/contacts']", status=400
    )


def test_a_scenario_link_opens_that_chat_after_the_pin(app, world):
    staff = _staff(app)
    page = staff.get(f"/staff/children/{_child_id(app)}")
    link_page = staff.submit(page, {"flow": "my-education"}, selector="form[action$='/scenario-link']")
    link = link_page.soup.select_one("p.invite-link code").get_text()
    with app.app_context():
        assert db.session.scalar(select(Invitation.flow_id)) == "my-education"
    child = PageFetcher(app.test_client())
    landed = enrol(child, link)
    assert landed.url == "/something-else/my-education"
    assert [b["value"] for b in landed.soup.select("form.scenarios button[name=flow]")] == ["my-education"]
    chat = child.submit(landed, selector="form.scenarios", button=("flow", "my-education"))
    assert "How is school or college going?" in chat.text or "PEP" in chat.text

"""The studio picks up the scenario flows like any other: listed, previewed, edited, published."""

from __future__ import annotations

from tests.helpers.auth import sign_in_staff
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from tests.studio.conftest import people  # noqa: F401 - the studio's people fixture
from tests.studio.helpers import approve_and_publish, proposal_id, propose_wording
from voice.extensions import db

NEW_WORDS = "What good thing happened?"


def _signed_in(app, email: str) -> PageFetcher:
    fetcher = PageFetcher(app.test_client())
    sign_in_staff(fetcher, email)
    return fetcher


def test_scenario_flows_are_listed_previewed_and_editable(app, people, world):  # noqa: F811
    member = _signed_in(app, people["member"])
    listing = member.get("/studio/content")
    for flow_id in ("worker-visit", "something-worrying", "good-news", "back-from-missing", "my-education"):
        assert listing.soup.select_one(f"a[href='/studio/content/flow/{flow_id}']"), flow_id
    day = member.get("/studio/content/node/worker-visit/visit-date")
    assert day.soup.select_one(".phone input[type=date]")  # the date question, as a child sees it

    proposed = propose_wording(member, "node", "good-news/news-what", "text", NEW_WORDS)
    with app.app_context():
        from voice.models import StaffMember

        officer = db.session.scalar(
            db.select(StaffMember.email).where(StaffMember.role == "participation_officer")
        )
    boss = _signed_in(app, officer)
    assert "is live" in approve_and_publish(boss, proposal_id(proposed)).text

    child = PageFetcher(app.test_client())
    sign_in_directly(app, child.client, "K-S1")
    menu = child.get("/something-else")
    chat = child.submit(menu, selector="form.scenarios", button=("flow", "good-news"))
    assert NEW_WORDS in chat.text

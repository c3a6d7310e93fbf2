"""Who may open what. Council members shape content and never see child data: every staff and
child route refuses them. Studio pages refuse children and staff without the studio ability."""

from __future__ import annotations

import re
import uuid

import pytest
from flask import url_for
from sqlalchemy import select

from tests import factories
from tests.helpers.auth import sign_in_staff
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice.extensions import db
from voice.models import Child, Conversation, Device, Proposal

CANARY = "CANARY-council-must-never-read-this"


@pytest.fixture
def child_data(app, people):
    """A child with a sent submission holding a canary answer; the ids every URL needs."""
    with app.app_context():
        worker = factories.staff("social_worker", team_=factories.team())
        kid = factories.child(worker=worker)
        db.session.commit()
        ref = kid.ref
    submission_id = send_for(app, ref, text=CANARY)
    with app.app_context():
        kid = Child.by_ref(ref)
        device = Device(child_id=kid.id, token_hash="x" * 64)
        db.session.add(device)
        db.session.commit()
        conversation = db.session.scalar(select(Conversation).where(Conversation.child_id == kid.id))
        return {
            "child_id": kid.id,
            "submission_id": submission_id,
            "conversation_id": conversation.id,
            "device_id": device.id,
            "alert_id": uuid.uuid4(),
            "node_id": "home-feel",
            "ref": ref,
        }


def _url(app, rule, values) -> str:
    args = {}
    for name in rule.arguments:
        args[name] = values.get(name, 1 if "int:" in rule.rule else "x")
    with app.test_request_context():
        return url_for(rule.endpoint, **args)


def _csrf(page) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.response.get_data(as_text=True))
    assert found
    return found.group(1)


def _guarded(app, prefixes: tuple[str, ...]):
    for rule in app.url_map.iter_rules():
        access = getattr(app.view_functions[rule.endpoint], "voice_access", "")
        if access.startswith(prefixes):
            yield rule


def test_a_council_member_gets_nothing_from_any_staff_or_child_route(app, people, child_data):
    member = PageFetcher(app.test_client())
    home = sign_in_staff(member, people["member"])
    token = _csrf(home)
    checked = 0
    for rule in _guarded(app, ("staff:", "child")):
        if rule.rule.startswith("/studio"):
            continue
        url = _url(app, rule, child_data)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token, "body": "x", "topic": "home"} if method == "POST" else None
            response = member.client.open(url, method=method, data=data)
            assert response.status_code in (302, 401, 403, 404), (method, url, response.status_code)
            if response.status_code == 302:
                assert "/sign-in" in response.headers["Location"], (method, url)
            if response.status_code == 401:  # a JSON post (the chat's autosave): "sign in" as JSON
                assert response.is_json and response.json["problem"] == "signed_out", (method, url)
            assert CANARY not in response.get_data(as_text=True)
            checked += 1
    assert checked >= 30  # every staff and child route, not a handful


def test_a_council_member_cannot_decide_publish_or_manage_accounts(app, people):
    member = PageFetcher(app.test_client())
    token = _csrf(sign_in_staff(member, people["member"]))
    with app.app_context():
        proposal = Proposal(
            item_kind="topic",
            item_id="home",
            field="title",
            before_text="a",
            proposed_text="b",
            author="council:999",
            status="open",
            base_version=0,
        )
        proposal.change = {"op": "set", "field": "title", "value": "b"}
        db.session.add(proposal)
        db.session.commit()
        number = proposal.id
    for url in (
        f"/studio/proposals/{number}/approve",
        f"/studio/proposals/{number}/send-back",
        f"/studio/proposals/{number}/publish",
        "/studio/versions/0/rollback",
        "/studio/you-said-we-did",
        "/studio/council-members",
        "/studio/council-members/1/deactivate",
    ):
        response = member.client.post(url, data={"csrf_token": token, "reason": "x", "text": "x"})
        assert response.status_code in (302, 403), url
    assert member.client.get("/studio/council-members").status_code in (302, 403)
    with app.app_context():
        assert db.session.get(Proposal, number).status == "open"


def test_studio_pages_are_refused_to_staff_without_the_studio_ability(app, people):
    worker = PageFetcher(app.test_client())
    sign_in_staff(worker, people["worker"])
    for rule in _guarded(app, ("studio:",)):
        if "GET" in rule.methods:
            url = _url(app, rule, {"kind": "node", "item_id": "pre-review/home-feel", "op": "set"})
            assert worker.client.get(url).status_code == 403, url


def test_studio_pages_send_children_and_strangers_to_sign_in(app, people):
    with app.app_context():
        kid = factories.child()
        db.session.commit()
    child = app.test_client()
    sign_in_directly(app, child, kid)
    assert child.get("/chat").status_code == 200  # really signed in as a child
    for client in (child, app.test_client()):
        for url in ("/studio/", "/studio/content", "/studio/content/article/article-12", "/studio/proposals"):
            response = client.get(url)
            assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"], url


def test_officer_and_admin_each_have_their_own_pages(app, people):
    officer, admin = PageFetcher(app.test_client()), PageFetcher(app.test_client())
    sign_in_staff(officer, people["officer"])
    sign_in_staff(admin, people["admin"])
    assert officer.get("/studio/").h1 == "Content studio"
    assert officer.client.get("/studio/council-members").status_code == 403
    assert admin.get("/studio/council-members").h1 == "Children in Care Council accounts"


def test_an_admin_adds_and_turns_off_council_accounts_which_ends_their_sessions(app, people):
    admin = PageFetcher(app.test_client())
    sign_in_staff(admin, people["admin"])
    page = admin.get("/studio/council-members")
    added = admin.submit(
        page,
        {"name": "Jo New", "email": "jo.new@voice.test", "password": "a long first password"},
        selector="main form[novalidate]",
    )
    assert "Account made for Jo New" in added.text
    member = PageFetcher(app.test_client())
    sign_in_staff(member, "jo.new@voice.test", "a long first password")
    assert member.client.get("/studio/").status_code == 200
    button = next(f for f in added.soup.select("form") if "Jo New" in f.get_text())
    admin.submit(added, selector=f"form[action='{button['action']}']")
    after = member.client.get("/studio/")
    assert after.status_code == 302 and "/staff/sign-in" in after.headers["Location"]
    refused = sign_in_staff(
        PageFetcher(app.test_client()), "jo.new@voice.test", "a long first password", status=400
    )
    assert "did not match" in refused.text

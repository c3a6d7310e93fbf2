"""Issue 8, done when: a council member proposes new words, the participation officer approves
and publishes them, a child sees them, and a chat started earlier keeps its words."""

from __future__ import annotations

from sqlalchemy import select

from tests.helpers.auth import sign_in_staff
from tests.helpers.child import demo, enrol, finish_chat, review_link, start_chat
from tests.helpers.pages import PageFetcher
from tests.studio.helpers import approve_and_publish, proposal_id, propose_wording
from voice.extensions import db
from voice.models import AuditEvent, ContentVersion, Conversation, Submission

OLD_QUESTION = "How are things where you live right now?"
NEW_QUESTION = "How is it where you live at the moment?"
NEW_SUMMARY = "You can say what you think. Adults must listen and take it seriously."


def test_a_member_proposes_the_officer_publishes_and_only_new_chats_change(app, runner):
    # Separate browsers, none kept open in a `with` block: each request gets its own `g`.
    info = demo(runner)
    page = PageFetcher(app.test_client())
    officer = next(s for s in info["staff"] if s["role"] == "participation_officer")
    member = info["council_members"][0]

    # A child starts a chat before anything changes.
    early = PageFetcher(app.test_client())
    chat = start_chat(early, enrol(early, info["children"][0]["invite_url"]))
    assert OLD_QUESTION in chat.text
    early_chat_url = chat.url

    # A council member signs in on the staff sign-in page and proposes new words.
    signed_in = sign_in_staff(page, member["email"], member["password"])
    assert signed_in.url == "/studio/"
    rights = propose_wording(page, "article", "article-12", "summary", NEW_SUMMARY)
    assert "Waiting for a decision" in rights.text
    assert NEW_SUMMARY in rights.text  # the "after" side and the phone preview
    question = propose_wording(page, "node", "pre-review/home-feel", "text", NEW_QUESTION)
    # Members can't decide: no approve or publish buttons for them.
    assert question.soup.select_one("form.publish-form") is None
    assert "/approve" not in question.response.get_data(as_text=True)

    # The participation officer approves and publishes both.
    boss = PageFetcher(app.test_client())
    sign_in_staff(boss, officer["email"], officer["password"])
    first = approve_and_publish(boss, proposal_id(rights))
    assert "Published. Version 1 is live" in first.text
    second = approve_and_publish(boss, proposal_id(question))
    assert "Version 2 is live" in second.text

    # Any child now reads the new rights wording.
    explainer = PageFetcher(app.test_client()).get("/rights/article-12")
    assert NEW_SUMMARY in explainer.text

    # A child starting now gets the new question...
    late = PageFetcher(app.test_client())
    late_chat = start_chat(late, enrol(late, info["children"][1]["invite_url"]))
    assert NEW_QUESTION in late_chat.text and OLD_QUESTION not in late_chat.text

    # ...while the chat started earlier keeps the words it started with, to the end.
    again = early.get(early_chat_url)
    assert OLD_QUESTION in again.text and NEW_QUESTION not in again.text
    finished = finish_chat(early, again)
    review = early.get(review_link(finished))
    assert OLD_QUESTION in review.text
    early.submit(review, selector="main form[method=post]", button=("action", "send"))

    with app.app_context():
        assert [v.id for v in db.session.scalars(select(ContentVersion))] == [1, 2]
        pinned = {c.child.ref: c.content_version for c in db.session.scalars(select(Conversation))}
        assert pinned[info["children"][0]["ref"]] == "v0:pre-review@1"
        assert pinned[info["children"][1]["ref"]] == "v2:pre-review@1"
        sent = db.session.scalar(select(Submission))
        assert sent.content_version == "v0:pre-review@1"
        home = next(a for a in sent.answers if a.node_id == "home-feel")
        assert home.question == OLD_QUESTION
        actions = [e.action for e in db.session.scalars(select(AuditEvent)) if e.action.startswith("studio.")]
        assert actions.count("studio.proposed") == 2
        assert actions.count("studio.approved") == 2
        assert actions.count("studio.published") == 2

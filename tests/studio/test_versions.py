"""Content versions: the live one serves every request, conversations keep theirs,
rollback keeps history, and a broken version can never start or go live."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from tests import factories
from voice import create_app
from voice.chat import conversations
from voice.content import registry, versions
from voice.content.registry import ContentError
from voice.content.translate import content_text
from voice.extensions import db
from voice.models import ContentVersion, Proposal
from voice.studio import proposals, releases

NEW_SUMMARY = "Adults must ask what you think, and listen."


def _publish(kind: str, item_id: str, change: dict) -> ContentVersion:
    member = factories.council_member()
    officer = factories.staff("participation_officer")
    made = proposals.propose(member, kind, item_id, change, None)
    proposals.approve(made, officer)
    return proposals.publish(made, officer)


def test_with_no_versions_the_files_are_live(app_ctx):
    assert versions.live_ref().id == 0
    assert registry.get("flows") is versions.store().seed["flows"]


def test_publishing_switches_every_lookup_without_a_restart(app_ctx):
    _publish("article", "article-12", {"op": "set", "field": "summary", "value": NEW_SUMMARY})
    assert registry.get("rights").article("article-12").summary == NEW_SUMMARY
    versions.forget_live()  # another request, as another worker process would see it
    assert registry.get("rights").article("article-12").summary == NEW_SUMMARY
    assert app_ctx.extensions["voice_content"]["rights"] is registry.get("rights")
    # Loaders whose files did not change are shared, not loaded again.
    assert registry.get("safeguarding") is versions.store().seed["safeguarding"]
    assert registry.get("flows") is versions.store().seed["flows"]


def test_a_second_worker_process_serves_the_new_words_on_its_next_request(app, tmp_path):
    other = create_app({**app.config, "VOICE_INSTANCE_DIR": str(tmp_path)})
    with app.app_context():
        _publish("article", "article-12", {"op": "set", "field": "summary", "value": NEW_SUMMARY})
    page = other.test_client().get("/rights/article-12")
    assert NEW_SUMMARY in page.get_data(as_text=True)
    with other.app_context():
        db.engine.dispose()


def test_a_conversation_keeps_the_version_it_started_on(app_ctx):
    child = factories.child()
    db.session.commit()
    before = conversations.start(child, "pre-review", language="en")
    assert before.content_version == "v0:pre-review@1"
    version = _publish(
        "node", "pre-review/home-feel", {"op": "set", "field": "text", "value": "How is home?"}
    )
    assert conversations.flow_of(before).node("home-feel").text == "How are things where you live right now?"
    assert conversations.flows()["pre-review"].node("home-feel").text == "How is home?"
    assert conversations.content_version(conversations.flows()["pre-review"]) == f"v{version.id}:pre-review@1"
    before.content_version = "v999:pre-review@1"  # a version that is gone: fall back, never fail
    assert conversations.flow_of(before).node("home-feel").text == "How is home?"
    before.content_version = "pre-review@1"  # pinned before versions existed
    assert conversations.flow_of(before).node("home-feel").text == "How is home?"


def test_rollback_makes_a_new_version_with_the_old_words(app_ctx):
    first = _publish("article", "article-12", {"op": "set", "field": "summary", "value": NEW_SUMMARY})
    _publish("article", "article-12", {"op": "set", "field": "summary", "value": "Your views count."})
    officer = factories.staff("participation_officer")
    back = releases.rollback(first.id, officer, note="the council preferred it")
    assert back.kind == "rollback" and back.copied_from == first.id
    assert back.digest == first.digest
    assert registry.get("rights").article("article-12").summary == NEW_SUMMARY
    assert [v.id for v in versions.history()] == [back.id, back.id - 1, first.id]
    to_files = releases.rollback(0, officer)
    assert registry.get("rights").article("article-12").summary.startswith("You have the right to say")
    assert to_files.digest == versions.store().seed_digest
    with pytest.raises(releases.ReleaseError, match="same as the live content"):
        releases.rollback(0, officer)


def test_two_publishes_from_the_same_version_cannot_both_win(app_ctx):
    tree = versions.live_tree()
    versions.create_version(tree | {"extra.yaml": "a: 1\n"}, based_on=0, kind="import", by="system")
    db.session.commit()
    with pytest.raises(versions.VersionRace):
        versions.create_version(tree | {"extra.yaml": "a: 2\n"}, based_on=0, kind="import", by="system")


def test_a_proposal_that_breaks_a_flow_is_refused_at_publish_with_the_reason(app_ctx):
    member, officer = factories.council_member(), factories.staff("participation_officer")
    broken = Proposal(
        item_kind="node",
        item_id="pre-review/home-feel",
        field="text",
        before_text="",
        proposed_text="",
        author=f"council:{member.id}",
        status="approved",
        base_version=0,
    )
    broken.change = {"op": "set", "field": "text", "value": ""}
    db.session.add(broken)
    db.session.commit()
    with pytest.raises(proposals.ProposalError) as refused:
        proposals.publish(broken, officer)
    assert any("node 'home-feel'" in p and "missing its text" in p for p in refused.value.problems)
    assert db.session.scalar(select(ContentVersion)) is None
    assert broken.status == "approved"


def test_publishing_refuses_words_that_are_too_hard_to_read(app_ctx):
    hard = (
        "Notwithstanding considerable organisational complexity, the authority's responsibilities "
        "encompass comprehensive consideration of individualised circumstances, preferences and "
        "developmental requirements throughout decision-making processes affecting you."
    )
    member, officer = factories.council_member(), factories.staff("participation_officer")
    made = proposals.propose(
        member, "article", "article-12", {"op": "set", "field": "means", "value": hard}, None
    )
    proposals.approve(made, officer)
    with pytest.raises(proposals.ProposalError) as refused:
        proposals.publish(made, officer)
    assert any("article article-12: reading age" in p and "above 11" in p for p in refused.value.problems)


def test_changed_english_is_stale_for_translators_and_falls_back_to_english(app_ctx):
    context = "flow:pre-review:home-feel:text"
    assert not content_text(context, "How are things where you live right now?", "pl").fallback
    _publish("node", "pre-review/home-feel", {"op": "set", "field": "text", "value": "How is home?"})
    assert context in versions.stale_contexts()
    shown = content_text(context, "How is home?", "pl")
    assert shown == "How is home?" and shown.fallback


def test_a_live_version_that_no_longer_loads_stops_start_up(app, tmp_path, monkeypatch):
    with app.app_context():
        tree = versions.live_tree()
        tree["flows/pre-review.yaml"] = tree["flows/pre-review.yaml"].replace(
            "start: welcome", "start: nowhere"
        )
        versions.create_version(tree, based_on=0, kind="import", by="system")  # bypassing every check
        db.session.commit()
    with pytest.raises(ContentError, match="live content version v1 does not pass"):
        create_app({**app.config, "VOICE_INSTANCE_DIR": str(tmp_path / "a")})
    monkeypatch.setenv("VOICE_CONTENT_RECOVERY", "1")
    recovering = create_app({**app.config, "VOICE_INSTANCE_DIR": str(tmp_path / "b")})
    with recovering.app_context():
        assert versions.live_ref().id == 0
        fixed = releases.rollback(0, "system")
        assert fixed.based_on == 1
        db.session.remove()
        db.engine.dispose()


def test_get_help_now_keeps_its_published_words_when_the_database_is_unreachable(app, monkeypatch):
    with app.app_context():
        _publish("page", "help", {"op": "set", "field": "title", "value": "Get help right now"})
    client = app.test_client()
    assert "Get help right now" in client.get("/help").get_data(as_text=True)

    def down():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(versions, "_query_live", down)
    during = client.get("/help")
    assert during.status_code == 200
    assert "Get help right now" in during.get_data(as_text=True)

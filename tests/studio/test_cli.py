"""`flask --app voice content check|export|import|history|rollback`."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests import factories
from voice.content import versions
from voice.extensions import db
from voice.studio import proposals

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _publish_summary(app, words: str) -> int:
    with app.app_context():
        member, officer = factories.council_member(), factories.staff("participation_officer")
        change = {"op": "set", "field": "summary", "value": words}
        made = proposals.propose(member, "article", "article-12", change, None)
        proposals.approve(made, officer)
        return proposals.publish(made, officer).id


def test_content_check_passes_on_the_real_content(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "Reading age: median" in result.output
    assert "content check: ok" in result.output


def test_content_check_fails_with_clear_messages(runner, tmp_path):
    broken = tmp_path / "content"
    shutil.copytree(CONTENT, broken)
    flow = broken / "flows" / "pre-review.yaml"
    flow.write_text(flow.read_text(encoding="utf-8").replace("next: home-feel-check", "next: nowhere", 1))
    result = runner.invoke(args=["content", "check", "--dir", str(broken)])
    assert result.exit_code == 1
    assert "content check FAILED" in result.output
    assert "leads to 'nowhere', which is not a node in this flow" in result.output


def test_export_then_import_round_trips_to_an_identical_bundle(app, runner, tmp_path):
    number = _publish_summary(app, "Adults must ask what you think.")
    out = tmp_path / "exported"
    result = runner.invoke(args=["content", "export", str(out)])
    assert result.exit_code == 0, result.output
    assert f"exported version {number}" in result.output
    with app.app_context():
        live = versions.live_tree()
        assert versions.studio_part(versions.read_tree(out)) == live
        assert (out / "safeguarding").is_dir()  # a complete content folder
    again = runner.invoke(args=["content", "import", str(out)])
    assert again.exit_code == 0, again.output
    assert "nothing to import" in again.output

    articles = out / "rights" / "articles.yaml"
    articles.write_text(
        articles.read_text(encoding="utf-8").replace(
            "Adults must ask what you think.", "Adults must ask you, and listen."
        )
    )
    imported = runner.invoke(args=["content", "import", str(out), "--note", "from git review"])
    assert imported.exit_code == 0, imported.output
    with app.app_context():
        assert versions.live_ref().id == number + 1
        from voice.content import registry

        assert registry.get("rights").article("article-12").summary == "Adults must ask you, and listen."
        assert versions.history()[0].note == "from git review"


def test_import_refuses_a_folder_exported_before_newer_studio_changes(app, runner, tmp_path):
    _publish_summary(app, "Adults must ask what you think.")
    out = tmp_path / "exported"
    runner.invoke(args=["content", "export", str(out)])
    _publish_summary(app, "Your views count.")
    (out / "flows" / "topics.yaml").write_text(
        (out / "flows" / "topics.yaml")
        .read_text(encoding="utf-8")
        .replace("title: Where I live", "title: Home")
    )
    refused = runner.invoke(args=["content", "import", str(out)])
    assert refused.exit_code == 1
    assert "would undo studio changes" in refused.output
    forced = runner.invoke(args=["content", "import", str(out), "--force"])
    assert forced.exit_code == 0, forced.output


def test_import_refuses_broken_content(app, runner, tmp_path):
    broken = tmp_path / "content"
    shutil.copytree(CONTENT, broken)
    (broken / "flows" / "pre-review.yaml").write_text("id: pre-review\nnodes: []\n")
    result = runner.invoke(args=["content", "import", str(broken)])
    assert result.exit_code == 1
    assert "can't be imported" in result.output
    with app.app_context():
        assert versions.history() == []


def test_history_and_rollback_from_the_command_line(app, runner):
    first = _publish_summary(app, "Adults must ask what you think.")
    _publish_summary(app, "Your views count.")
    result = runner.invoke(args=["content", "rollback", str(first)])
    assert result.exit_code == 0, result.output
    history = runner.invoke(args=["content", "history"])
    assert history.output.splitlines()[0].startswith(f"v{first + 2} (live)")
    with app.app_context():
        db.session.remove()
        from voice.content import registry

        versions.forget_live()
        assert registry.get("rights").article("article-12").summary == "Adults must ask what you think."

"""content/routing.yaml: checked at start-up and by `flask --app voice content check`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from voice.routing.rules import parse_rules

CONTENT = Path(__file__).resolve().parents[2] / "content"


def test_the_shipped_rules_name_every_scenario_flow(app):
    rules = app.extensions["voice_content"]["routing"]
    flows = app.extensions["voice_content"]["flows"]
    assert [r.flow for r in rules.scenarios] == [
        "worker-visit", "something-worrying", "good-news", "back-from-missing", "my-education"
    ]  # fmt: skip
    assert all(r.flow in flows for r in rules.scenarios)
    assert rules.for_flow("back-from-missing").respond_within_hours == 72
    assert rules.for_flow("pre-review").to == ("allocated-worker",)


@pytest.mark.parametrize(
    "data, problem",
    [
        ({"default": {"to": ["allocated-worker"]}, "scenarios": [{"flow": "x", "to": ["head-teacher"]}]},
         "names the role 'head-teacher', which Voice does not know"),
        ({"default": {"to": []}}, "'to' should list one or more roles"),
        ({"default": {"to": "iro"}, "scenarios": [{"to": ["iro"]}]}, "needs 'flow'"),
        ({"default": {"to": "iro"}, "scenarios": [{"flow": "a", "to": "iro", "urgent": "yes"}]},
         "'urgent' should be true or false"),
        ({"default": {"to": "iro"}, "scenarios": [{"flow": "a", "to": "iro"}, {"flow": "a", "to": "iro"}]},
         "the flow 'a' has two rules"),
        ({"default": {"to": "iro", "cc": "x"}}, "unknown key(s) cc"),
    ],
)  # fmt: skip
def test_a_broken_rule_is_named(data, problem):
    with pytest.raises(ValueError) as caught:
        parse_rules(data)
    assert problem in str(caught.value)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def test_content_check_fails_on_a_scenario_naming_a_missing_role(runner, tmp_path):
    content = _copy(tmp_path)
    routing = content / "routing.yaml"
    routing.write_text(
        routing.read_text().replace("to: [return-home-worker]", "to: [missing-person-officer]")
    )
    result = runner.invoke(args=["content", "check", "--dir", str(content)])
    assert result.exit_code == 1
    assert "names the role 'missing-person-officer', which Voice does not know" in result.output


def test_content_check_fails_on_a_scenario_without_its_flow(runner, tmp_path):
    content = _copy(tmp_path)
    (content / "flows" / "good-news.yaml").unlink()
    result = runner.invoke(args=["content", "check", "--dir", str(content)])
    assert result.exit_code == 1
    assert "the scenario 'good-news' has no flow file" in result.output


def test_content_check_warns_when_some_child_has_nobody_for_a_role(runner, app, world):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert (
        "warning: routing.yaml: 'back-from-missing' goes to return-home-worker, and 1 child(ren)"
        in result.output
    )
    assert "'my-education' goes to designated-teacher or virtual-school, and 1 child(ren)" in result.output

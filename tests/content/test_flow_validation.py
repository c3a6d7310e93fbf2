"""The flow validator: every kind of broken flow gets a clear message naming where."""

import copy
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.chat.flowkit import TEST_CONTENT, flow_from_yaml
from voice.chat import engine
from voice.content.flows import (
    FlowError,
    load_flows,
    load_topics,
    parse_flow,
    parse_yaml,
    validate_flow,
)

GOOD = """\
id: tiny
version: 1
title: Tiny
mode: words
intro: A tiny flow.
estimated_minutes: 1
start: hi
default_options:
  yesno:
    - {id: "yes", label: "Yes"}
    - {id: "no", label: "No"}
nodes:
  - id: hi
    type: message
    text: Hi.
    next: pet
  - id: pet
    type: question
    topic: pets
    text: Cat or dog?
    answer: single
    rights: [article-31]
    options:
      - {id: cat, label: Cat}
      - {id: dog, label: Dog}
    next: pet-check
  - id: pet-check
    type: branch
    branches:
      - when: {node: pet, in: [dog]}
        next: walk
    default: bye
  - id: walk
    type: question
    topic: pets
    text: Do you walk it?
    answer: yesno
    next: bye
  - id: bye
    type: end
    text: Bye.
"""

DELETE = object()
TOPICS = {"pets", "other"}
RIGHTS = {"article-31", "article-12"}


def _load(text):
    return parse_yaml(text)


def node(data, node_id):
    return next(n for n in data["nodes"] if n["id"] == node_id)


def problems(data):
    return validate_flow(parse_flow(data, source="tiny.yaml"), rights_ids=RIGHTS, topic_ids=TOPICS)


def test_the_good_flow_is_good():
    assert problems(_load(GOOD)) == []


def broken(change):
    data = copy.deepcopy(_load(GOOD))
    change(data)
    return data


CASES = {
    "unknown next": (
        lambda d: node(d, "hi").update(next="pett"),
        "tiny.yaml: flow 'tiny': node 'hi': leads to 'pett', which is not a node in this flow",
    ),
    "unknown branch target": (
        lambda d: node(d, "pet-check")["branches"][0].update(next="wlak"),
        "node 'pet-check': leads to 'wlak', which is not a node in this flow",
    ),
    "unknown default": (
        lambda d: node(d, "pet-check").update(default="by"),
        "node 'pet-check': leads to 'by', which is not a node in this flow",
    ),
    "missing text": (
        lambda d: node(d, "walk").pop("text"),
        "node 'walk': is missing its text",
    ),
    "blank text": (
        lambda d: node(d, "bye").update(text="  "),
        "node 'bye': is missing its text",
    ),
    "duplicate node id": (
        lambda d: d["nodes"].append({"id": "walk", "type": "end", "text": "Again"}),
        "node 'walk': this id is used by more than one node",
    ),
    "unreachable node": (
        lambda d: d["nodes"].append({"id": "lost", "type": "message", "text": "?", "next": "bye"}),
        "node 'lost': can't be reached from the start",
    ),
    "unknown answer type": (
        lambda d: node(d, "walk").update(answer="dropdown"),
        "node 'walk': unknown answer type 'dropdown' (use one of: single, multi, scale, yesno, text, date)",
    ),
    "single without options": (
        lambda d: node(d, "pet").pop("options") and node(d, "pet-check").update(branches=[]),
        "node 'pet': a 'single' question needs options",
    ),
    "duplicate option ids": (
        lambda d: node(d, "pet")["options"].append({"id": "cat", "label": "Kitten"}),
        "node 'pet': option id 'cat' is used more than once",
    ),
    "option without label": (
        lambda d: node(d, "pet")["options"][0].pop("label"),
        "node 'pet': option 'cat' is missing its label",
    ),
    "scale without faces": (
        lambda d: node(d, "walk").update(answer="scale"),
        "node 'walk': a 'scale' question must have options 1, 2, 3, 4, 5",
    ),
    "text with options": (
        lambda d: node(d, "pet").update(answer="text"),
        "node 'pet': a 'text' question can't have options",
    ),
    "branch on an unknown node": (
        lambda d: node(d, "pet-check")["branches"][0]["when"].update(node="pets"),
        "node 'pet-check': branch #1: looks at 'pets', which is not a node in this flow",
    ),
    "branch on an unknown option": (
        lambda d: node(d, "pet-check")["branches"][0]["when"].update({"in": ["dgo"]}),
        "node 'pet-check': branch #1: looks for option 'dgo', which question 'pet' doesn't have",
    ),
    "branch on a message": (
        lambda d: node(d, "pet-check")["branches"][0]["when"].update(node="hi"),
        "node 'pet-check': branch #1: looks at 'hi', which is not a question",
    ),
    "branch on a later question": (
        lambda d: node(d, "pet-check")["branches"][0].update(when={"node": "walk", "answered": True}),
        "node 'pet-check': branch #1: looks at 'walk', which never comes before this branch",
    ),
    "branch without default": (
        lambda d: node(d, "pet-check").pop("default"),
        "node 'pet-check': a branch node needs a 'default'",
    ),
    "unknown topic": (
        lambda d: node(d, "walk").update(topic="dogs"),
        "node 'walk': unknown topic 'dogs' (not in topics.yaml)",
    ),
    "missing topic": (
        lambda d: node(d, "walk").pop("topic"),
        "node 'walk': needs a topic",
    ),
    "unknown rights link": (
        lambda d: node(d, "walk").update(rights=["article-99"]),
        "node 'walk': links to rights explainer 'article-99', which doesn't exist",
    ),
    "unknown icon": (
        lambda d: node(d, "walk").update(icon="unicorn"),
        "node 'walk': unknown icon 'unicorn'",
    ),
    "field that doesn't belong to the type": (
        lambda d: node(d, "hi").update(answer="text"),
        "node 'hi': a message node can't have 'answer'",
    ),
    "end with next": (
        lambda d: node(d, "bye").update(next="hi"),
        "node 'bye': an end node can't have 'next'",
    ),
    "question without next": (
        lambda d: node(d, "walk").pop("next"),
        "node 'walk': needs 'next'",
    ),
    "unknown node type": (
        lambda d: node(d, "hi").update(type="note"),
        "node 'hi': unknown type 'note' (use one of: message, question, branch, end)",
    ),
    "unknown start": (
        lambda d: d.update(start="hello"),
        "flow 'tiny': start 'hello' is not a node in this flow",
    ),
    "no end": (
        lambda d: node(d, "bye").update(type="message", next="hi"),
        "flow 'tiny': has no end node",
    ),
    "loop with no exit": (
        lambda d: (
            node(d, "walk").update(next="walk-again"),
            d["nodes"].append({"id": "walk-again", "type": "message", "text": "!", "next": "walk"}),
        ),
        "flow 'tiny': loop with no exit: 'walk', 'walk-again' lead round in a circle and never end",
    ),
    "loop with an exit": (
        lambda d: node(d, "walk").update(next="pet"),
        "flow 'tiny': loop: 'pet', 'pet-check', 'walk' lead back round to each other",
    ),
    "bad mode and version": (
        lambda d: d.update(mode="emoji", version=0),
        "flow 'tiny': mode should be one of: words, pictures",
    ),
    "pictures flow without icons": (
        lambda d: d.update(mode="pictures"),
        "node 'pet': questions in a pictures flow need an icon",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_kind_of_problem_is_named(case):
    change, expected = CASES[case]
    found = problems(broken(change))
    assert any(expected in problem for problem in found), found
    assert all(problem.startswith("tiny.yaml: flow 'tiny'") for problem in found), found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: x\nnodes: []\nnxet: a\n", "flow 'x': unknown field 'nxet'"),
        ("id: x\nnodes:\n  - {id: a, type: end, txet: hi}\n", "node 'a': unknown field 'txet'"),
        ("id: x\nnodes: {a: 1}\n", "'nodes' should be a list"),
        ("id: x\nnodes:\n  - {type: end}\n", "node #1: needs an id"),
        (
            "id: x\nnodes:\n  - {id: q, type: question, options: [{id: yes, label: Y}]}\n",
            "node 'q': option #1 needs an id written as text (quote yes, no)",
        ),
        (
            "id: x\nnodes:\n  - {id: b, type: branch, branches: [{when: {node: q}, next: c}]}\n",
            "'when' needs a node and exactly one of: in, answered, skipped",
        ),
        (
            "id: x\nnodes:\n  - {id: b, type: branch, branches: [{when: {node: q, in: [yes]}}]}\n",
            "'in' has True; write ids as text (quote yes, no)",
        ),
        ("- just a list\n", "a flow file should be a mapping"),
    ],
)
def test_shape_problems_are_reported_when_parsing(text, expected):
    with pytest.raises(FlowError) as caught:
        flow_from_yaml(text)
    assert expected in str(caught.value)


def test_a_key_written_twice_is_an_error(tmp_path):
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "topics.yaml").write_text("topics:\n  - {id: pets, title: Pets}\n")
    (flows / "tiny.yaml").write_text(GOOD.replace("    next: pet\n", "    next: pet\n    next: bye\n"))
    with pytest.raises(FlowError, match=r"tiny\.yaml: is not valid YAML: .*'next' is written twice"):
        load_flows(tmp_path)


def test_load_flows_reports_every_file_at_once(tmp_path):
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "topics.yaml").write_text("topics:\n  - {id: pets, title: Pets}\n")
    (flows / "tiny.yaml").write_text(GOOD.replace("next: pet-check", "next: pet-chekc"))
    (flows / "other.yaml").write_text(GOOD.replace("text: Bye.", "text: ''"))
    with pytest.raises(FlowError) as caught:
        load_flows(tmp_path)
    errors = caught.value.errors
    assert any("tiny.yaml: flow 'tiny': node 'pet': leads to 'pet-chekc'" in e for e in errors)
    assert any("other.yaml: flow 'tiny': node 'bye': is missing its text" in e for e in errors)
    assert any("flow id 'tiny' should match the file name 'other'" in e for e in errors)
    assert isinstance(caught.value, ValueError)


def test_load_flows_checks_topics_against_topics_yaml(tmp_path):
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "topics.yaml").write_text("topics:\n  - {id: other, title: Other}\n")
    (flows / "tiny.yaml").write_text(GOOD)
    with pytest.raises(FlowError, match=re.escape("unknown topic 'pets' (not in topics.yaml)")):
        load_flows(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("topics: []\n", "needs a 'topics' list"),
        ("topics:\n  - {id: a, title: A}\n  - {id: a, title: B}\n", "topic 'a' is listed twice"),
        ("topics:\n  - {id: Bad_Id, title: A}\n", "id should be kebab-case"),
        ("topics:\n  - {id: a}\n", "topic 'a' has no title"),
    ],
)
def test_bad_topics_file(tmp_path, text, expected):
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "topics.yaml").write_text(text)
    with pytest.raises(FlowError, match=re.escape(expected)):
        load_topics(tmp_path)


def test_missing_flows_folder(tmp_path):
    with pytest.raises(FlowError, match="no flows folder"):
        load_flows(tmp_path)


def test_the_test_flow_is_valid():
    flows = load_flows(TEST_CONTENT)
    assert list(flows) == ["chat-test"]
    assert isinstance(TEST_CONTENT, Path)


NODE_IDS = ["hi", "pet", "pet-check", "walk", "bye", "nowhere"]
FIELDS = ["id", "type", "text", "answer", "options", "topic", "next", "branches", "default", "icon", "rights"]
VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-2, 6)
    | st.sampled_from([*NODE_IDS, "", "message", "question", "branch", "end", "single", "scale", "dog"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["id", "label", "node", "in", "answered", "when", "next"]), inner)
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, database=None)
@given(
    changes=st.lists(
        st.tuples(st.integers(0, 4), st.sampled_from(FIELDS), VALUES | st.just(DELETE)),
        min_size=1,
        max_size=4,
    )
)
def test_any_broken_flow_is_a_clear_error_never_a_crash(changes):
    data = _load(GOOD)
    for index, field, value in changes:
        if value is DELETE:
            data["nodes"][index].pop(field, None)
        else:
            data["nodes"][index][field] = value
    try:
        flow = parse_flow(data, source="tiny.yaml")
    except FlowError as error:
        assert all(line.startswith("tiny.yaml: flow") for line in error.errors)
        return
    found = validate_flow(flow, rights_ids=RIGHTS, topic_ids=TOPICS)
    assert all(line.startswith("tiny.yaml: flow") for line in found)
    if not found:  # whatever the validator accepts, the engine can run to the end
        state = engine.begin(flow)
        for _ in flow.nodes:
            if engine.is_finished(flow, state):
                break
            state = engine.skip(flow, state, state["current"]).state
        assert engine.is_finished(flow, state)

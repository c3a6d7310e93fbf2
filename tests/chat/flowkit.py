"""Small helpers for the chat tests: the test flow, and flows built from text."""

from __future__ import annotations

import textwrap
from pathlib import Path

from voice.content.flows import Flow, load_flows, parse_flow, parse_yaml

TEST_CONTENT = Path(__file__).resolve().parents[1] / "data"
REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"


def chat_test_flow() -> Flow:
    return load_flows(TEST_CONTENT)["chat-test"]


def flow_from_yaml(text: str) -> Flow:
    return parse_flow(parse_yaml(textwrap.dedent(text)), source="test.yaml")


def question(node_id: str, answer: str = "single", **fields: object) -> Flow:
    """A one-question flow, for trying an answer handler on its own."""
    options = fields.pop("options", None)
    node = {
        "id": node_id,
        "type": "question",
        "topic": "other",
        "text": "?",
        "answer": answer,
        "next": "bye",
        **fields,
    }
    if options is not None:
        node["options"] = options
    data = {
        "id": "one",
        "version": 1,
        "title": "One",
        "mode": "words",
        "intro": "x",
        "estimated_minutes": 1,
        "start": node_id,
        "default_options": {
            "scale": [{"id": str(i), "label": f"face {i}", "icon": f"face-{i}"} for i in range(1, 6)],
            "yesno": [{"id": "yes", "label": "Yes"}, {"id": "no", "label": "No"}],
        },
        "nodes": [node, {"id": "bye", "type": "end", "text": "Bye"}],
    }
    return parse_flow(data)

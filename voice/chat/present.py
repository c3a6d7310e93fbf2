"""Words for the chat screens, in the child's language where a translation exists.

Content strings are looked up in the ``content`` catalogue by their id-based context
(``flow:<flow>:<node>:text`` …). A missing translation falls back to English for that whole
item, never mixing languages inside one sentence.
"""

from __future__ import annotations

from typing import Any

from voice.chat.answers import get_handler
from voice.content.flows import Flow, Node, Option
from voice.content.translate import display_text


def ct(context: str, english: str | None) -> str:
    if not english:
        return ""
    return display_text(context, english)


def node_text(flow: Flow, node: Node, field: str = "text") -> str:
    return ct(f"flow:{flow.id}:{node.id}:{field}", getattr(node, field))


def option_label(flow: Flow, node: Node, option: Option) -> str:
    label = option.label or option.id
    own = ct(f"flow:{flow.id}:{node.id}:option:{option.id}", label)
    if own == label and node.answer in ("scale", "yesno"):
        return ct(f"flow:{flow.id}:default:{node.answer}:{option.id}", label)
    return own


def answer_text(flow: Flow, node: Node, value: Any) -> str:
    """What the child answered, as they would read it back."""
    if value is None:
        return ""
    if node.answer == "text":
        return str(value)
    ids = get_handler(node.answer or "").selected(value)
    labels = [option_label(flow, node, opt) for opt in node.options if opt.id in ids]
    return ", ".join(labels)


def flow_text(flow: Flow, field: str) -> str:
    return ct(f"flow:{flow.id}:{field}", getattr(flow, field))


def topic_title(topics: dict, topic_id: str | None) -> str:
    topic = topics.get(topic_id or "other")
    if topic is None:
        return topic_id or ""
    return ct(f"topic:{topic.id}:title", topic.title)

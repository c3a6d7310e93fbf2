"""Conversation flows as types: a :class:`Flow` is a small graph of :class:`Node` objects.

The file format is described in ``voice.content.flows``; reading is in ``flow_parse`` and
checking in ``flow_check``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

NODE_TYPES = ("message", "question", "branch", "end")
MODES = ("words", "pictures", "symbols")
TOPICS_FILE = "topics.yaml"

ICON_NAMES = frozenset(
    {
        "home", "school", "family", "friends", "health", "worker", "review", "star", "worry",
        "face-1", "face-2", "face-3", "face-4", "face-5",
    }
)  # fmt: skip
"""Picture names content may use. Each one needs an SVG in the web layer's static icons."""

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

FLOW_KEYS = frozenset(
    {"id", "version", "title", "mode", "intro", "start", "estimated_minutes",
     "default_options", "nodes"}
)  # fmt: skip
NODE_KEYS = frozenset(
    {"id", "type", "text", "answer", "options", "topic", "hint", "placeholder", "rights",
     "next", "icon", "branches", "default"}
)  # fmt: skip
OPTION_KEYS = frozenset({"id", "label", "icon"})
BRANCH_KEYS = frozenset({"when", "next"})
CONDITION_TESTS = ("in", "answered", "skipped")

# Which optional fields each node type may use (beyond id and type).
ALLOWED_FIELDS: dict[str, frozenset[str]] = {
    "message": frozenset({"text", "next", "rights", "icon"}),
    "question": frozenset(
        {"text", "answer", "options", "topic", "hint", "placeholder", "rights", "icon", "next"}
    ),
    "branch": frozenset({"branches", "default"}),
    "end": frozenset({"text", "rights", "icon"}),
}


class FlowError(ValueError):
    """One or more problems with flow content. ``errors`` lists them, one line each."""

    def __init__(self, errors: Iterable[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class Topic:
    id: str
    title: str


@dataclass(frozen=True)
class Option:
    id: str
    label: str | None
    icon: str | None = None


@dataclass(frozen=True)
class Condition:
    """``test`` is ``in`` (answer includes one of ``option_ids``), ``answered`` or ``skipped``.
    For ``answered``/``skipped``, ``expected`` says whether the test should hold or not."""

    node: str
    test: str
    option_ids: tuple[str, ...] = ()
    expected: bool = True


@dataclass(frozen=True)
class Branch:
    when: Condition
    next: str | None


@dataclass(frozen=True)
class Node:
    id: str
    type: str
    text: str | None = None
    answer: str | None = None
    options: tuple[Option, ...] = ()
    topic: str | None = None
    hint: str | None = None
    placeholder: str | None = None
    rights: tuple[str, ...] = ()
    next: str | None = None
    icon: str | None = None
    branches: tuple[Branch, ...] = ()
    default: str | None = None

    @property
    def is_question(self) -> bool:
        return self.type == "question"

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)

    def targets(self) -> list[str]:
        """Every node this one can lead to, in authored order."""
        found = [self.next] + [branch.next for branch in self.branches] + [self.default]
        return [target for target in found if target]


@dataclass(frozen=True)
class Flow:
    id: str
    version: int
    title: str | None
    mode: str
    intro: str | None
    start: str
    nodes: tuple[Node, ...]
    estimated_minutes: int | None = None
    source: str = "<flow>"
    _by_id: dict[str, Node] = field(init=False, repr=False, compare=False)
    _derived: dict[str, Any] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        by_id: dict[str, Node] = {}
        for node in self.nodes:
            by_id.setdefault(node.id, node)  # first wins; duplicates are a validation error
        object.__setattr__(self, "_by_id", by_id)

    def node(self, node_id: str) -> Node:
        return self._by_id[node_id]

    def get(self, node_id: str | None) -> Node | None:
        return self._by_id.get(node_id) if node_id is not None else None

    @property
    def questions(self) -> tuple[Node, ...]:
        return tuple(node for node in self.nodes if node.is_question)

    def derived(self, name: str, compute: Callable[[Flow], Any]) -> Any:
        """``compute(self)``, worked out once per flow and kept: a flow never changes after
        loading (a studio edit makes a new one), so tables read from it stay true."""
        if name not in self._derived:
            self._derived[name] = compute(self)
        return self._derived[name]

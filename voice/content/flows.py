"""Conversation flows: authored YAML in ``content/flows/``, loaded into typed objects.

A flow is a small graph of nodes. The conversation engine (``voice.chat.engine``)
walks it; this module only reads and checks it, so that a broken flow stops
start-up (and ``flask --app voice content check``) with a clear message instead
of reaching a child's phone.

File layout::

    content/flows/topics.yaml        topic ids and child-friendly titles
    content/flows/<flow-id>.yaml     one flow per file; the file name is the flow id

A flow file::

    id: pre-review                   # stable, kebab-case, same as the file name
    version: 1                       # bump when the meaning of a question changes
    title: Getting ready for my review
    mode: words                      # words | pictures | symbols (the picture journey:
                                     #   icons name symbols in content/symbols.yaml)
    intro: A short line shown before the chat starts.
    estimated_minutes: 8
    start: welcome                   # id of the first node
    default_options:                 # optional: labels for every scale/yesno question
      scale: [{id: "1", label: Really bad, icon: face-1}, ..., {id: "5", ...}]
      yesno: [{id: "yes", label: "Yes"}, {id: "no", label: "No"}]
    nodes: [...]

Nodes (``id`` and ``type`` always; ids are stable kebab-case)::

    type: message    text, next, [rights, icon]           the bot says something
    type: question   text, answer, topic, next,            the bot asks; the child answers
                     [options, hint, placeholder, rights, icon]
    type: branch     branches, default                    invisible; picks the next node
    type: end        text, [rights, icon]                 the bot's last words

``answer`` is an answer type id from ``voice.chat.answers.HANDLERS``: ``single``,
``multi``, ``scale``, ``yesno`` or ``text``. ``single`` and ``multi`` need
``options`` (``id``, ``label``, optional ``icon``); ``scale`` and ``yesno`` take
theirs from ``default_options`` unless the node gives its own with the same ids.
Every question can be skipped; the engine guarantees it, so content never says so
per question.

Branching lives only in branch nodes, never inside questions, so there is one
way to read a flow::

    - id: home-check
      type: branch
      branches:                      # tried in order; the first that holds wins
        - when: {node: home-feel, in: ["1", "2"]}    # answered with one of these option ids
          next: home-better
        - when: {node: home-feel, answered: true}    # answered (not skipped); false = not
          next: home-good
        - when: {node: home-feel, skipped: true}     # skipped; false = not skipped
          next: home-stay
      default: home-stay             # when no branch holds

A condition may only look at a question that comes before the branch. Flows
must always move forward: answers are kept per question, so a loop back to an
earlier node is an error, and so is any node from which no ``end`` is reachable.

Quote ``"yes"``, ``"no"`` and numbers used as option ids: YAML would otherwise
read them as true/false and integers.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from voice.content.flow_check import validate_flow
from voice.content.flow_model import (
    ICON_NAMES,
    ID_RE,
    TOPICS_FILE,
    Branch,
    Condition,
    Flow,
    FlowError,
    Node,
    Option,
    Topic,
)
from voice.content.flow_parse import as_id, parse_flow, parse_yaml, read_yaml
from voice.content.symbols import symbol_ids

__all__ = [  # the types and readers, for modules that import them from here
    "ICON_NAMES",
    "Branch",
    "Condition",
    "Flow",
    "FlowError",
    "Node",
    "Option",
    "Topic",
    "load_flows",
    "load_topics",
    "parse_flow",
    "parse_yaml",
    "validate_flow",
]


def load_topics(content_dir: Path) -> dict[str, Topic]:
    """Read ``content_dir/flows/topics.yaml``; raise :class:`FlowError` if it is malformed."""
    path = Path(content_dir) / "flows" / TOPICS_FILE
    data = read_yaml(path)
    errors: list[str] = []
    entries = data.get("topics") if isinstance(data, Mapping) else None
    if not isinstance(entries, list) or not entries:
        raise FlowError([f"{path}: needs a 'topics' list of {{id, title}}"])
    topics: dict[str, Topic] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            errors.append(f"{path}: topic #{index + 1} should be a mapping with id and title")
            continue
        topic_id, title = as_id(entry.get("id")), entry.get("title")
        if not topic_id or not ID_RE.match(topic_id):
            errors.append(f"{path}: topic #{index + 1}: id should be kebab-case, like 'good-news'")
        elif topic_id in topics:
            errors.append(f"{path}: topic '{topic_id}' is listed twice")
        elif not isinstance(title, str) or not title.strip():
            errors.append(f"{path}: topic '{topic_id}' has no title")
        else:
            topics[topic_id] = Topic(topic_id, title)
    if errors:
        raise FlowError(errors)
    return topics


def load_flows(content_dir: Path, *, rights_ids: set[str] | None = None) -> dict[str, Flow]:
    """Load and validate every flow in ``content_dir/flows/`` (``content_dir`` is the
    content root, e.g. ``content/``).

    Raises one :class:`FlowError` listing every problem in every file, so an author
    sees them all at once. Pass ``rights_ids`` to check rights links too.
    """
    flows_dir = Path(content_dir) / "flows"
    if not flows_dir.is_dir():
        raise FlowError([f"{flows_dir}: no flows folder"])
    errors: list[str] = []
    try:
        topic_ids: set[str] | None = set(load_topics(content_dir))
    except FlowError as error:
        errors.extend(error.errors)
        topic_ids = None
    symbols = symbol_ids(content_dir)
    flows: dict[str, Flow] = {}
    for path in sorted(flows_dir.glob("*.yaml")):
        if path.name == TOPICS_FILE:
            continue
        try:
            flow = parse_flow(read_yaml(path), source=str(path))
        except FlowError as error:
            errors.extend(error.errors)
            continue
        errors.extend(validate_flow(flow, rights_ids=rights_ids, topic_ids=topic_ids, symbols=symbols))
        if flow.id != path.stem:
            errors.append(f"{path}: flow id '{flow.id}' should match the file name '{path.stem}'")
        flows[flow.id] = flow
    if not flows and not errors:
        errors.append(f"{flows_dir}: no flows found")
    if errors:
        raise FlowError(errors)
    return flows

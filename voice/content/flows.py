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
    mode: words                      # words | pictures
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

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from voice.chat.answers import HANDLERS

NODE_TYPES = ("message", "question", "branch", "end")
MODES = ("words", "pictures")
TOPICS_FILE = "topics.yaml"

ICON_NAMES = frozenset(
    {
        "home", "school", "family", "friends", "health", "worker", "review", "star", "worry",
        "face-1", "face-2", "face-3", "face-4", "face-5",
    }
)  # fmt: skip
"""Picture names content may use. Each one needs an SVG in the web layer's static icons."""

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

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


# --------------------------------------------------------------------------- loading


def load_topics(content_dir: Path) -> dict[str, Topic]:
    """Read ``content_dir/flows/topics.yaml``; raise :class:`FlowError` if it is malformed."""
    path = Path(content_dir) / "flows" / TOPICS_FILE
    data = _read_yaml(path)
    errors: list[str] = []
    entries = data.get("topics") if isinstance(data, Mapping) else None
    if not isinstance(entries, list) or not entries:
        raise FlowError([f"{path}: needs a 'topics' list of {{id, title}}"])
    topics: dict[str, Topic] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            errors.append(f"{path}: topic #{index + 1} should be a mapping with id and title")
            continue
        topic_id, title = _as_id(entry.get("id")), entry.get("title")
        if not topic_id or not _ID_RE.match(topic_id):
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
    flows: dict[str, Flow] = {}
    for path in sorted(flows_dir.glob("*.yaml")):
        if path.name == TOPICS_FILE:
            continue
        try:
            flow = parse_flow(_read_yaml(path), source=str(path))
        except FlowError as error:
            errors.extend(error.errors)
            continue
        errors.extend(validate_flow(flow, rights_ids=rights_ids, topic_ids=topic_ids))
        if flow.id != path.stem:
            errors.append(f"{path}: flow id '{flow.id}' should match the file name '{path.stem}'")
        flows[flow.id] = flow
    if not flows and not errors:
        errors.append(f"{flows_dir}: no flows found")
    if errors:
        raise FlowError(errors)
    return flows


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice in one mapping (YAML keeps the last
    silently, which hides editing mistakes such as two ``next:`` lines)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"'{key}' is written twice here", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FlowError([f"{path}: can't be read ({error})"]) from error
    return parse_yaml(text, source=str(path))


def parse_yaml(text: str, *, source: str = "<flow>") -> Any:
    loader = _UniqueKeyLoader(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as error:
        raise FlowError([f"{source}: is not valid YAML: {error}"]) from error
    finally:
        loader.dispose()


# --------------------------------------------------------------------------- parsing


def parse_flow(data: Any, *, source: str = "<flow>") -> Flow:
    """Build a :class:`Flow` from loaded YAML.

    Only problems of shape (wrong types, misspelt keys) are raised here, as a
    :class:`FlowError`. Problems of meaning (missing text, unknown targets, loops)
    are left for :func:`validate_flow`, which can then report them all together.
    """
    if not isinstance(data, Mapping):
        raise FlowError([f"{source}: a flow file should be a mapping with id, start and nodes"])
    flow_id = _as_id(data.get("id")) or "?"
    errors = _Errors(f"{source}: flow '{flow_id}'")
    errors.unknown_keys(data, FLOW_KEYS, "")
    defaults = _parse_default_options(data.get("default_options"), errors)
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, list):
        errors.add("", "'nodes' should be a list")
        raw_nodes = []
    nodes = []
    for index, raw in enumerate(raw_nodes):
        node = _parse_node(raw, index, defaults, errors)
        if node is not None:
            nodes.append(node)
    version = data.get("version")
    minutes = data.get("estimated_minutes")
    flow = Flow(
        id=flow_id,
        version=version if isinstance(version, int) and not isinstance(version, bool) else 0,
        title=errors.text(data, "title", ""),
        mode=str(data.get("mode") or ""),
        intro=errors.text(data, "intro", ""),
        start=_as_id(data.get("start")) or "",
        nodes=tuple(nodes),
        estimated_minutes=minutes if isinstance(minutes, int) else None,
        source=source,
    )
    if errors.items:
        raise FlowError(errors.items)
    return flow


class _Errors:
    """Collects problems, each prefixed with the file, flow and (when given) node."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{self.prefix}{where}: {message}")

    def unknown_keys(self, data: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                self.add(where, f"unknown field '{key}' (allowed: {', '.join(sorted(allowed))})")

    def text(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        value = data.get(key)
        if value is None or isinstance(value, str):
            return value
        self.add(where, f"'{key}' should be text, not {type(value).__name__}")
        return None

    def id_list(self, value: Any, key: str, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.add(where, f"'{key}' should be a list")
            return ()
        ids = []
        for item in value:
            item_id = _as_id(item)
            if item_id is None:
                self.add(where, f"'{key}' has {item!r}; write ids as text (quote yes, no)")
            else:
                ids.append(item_id)
        return tuple(ids)


def _as_id(value: Any) -> str | None:
    """Ids are text; a bare number is accepted as its text. True/False (an unquoted
    yes/no in YAML) is refused so the author is told to quote it."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    return value if isinstance(value, str) and value else None


def _parse_default_options(data: Any, errors: _Errors) -> dict[str, tuple[Option, ...]]:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        errors.add("", "'default_options' should map an answer type to its options")
        return {}
    return {
        str(answer_type): _parse_options(options, errors, f": default_options '{answer_type}'")
        for answer_type, options in data.items()
    }


def _parse_options(data: Any, errors: _Errors, where: str) -> tuple[Option, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        errors.add(where, "'options' should be a list")
        return ()
    options = []
    for index, raw in enumerate(data):
        if not isinstance(raw, Mapping):
            errors.add(where, f"option #{index + 1} should be a mapping with id and label")
            continue
        errors.unknown_keys(raw, OPTION_KEYS, where)
        option_id = _as_id(raw.get("id"))
        if option_id is None:
            errors.add(where, f"option #{index + 1} needs an id written as text (quote yes, no)")
            continue
        options.append(Option(option_id, errors.text(raw, "label", where), errors.text(raw, "icon", where)))
    return tuple(options)


def _parse_node(
    raw: Any, index: int, defaults: Mapping[str, tuple[Option, ...]], errors: _Errors
) -> Node | None:
    if not isinstance(raw, Mapping):
        errors.add(f": node #{index + 1}", "should be a mapping with id and type")
        return None
    node_id = _as_id(raw.get("id"))
    where = f": node '{node_id}'" if node_id else f": node #{index + 1}"
    if node_id is None:
        errors.add(where, "needs an id")
        return None
    errors.unknown_keys(raw, NODE_KEYS, where)
    answer = raw.get("answer")
    options = _parse_options(raw.get("options"), errors, where)
    if not options and isinstance(answer, str):
        options = defaults.get(answer, ())
    return Node(
        id=node_id,
        type=str(raw.get("type") or ""),
        text=errors.text(raw, "text", where),
        answer=str(answer) if answer is not None else None,
        options=options,
        topic=errors.text(raw, "topic", where),
        hint=errors.text(raw, "hint", where),
        placeholder=errors.text(raw, "placeholder", where),
        rights=errors.id_list(raw.get("rights"), "rights", where),
        next=errors.text(raw, "next", where),
        icon=errors.text(raw, "icon", where),
        branches=_parse_branches(raw.get("branches"), errors, where),
        default=errors.text(raw, "default", where),
    )


def _parse_branches(data: Any, errors: _Errors, where: str) -> tuple[Branch, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        errors.add(where, "'branches' should be a list of {when, next}")
        return ()
    branches = []
    for index, raw in enumerate(data):
        label = f"{where}: branch #{index + 1}"
        if not isinstance(raw, Mapping):
            errors.add(label, "should be a mapping with when and next")
            continue
        errors.unknown_keys(raw, BRANCH_KEYS, label)
        condition = _parse_condition(raw.get("when"), errors, label)
        if condition is not None:
            branches.append(Branch(condition, errors.text(raw, "next", label)))
    return tuple(branches)


def _parse_condition(data: Any, errors: _Errors, where: str) -> Condition | None:
    if not isinstance(data, Mapping):
        errors.add(where, "'when' should be a mapping like {node: some-question, in: [a, b]}")
        return None
    errors.unknown_keys(data, frozenset({"node", *CONDITION_TESTS}), where)
    node_id = _as_id(data.get("node"))
    tests = [test for test in CONDITION_TESTS if test in data]
    if node_id is None or len(tests) != 1:
        errors.add(where, "'when' needs a node and exactly one of: in, answered, skipped")
        return None
    test = tests[0]
    if test == "in":
        option_ids = errors.id_list(data["in"], "in", where)
        if not option_ids:
            errors.add(where, "'in' needs at least one option id")
        return Condition(node_id, "in", option_ids)
    if not isinstance(data[test], bool):
        errors.add(where, f"'{test}' should be true or false")
        return None
    return Condition(node_id, test, expected=data[test])


# --------------------------------------------------------------------------- validation


def validate_flow(
    flow: Flow, *, rights_ids: set[str] | None = None, topic_ids: set[str] | None = None
) -> list[str]:
    """Every problem with the meaning of ``flow``, as messages naming file, flow and node.

    An empty list means the engine can run the flow: every node is reachable, every
    path reaches an ``end``, there are no loops, and every question has text, a known
    answer type and valid options. ``rights_ids`` and ``topic_ids``, when given, are
    the known ids that ``rights`` and ``topic`` must use.
    """
    errors = _Errors(f"{flow.source}: flow '{flow.id}'")
    _check_flow_fields(flow, errors)
    seen: set[str] = set()
    for node in flow.nodes:
        if node.id in seen:
            errors.add(f": node '{node.id}'", "this id is used by more than one node")
        seen.add(node.id)
        _check_node(flow, node, errors, rights_ids=rights_ids, topic_ids=topic_ids)
    _check_graph(flow, errors)
    return errors.items


def _check_flow_fields(flow: Flow, errors: _Errors) -> None:
    if not _ID_RE.match(flow.id):
        errors.add("", "needs an id in kebab-case, like 'pre-review'")
    if flow.version < 1:
        errors.add("", "needs a version: a whole number, 1 or more")
    if not (flow.title or "").strip():
        errors.add("", "needs a title")
    if flow.mode not in MODES:
        errors.add("", f"mode should be one of: {', '.join(MODES)}")
    if flow.estimated_minutes is None or flow.estimated_minutes < 1:
        errors.add("", "needs estimated_minutes: a whole number, 1 or more")
    if not flow.nodes:
        errors.add("", "has no nodes")
    elif flow.get(flow.start) is None:
        errors.add("", f"start '{flow.start}' is not a node in this flow")
    if not any(node.type == "end" for node in flow.nodes):
        errors.add("", "has no end node, so the conversation could never finish")


def _check_node(
    flow: Flow,
    node: Node,
    errors: _Errors,
    *,
    rights_ids: set[str] | None,
    topic_ids: set[str] | None,
) -> None:
    where = f": node '{node.id}'"
    if not _ID_RE.match(node.id):
        errors.add(where, "ids should be kebab-case, like 'home-feel'")
    if node.type not in NODE_TYPES:
        errors.add(where, f"unknown type '{node.type}' (use one of: {', '.join(NODE_TYPES)})")
        return
    for name in sorted(_fields_set(node) - ALLOWED_FIELDS[node.type]):
        article = "an" if node.type[0] in "aeiou" else "a"
        errors.add(where, f"{article} {node.type} node can't have '{name}'")
    if node.type != "branch" and not (node.text or "").strip():
        errors.add(where, "is missing its text")
    if node.type in ("message", "question") and not node.next:
        errors.add(where, "needs 'next': the node that comes after it")
    _check_links(flow, node, errors, rights_ids)
    if node.type == "question":
        _check_question(flow, node, errors, topic_ids)
    elif node.type == "branch":
        _check_branch(flow, node, errors)


def _check_links(flow: Flow, node: Node, errors: _Errors, rights_ids: set[str] | None) -> None:
    """Targets, rights explainers and icons: the names a node uses must exist."""
    where = f": node '{node.id}'"
    for target in node.targets():
        if flow.get(target) is None:
            errors.add(where, f"leads to '{target}', which is not a node in this flow")
    for right in node.rights:
        if not _ID_RE.match(right):
            errors.add(where, f"rights link '{right}' should be an id like 'article-12'")
        elif rights_ids is not None and right not in rights_ids:
            errors.add(where, f"links to rights explainer '{right}', which doesn't exist")
    icons = sorted(ICON_NAMES)
    for icon in [node.icon, *(option.icon for option in node.options)]:
        if icon is not None and icon not in ICON_NAMES:
            errors.add(where, f"unknown icon '{icon}' (use one of: {', '.join(icons)})")


def _fields_set(node: Node) -> set[str]:
    values = {
        "text": node.text, "answer": node.answer, "options": node.options,
        "topic": node.topic, "hint": node.hint, "placeholder": node.placeholder,
        "rights": node.rights, "next": node.next, "icon": node.icon,
        "branches": node.branches, "default": node.default,
    }  # fmt: skip
    return {name for name, value in values.items() if value not in (None, ())}


def _check_question(flow: Flow, node: Node, errors: _Errors, topic_ids: set[str] | None) -> None:
    where = f": node '{node.id}'"
    handler = HANDLERS.get(node.answer or "")
    if handler is None:
        errors.add(
            where,
            f"unknown answer type '{node.answer}' (use one of: {', '.join(HANDLERS)})",
        )
    else:
        for problem in handler.check_node(node):
            errors.add(where, problem)
    option_ids = [option.id for option in node.options]
    for option_id in sorted({i for i in option_ids if option_ids.count(i) > 1}):
        errors.add(where, f"option id '{option_id}' is used more than once")
    for option in node.options:
        if not _ID_RE.match(option.id):
            errors.add(where, f"option id '{option.id}' should be kebab-case")
        if not (option.label or "").strip():
            errors.add(where, f"option '{option.id}' is missing its label")
    if not node.topic:
        errors.add(where, "needs a topic, so answers can be grouped for review")
    elif topic_ids is not None and node.topic not in topic_ids:
        errors.add(where, f"unknown topic '{node.topic}' (not in {TOPICS_FILE})")
    if flow.mode == "pictures" and not node.icon:
        errors.add(where, "questions in a pictures flow need an icon")


def _check_branch(flow: Flow, node: Node, errors: _Errors) -> None:
    where = f": node '{node.id}'"
    if not node.branches:
        errors.add(where, "a branch node needs at least one entry in 'branches'")
    if not node.default:
        errors.add(where, "a branch node needs a 'default' for when no branch holds")
    for index, branch in enumerate(node.branches):
        label = f"{where}: branch #{index + 1}"
        if not branch.next:
            errors.add(label, "needs 'next'")
        condition = branch.when
        target = flow.get(condition.node)
        if target is None:
            errors.add(label, f"looks at '{condition.node}', which is not a node in this flow")
            continue
        if not target.is_question:
            errors.add(label, f"looks at '{condition.node}', which is not a question")
            continue
        known = {option.id for option in target.options}
        for option_id in condition.option_ids:
            if option_id not in known:
                errors.add(
                    label,
                    f"looks for option '{option_id}', which question '{target.id}' doesn't have",
                )


def _check_graph(flow: Flow, errors: _Errors) -> None:
    if flow.get(flow.start) is None:
        return
    edges = {node.id: [t for t in node.targets() if flow.get(t) is not None] for node in flow.nodes}
    reachable = _reach({flow.start}, edges)
    for node in flow.nodes:
        if node.id not in reachable:
            errors.add(f": node '{node.id}'", "can't be reached from the start")
    reverse: dict[str, list[str]] = {node_id: [] for node_id in edges}
    for source, targets in edges.items():
        for target in targets:
            reverse[target].append(source)
    can_finish = _reach({node.id for node in flow.nodes if node.type == "end"}, reverse)
    for component in _cycles(edges):
        loop = ", ".join(f"'{node_id}'" for node_id in component)
        if can_finish.isdisjoint(component):
            errors.add("", f"loop with no exit: {loop} lead round in a circle and never end")
        else:
            errors.add(
                "",
                f"loop: {loop} lead back round to each other. Flows must always move "
                "forward, because each question is answered once",
            )
    for node in flow.nodes:
        for index, branch in enumerate(node.branches):
            looked_at = branch.when.node
            if flow.get(looked_at) is not None and looked_at not in _reach({node.id}, reverse):
                errors.add(
                    f": node '{node.id}': branch #{index + 1}",
                    f"looks at '{looked_at}', which never comes before this branch",
                )


def _reach(starts: set[str], edges: Mapping[str, list[str]]) -> set[str]:
    seen = set(starts)
    todo = list(starts)
    while todo:
        for target in edges.get(todo.pop(), []):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _cycles(edges: Mapping[str, list[str]]) -> list[list[str]]:
    """Strongly connected components that contain a cycle, each in authored order.

    Kosaraju's algorithm, written iteratively so a long flow can't hit Python's
    recursion limit.
    """
    reverse: dict[str, list[str]] = {node_id: [] for node_id in edges}
    for source, targets in edges.items():
        for target in targets:
            reverse[target].append(source)
    position = {node_id: index for index, node_id in enumerate(edges)}
    assigned: set[str] = set()
    cycles = []
    for root in reversed(_finish_order(edges)):
        if root in assigned:
            continue
        component, todo = {root}, [root]
        while todo:
            for source in reverse[todo.pop()]:
                if source not in assigned and source not in component:
                    component.add(source)
                    todo.append(source)
        assigned |= component
        if len(component) > 1 or root in edges[root]:
            cycles.append(sorted(component, key=position.__getitem__))
    return cycles


def _finish_order(edges: Mapping[str, list[str]]) -> list[str]:
    """Nodes in the order a depth-first search finishes with them."""
    order: list[str] = []
    visited: set[str] = set()
    for root in edges:
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(edges[root]))]
        while stack:
            node_id, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                order.append(node_id)
            elif child not in visited:
                visited.add(child)
                stack.append((child, iter(edges[child])))
    return order

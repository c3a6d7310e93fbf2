"""Reading a flow file: strict YAML (``voice.strict_yaml``) into a :class:`Flow`.

Only problems of shape (wrong types, misspelt keys) are found here; problems of meaning
are for ``flow_check``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from voice import strict_yaml
from voice.content.flow_model import (
    BRANCH_KEYS,
    CONDITION_TESTS,
    FLOW_KEYS,
    NODE_KEYS,
    OPTION_KEYS,
    Branch,
    Condition,
    Flow,
    FlowError,
    Node,
    Option,
)


def read_yaml(path: Path) -> Any:
    """The data in a content file, read strictly; :class:`FlowError` if it can't be."""
    try:
        return strict_yaml.read(path)
    except strict_yaml.YamlError as error:
        raise FlowError([str(error)]) from error


def parse_yaml(text: str, *, source: str = "<flow>") -> Any:
    try:
        return strict_yaml.parse(text, source=source)
    except strict_yaml.YamlError as error:
        raise FlowError([str(error)]) from error


def parse_flow(data: Any, *, source: str = "<flow>") -> Flow:
    """Build a :class:`Flow` from loaded YAML.

    Only problems of shape (wrong types, misspelt keys) are raised here, as a
    :class:`FlowError`. Problems of meaning (missing text, unknown targets, loops)
    are left for :func:`validate_flow`, which can then report them all together.
    """
    if not isinstance(data, Mapping):
        raise FlowError([f"{source}: a flow file should be a mapping with id, start and nodes"])
    flow_id = as_id(data.get("id")) or "?"
    errors = Errors(f"{source}: flow '{flow_id}'")
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
        start=as_id(data.get("start")) or "",
        nodes=tuple(nodes),
        estimated_minutes=minutes if isinstance(minutes, int) else None,
        source=source,
    )
    if errors.items:
        raise FlowError(errors.items)
    return flow


class Errors:
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
            item_id = as_id(item)
            if item_id is None:
                self.add(where, f"'{key}' has {item!r}; write ids as text (quote yes, no)")
            else:
                ids.append(item_id)
        return tuple(ids)


def as_id(value: Any) -> str | None:
    """Ids are text; a bare number is accepted as its text. True/False (an unquoted
    yes/no in YAML) is refused so the author is told to quote it."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    return value if isinstance(value, str) and value else None


def _parse_default_options(data: Any, errors: Errors) -> dict[str, tuple[Option, ...]]:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        errors.add("", "'default_options' should map an answer type to its options")
        return {}
    return {
        str(answer_type): _parse_options(options, errors, f": default_options '{answer_type}'")
        for answer_type, options in data.items()
    }


def _parse_options(data: Any, errors: Errors, where: str) -> tuple[Option, ...]:
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
        option_id = as_id(raw.get("id"))
        if option_id is None:
            errors.add(where, f"option #{index + 1} needs an id written as text (quote yes, no)")
            continue
        options.append(Option(option_id, errors.text(raw, "label", where), errors.text(raw, "icon", where)))
    return tuple(options)


def _parse_node(
    raw: Any, index: int, defaults: Mapping[str, tuple[Option, ...]], errors: Errors
) -> Node | None:
    if not isinstance(raw, Mapping):
        errors.add(f": node #{index + 1}", "should be a mapping with id and type")
        return None
    node_id = as_id(raw.get("id"))
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


def _parse_branches(data: Any, errors: Errors, where: str) -> tuple[Branch, ...]:
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


def _parse_condition(data: Any, errors: Errors, where: str) -> Condition | None:
    if not isinstance(data, Mapping):
        errors.add(where, "'when' should be a mapping like {node: some-question, in: [a, b]}")
        return None
    errors.unknown_keys(data, frozenset({"node", *CONDITION_TESTS}), where)
    node_id = as_id(data.get("node"))
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

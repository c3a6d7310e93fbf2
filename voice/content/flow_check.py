"""Checking a flow's meaning: every problem at once, each naming file, flow and node."""

from __future__ import annotations

from collections.abc import Mapping

from voice.content.answer_types import ANSWER_TYPES
from voice.content.flow_model import (
    ALLOWED_FIELDS,
    ICON_NAMES,
    ID_RE,
    MODES,
    NODE_TYPES,
    TOPICS_FILE,
    Flow,
    Node,
)
from voice.content.flow_parse import Errors


def validate_flow(
    flow: Flow,
    *,
    rights_ids: set[str] | None = None,
    topic_ids: set[str] | None = None,
    symbols: set[str] | None = None,
) -> list[str]:
    """Every problem with the meaning of ``flow``, as messages naming file, flow and node.

    An empty list means the engine can run the flow: every node is reachable, every
    path reaches an ``end``, there are no loops, and every question has text, a known
    answer type and valid options. ``rights_ids`` and ``topic_ids``, when given, are
    the known ids that ``rights`` and ``topic`` must use. In a ``symbols`` flow, icons name
    symbols (``content/symbols.yaml``); ``symbols``, when given, are the known ones.
    """
    errors = Errors(f"{flow.source}: flow '{flow.id}'")
    _check_flow_fields(flow, errors)
    seen: set[str] = set()
    for node in flow.nodes:
        if node.id in seen:
            errors.add(f": node '{node.id}'", "this id is used by more than one node")
        seen.add(node.id)
        _check_node(flow, node, errors, rights_ids=rights_ids, topic_ids=topic_ids, symbols=symbols)
    _check_graph(flow, errors)
    return errors.items


def _check_flow_fields(flow: Flow, errors: Errors) -> None:
    if not ID_RE.match(flow.id):
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
    errors: Errors,
    *,
    rights_ids: set[str] | None,
    topic_ids: set[str] | None,
    symbols: set[str] | None = None,
) -> None:
    where = f": node '{node.id}'"
    if not ID_RE.match(node.id):
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
    _check_links(flow, node, errors, rights_ids, symbols)
    if node.type == "question":
        _check_question(flow, node, errors, topic_ids)
    elif node.type == "branch":
        _check_branch(flow, node, errors)


def _check_links(
    flow: Flow, node: Node, errors: Errors, rights_ids: set[str] | None, symbols: set[str] | None
) -> None:
    """Targets, rights explainers and icons: the names a node uses must exist."""
    where = f": node '{node.id}'"
    for target in node.targets():
        if flow.get(target) is None:
            errors.add(where, f"leads to '{target}', which is not a node in this flow")
    for right in node.rights:
        if not ID_RE.match(right):
            errors.add(where, f"rights link '{right}' should be an id like 'article-12'")
        elif rights_ids is not None and right not in rights_ids:
            errors.add(where, f"links to rights explainer '{right}', which doesn't exist")
    if flow.mode == "symbols":
        for icon in [node.icon, *(option.icon for option in node.options)]:
            if icon is not None and symbols is not None and icon not in symbols:
                errors.add(where, f"unknown symbol '{icon}' (not in symbols.yaml)")
        return
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


def _check_question(flow: Flow, node: Node, errors: Errors, topic_ids: set[str] | None) -> None:
    where = f": node '{node.id}'"
    answer_type = ANSWER_TYPES.get(node.answer or "")
    if answer_type is None:
        errors.add(
            where,
            f"unknown answer type '{node.answer}' (use one of: {', '.join(ANSWER_TYPES)})",
        )
    else:
        for problem in answer_type.check_node(node):
            errors.add(where, problem)
    option_ids = [option.id for option in node.options]
    for option_id in sorted({i for i in option_ids if option_ids.count(i) > 1}):
        errors.add(where, f"option id '{option_id}' is used more than once")
    for option in node.options:
        if not ID_RE.match(option.id):
            errors.add(where, f"option id '{option.id}' should be kebab-case")
        if not (option.label or "").strip():
            errors.add(where, f"option '{option.id}' is missing its label")
    if not node.topic:
        errors.add(where, "needs a topic, so answers can be grouped for review")
    elif topic_ids is not None and node.topic not in topic_ids:
        errors.add(where, f"unknown topic '{node.topic}' (not in {TOPICS_FILE})")
    if flow.mode in ("pictures", "symbols") and not node.icon:
        errors.add(where, "questions in a pictures flow need an icon")


def _check_branch(flow: Flow, node: Node, errors: Errors) -> None:
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


def _check_graph(flow: Flow, errors: Errors) -> None:
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

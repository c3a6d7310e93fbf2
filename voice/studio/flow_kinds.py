"""The kinds of content inside conversation flows: a flow, and a node of a flow; and the
helpers that read and change flow files (outline, options, moving and adding questions)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from voice.content.extract import as_id
from voice.studio import yamledit
from voice.studio.item_model import ChangeError, Field, Item, Kind, Tree, items_of, parsed, slug, text_of


class FlowKind(Kind):
    """A whole chat: its title and intro. Its questions are ``node`` items."""

    name, label = "flow", _l("Chats")
    loaders = ("flows",)
    FIELDS = (("title", _l("Title"), False), ("intro", _l("Intro line"), False))

    def items(self, tree: Tree) -> list[Item]:
        found = []
        for path, data in flow_files(tree).items():
            flow_id = str(as_id(data.get("id")) or path)
            fields = tuple(
                Field(name, label, text_of(data.get(name)), f"flow:{flow_id}:{name}")
                for name, label, _ in self.FIELDS
            )
            mode = "pictures" if data.get("mode") == "pictures" else "words"
            found.append(
                Item(
                    self.name,
                    flow_id,
                    text_of(data.get("title")) or flow_id,
                    fields,
                    note=f"{mode} · {len(data.get('nodes') or [])} steps",
                    extra={"mode": mode},
                )
            )
        return found

    def location(self, tree: Tree, item_id: str, field_name: str) -> tuple[str, list[Any]]:
        return flow_path(tree, item_id), [field_name]


class NodeKind(Kind):
    """One step of a chat: a message, a question or the last words. Id: ``flow/node``."""

    name, label = "node", _l("Chat questions and messages")
    loaders = ("flows",)
    ops = ("set", "add-option", "move", "add-question")
    FIELDS = ()

    def items(self, tree: Tree) -> list[Item]:
        found = []
        for data in flow_files(tree).values():
            flow_id = str(as_id(data.get("id")))
            title = text_of(data.get("title")) or flow_id
            for raw in outline_nodes(data):
                found.append(self._item(data, flow_id, title, raw))
        return found

    def item(self, tree: Tree, item_id: str) -> Item | None:
        flow_id, _, node_id = item_id.partition("/")
        data = flow_files(tree).get(flow_path(tree, flow_id, missing_ok=True) or "")
        if data is None:
            return None
        raw = next((n for n in items_of(data, "nodes") if as_id(n["id"]) == node_id), None)
        if raw is None or raw.get("type") == "branch":
            return None
        return self._item(data, flow_id, text_of(data.get("title")) or flow_id, raw)

    def _item(self, data: Mapping[str, Any], flow_id: str, title: str, raw: Mapping[str, Any]) -> Item:
        node_id = str(as_id(raw["id"]))
        kind = str(raw.get("type") or "")
        answer = str(raw.get("answer") or "")
        prefix = f"flow:{flow_id}:{node_id}"
        fields = [
            Field("text", _NODE_TEXT_LABEL.get(kind, _l("Words")), text_of(raw.get("text")), f"{prefix}:text")
        ]
        if kind == "question":
            fields.append(
                Field("hint", "Small line under the question", text_of(raw.get("hint")), f"{prefix}:hint")
            )
            if answer == "text":
                fields.append(
                    Field(
                        "placeholder",
                        "Faint text in the empty box",
                        text_of(raw.get("placeholder")),
                        f"{prefix}:placeholder",
                    )
                )
            for option, shared in node_options(data, raw):
                option_id = str(as_id(option.get("id")))
                context = (
                    f"flow:{flow_id}:default:{answer}:{option_id}"
                    if shared
                    else f"{prefix}:option:{option_id}"
                )
                button = text_of(option.get("label")) or option_id
                label = (
                    _l("Answer button “%(button)s” (shared)", button=button)
                    if shared
                    else _l("Answer button “%(button)s”", button=button)
                )
                fields.append(Field(f"option:{option_id}", label, text_of(option.get("label")), context))
        note = f"{kind} · {answer}" if answer else kind
        return Item(
            self.name,
            f"{flow_id}/{node_id}",
            text_of(raw.get("text")) or node_id,
            tuple(fields),
            group=title,
            note=note,
            extra={
                "flow_id": flow_id,
                "node_id": node_id,
                "type": kind,
                "answer": answer,
                "icon": raw.get("icon"),
            },
        )

    def ops_for(self, item: Item) -> tuple[str, ...]:
        ops = ["set"]
        if item.extra.get("type") == "question":
            if item.extra.get("answer") in ("single", "multi"):
                ops.append("add-option")
            ops.append("move")
        if item.extra.get("type") in ("question", "message"):
            ops.append("add-question")
        return tuple(ops)

    def location(self, tree: Tree, item_id: str, field_name: str) -> tuple[str, list[Any]]:
        flow_id, _, node_id = item_id.partition("/")
        path = flow_path(tree, flow_id)
        if field_name.startswith("option:"):
            option_id = field_name.split(":", 1)[1]
            data = parsed(tree, path)
            raw = next((n for n in items_of(data, "nodes") if as_id(n["id"]) == node_id), None)
            if raw is None:
                raise ChangeError(f"there is no step '{node_id}'")
            if raw.get("options"):
                return path, ["nodes", {"id": node_id}, "options", {"id": option_id}, "label"]
            return path, ["default_options", str(raw.get("answer")), {"id": option_id}, "label"]
        return path, ["nodes", {"id": node_id}, field_name]

    def _snapshot(self, tree: Tree, item_id: str, change: Mapping[str, Any]) -> str:
        flow_id, _, node_id = item_id.partition("/")
        data = parsed(tree, flow_path(tree, flow_id)) or {}
        if change["op"] == "add-option":
            raw = next((n for n in items_of(data, "nodes") if as_id(n["id"]) == node_id), {})
            return "\n".join(text_of(o.get("label")) for o, _ in node_options(data, raw))
        return "\n".join(outline(data))

    def _apply(self, tree: dict[str, str], item_id: str, change: Mapping[str, Any]) -> None:
        flow_id, _, node_id = item_id.partition("/")
        path = flow_path(tree, flow_id)
        data = parsed(tree, path)
        nodes = {str(as_id(n["id"])): n for n in items_of(data, "nodes")}
        node = nodes.get(node_id)
        if node is None:
            raise ChangeError(f"there is no step '{node_id}' in this chat")
        text = tree[path]
        op = change["op"]
        if op == "add-option":
            text = _add_option(text, node, change)
        elif op == "move":
            text = _move(text, nodes, node_id, str(change["after"]))
        elif op == "add-question":
            text = _add_question(text, data, nodes, node_id, change)
        tree[path] = text


_NODE_TEXT_LABEL = {"question": _l("Question"), "message": _l("Message"), "end": _l("Last words")}


# --------------------------------------------------------------------------- flow helpers


def flow_files(tree: Tree) -> dict[str, dict[str, Any]]:
    """{path: parsed flow} for every flow file (not topics.yaml)."""
    found = {}
    for path in sorted(tree):
        if path.startswith("flows/") and path.endswith(".yaml") and path != "flows/topics.yaml":
            data = parsed(tree, path)
            if isinstance(data, dict) and as_id(data.get("id")):
                found[path] = data
    return found


def flow_path(tree: Tree, flow_id: str, *, missing_ok: bool = False) -> str:
    for path, data in flow_files(tree).items():
        if as_id(data.get("id")) == flow_id:
            return path
    if missing_ok:
        return ""
    raise ChangeError(f"there is no chat '{flow_id}'")


def node_options(data: Mapping[str, Any], raw: Mapping[str, Any]) -> list[tuple[dict[str, Any], bool]]:
    """A question's answer buttons, and whether each is shared (from ``default_options``)."""
    own = [o for o in raw.get("options") or [] if isinstance(o, dict)]
    if own:
        return [(o, False) for o in own]
    defaults = (data.get("default_options") or {}).get(raw.get("answer")) or []
    return [(o, True) for o in defaults if isinstance(o, dict)]


def outline_nodes(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The steps a child can meet, in the order they come (from ``start``, following
    ``next`` and then each branch's targets), then any the walk didn't reach."""
    nodes = {str(as_id(n["id"])): n for n in items_of(data, "nodes")}
    order: list[str] = []
    todo = [str(data.get("start") or "")]
    while todo:
        current = todo.pop(0)
        if current in order or current not in nodes:
            continue
        order.append(current)
        raw = nodes[current]
        targets = [raw.get("next")] + [
            b.get("next") for b in raw.get("branches") or [] if isinstance(b, dict)
        ]
        targets.append(raw.get("default"))
        todo = [str(t) for t in targets if t] + todo
    order += [node_id for node_id in nodes if node_id not in order]
    return [nodes[node_id] for node_id in order if nodes[node_id].get("type") != "branch"]


def outline(data: Mapping[str, Any]) -> list[str]:
    """The chat as numbered lines of words, for before/after diffs of its order."""
    lines = []
    for number, raw in enumerate(outline_nodes(data), start=1):
        kind = {"question": "Q", "message": "M", "end": "End"}.get(str(raw.get("type")), "?")
        lines.append(f"{number}. [{kind}] {text_of(raw.get('text'))}  ({as_id(raw['id'])})")
    return lines


def _add_option(text: str, node: Mapping[str, Any], change: Mapping[str, Any]) -> str:
    if node.get("type") != "question" or node.get("answer") not in ("single", "multi"):
        raise ChangeError("only questions with a list of answers to pick from can get a new answer button")
    if not node.get("options"):
        raise ChangeError("this question's buttons are shared with the whole chat, so none can be added here")
    label = yamledit.normalise(str(change["label"]))
    if not label:
        raise ChangeError("the new answer button needs words")
    taken = {str(as_id(o.get("id"))) for o in node["options"] if isinstance(o, dict)}
    if label.casefold() in {
        text_of(o.get("label")).casefold() for o in node["options"] if isinstance(o, dict)
    }:
        raise ChangeError("this question already has an answer button with these words")
    option: dict[str, Any] = {
        "id": change.get("option_id") or slug(label, taken=taken, fallback="option"),
        "label": label,
    }
    if change.get("icon"):
        option["icon"] = str(change["icon"])
    return yamledit.insert_item(text, ["nodes", {"id": str(as_id(node["id"]))}, "options"], option)


def _move(text: str, nodes: Mapping[str, Mapping[str, Any]], node_id: str, after: str) -> str:
    """Move a question so it comes straight after ``after``, by rewiring three ``next``s."""
    if after == node_id:
        raise ChangeError("a question can't come after itself")
    target = nodes.get(after)
    if target is None or target.get("type") not in ("question", "message"):
        raise ChangeError("pick a question or message for it to come after")
    if target.get("next") == node_id:
        raise ChangeError("it already comes straight after that one")
    into = [n for n in nodes.values() if n.get("next") == node_id]
    via_branch = [n for n in nodes.values() if node_id in _branch_targets(n)]
    if via_branch or len(into) != 1:
        raise ChangeError(
            "this question is reached in more than one way (after a choice the chat makes), so it can't be "
            "moved here; ask the participation officer to change the chat file"
        )
    before = str(as_id(into[0]["id"]))
    node_next, target_next = nodes[node_id].get("next"), target.get("next")
    text = yamledit.set_value(text, ["nodes", {"id": before}, "next"], node_next)
    text = yamledit.set_value(text, ["nodes", {"id": node_id}, "next"], target_next)
    return yamledit.set_value(text, ["nodes", {"id": after}, "next"], node_id)


def _branch_targets(node: Mapping[str, Any]) -> set[str]:
    found = {str(b.get("next")) for b in node.get("branches") or [] if isinstance(b, dict)}
    return found | ({str(node["default"])} if node.get("default") else set())


def _add_question(
    text: str,
    data: Mapping[str, Any],
    nodes: Mapping[str, Mapping[str, Any]],
    after: str,
    change: Mapping[str, Any],
) -> str:
    anchor = nodes[after]
    if anchor.get("type") not in ("question", "message") or not anchor.get("next"):
        raise ChangeError("a new question can only come after a question or a message")
    spec = change["node"]
    words = yamledit.normalise(str(spec.get("text") or ""))
    if not words:
        raise ChangeError("the new question needs words")
    node: dict[str, Any] = {
        "id": spec.get("id") or slug(words, taken=nodes, fallback="question"),
        "type": "question",
        "topic": str(spec.get("topic") or ""),
    }
    if spec.get("icon"):
        node["icon"] = str(spec["icon"])
    node["text"] = words
    node["answer"] = str(spec.get("answer") or "text")
    if node["answer"] in ("single", "multi"):
        labels = [yamledit.normalise(str(label)) for label in spec.get("options") or [] if str(label).strip()]
        taken: set[str] = set()
        options = []
        for label in labels:
            option_id = slug(label, taken=taken, fallback="option")
            taken.add(option_id)
            options.append({"id": option_id, "label": label})
        node["options"] = options
    node["next"] = anchor["next"]
    position = yamledit.index_of(yamledit.load(text), ["nodes"], after)
    text = yamledit.insert_item(text, ["nodes"], node, after=position)
    return yamledit.set_value(text, ["nodes", {"id": after}, "next"], node["id"])

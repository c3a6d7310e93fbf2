"""What the studio can show and change: one *kind* per sort of content item.

Each kind knows where its items live in the content files, which of their fields are words
a child reads, and which changes a council member may propose. Kinds are a registry
(``KINDS``), not if/elif: adding a kind of content is one class here.

Everything is read from the content *files* of a version (a tree: path → text), not from
loaded objects, so the studio shows and edits exactly what is stored, and works whether or
not a colleague's loader for that kind of content is installed. Proposed changes are applied
to the file text with :mod:`voice.studio.yamledit`, keeping comments and layout.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar

import yaml

from voice.content.extract import as_id
from voice.studio import yamledit
from voice.studio.yamledit import EditError

Tree = Mapping[str, str]


class ChangeError(ValueError):
    """A proposed change can't be made; the message says why, in plain words."""


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    value: str
    context: str  # the translation context of this text
    markdown: bool = False


@dataclass(frozen=True)
class Item:
    kind: str
    id: str
    title: str
    fields: tuple[Field, ...]
    group: str = ""  # where it belongs, e.g. the flow's title
    note: str = ""  # a short line shown in lists: "question · scale"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def readable_text(self) -> str:
        """The words scored for reading age, grouped as ``voice.content.readability`` scores
        them (an explainer's parts together; not titles or button labels, which are too
        short to score)."""
        wanted = READABLE.get(self.kind)
        return "\n\n".join(
            f.value
            for f in self.fields
            if f.value and (f.name in wanted if wanted else not f.name.startswith("option:"))
        )


READABLE: dict[str, tuple[str, ...]] = {
    "article": ("summary", "means", "example", "if_not_happening"),
    "principle": ("promise", "summary", "body"),
    "glossary": ("definition",),
    "faq": ("answer",),
    "page": ("body",),
    "node": ("text", "hint"),
}


# --------------------------------------------------------------------------- reading files


@lru_cache(maxsize=256)
def _parse(text: str) -> Any:
    return yaml.safe_load(text)


def parsed(tree: Tree, path: str) -> Any:
    text = tree.get(path)
    if text is None:
        return None
    try:
        return _parse(text)
    except yaml.YAMLError:
        return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _items_of(data: Any, key: str) -> list[dict[str, Any]]:
    found = data.get(key) if isinstance(data, dict) else None
    return [item for item in found or [] if isinstance(item, dict) and as_id(item.get("id"))]


def slug(text: str, *, taken: Iterable[str] = (), fallback: str = "item", words: int = 5) -> str:
    """A kebab-case id from words, unique among ``taken``: "Living with my nan" → living-with-my-nan."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())[:words]
    base = "-".join(parts)[:40].strip("-") or fallback
    if base in ("yes", "no") or base.isdigit():
        base = f"{fallback}-{base}"
    taken = set(taken)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


# --------------------------------------------------------------------------- kinds


class Kind:
    """One sort of content item. Subclasses fill in the class attributes and methods."""

    name: ClassVar[str]
    label: ClassVar[str]  # plural heading for the browse page
    loaders: ClassVar[tuple[str, ...]] = ()  # registry names needed to preview it
    ops: ClassVar[tuple[str, ...]] = ("set",)
    FIELDS: ClassVar[tuple[tuple[str, str, bool], ...]] = ()  # (name, label, markdown)

    def items(self, tree: Tree) -> list[Item]:
        raise NotImplementedError

    def item(self, tree: Tree, item_id: str) -> Item | None:
        return next((i for i in self.items(tree) if i.id == item_id), None)

    def location(self, tree: Tree, item_id: str, field_name: str) -> tuple[str, list[Any]]:
        """(file, YAML path) of one field of one item."""
        raise NotImplementedError

    def ops_for(self, item: Item) -> tuple[str, ...]:
        return self.ops

    # -- changes

    def snapshot(self, tree: Tree, item_id: str, change: Mapping[str, Any]) -> str:
        """The words a change touches, as text: compared before and after, and with the live
        version at publish time to spot a change someone else made meanwhile."""
        op = change.get("op")
        if op == "set":
            file, path = self.location(tree, item_id, str(change["field"]))
            return _text(yamledit.find(parsed(tree, file), path, ""))
        return self._snapshot(tree, item_id, change)

    def _snapshot(self, tree: Tree, item_id: str, change: Mapping[str, Any]) -> str:
        raise ChangeError("this change can't be made here")

    def apply(self, tree: Tree, item_id: str, change: Mapping[str, Any]) -> dict[str, str]:
        """A new tree with the change made. Raises :class:`ChangeError`."""
        new = dict(tree)
        op = change.get("op")
        if op not in self.ops:
            raise ChangeError("this kind of change can't be made to this item")
        try:
            if op == "set":
                field_name = str(change["field"])
                if field_name not in self.field_names(tree, item_id):
                    raise ChangeError("that part of the item can't be changed here")
                file, path = self.location(tree, item_id, field_name)
                new[file] = yamledit.set_value(new[file], path, str(change["value"]))
            else:
                self._apply(new, item_id, change)
        except EditError as error:
            raise ChangeError(f"the change could not be made: {error}") from None
        except KeyError as error:
            raise ChangeError(f"the change is missing {error}") from None
        return new

    def _apply(self, tree: dict[str, str], item_id: str, change: Mapping[str, Any]) -> None:
        raise ChangeError("this change can't be made here")

    def field_names(self, tree: Tree, item_id: str) -> set[str]:
        found = self.item(tree, item_id)
        names = {f.name for f in found.fields} if found else set()
        return names | {name for name, _, _ in self.FIELDS}


class ListKind(Kind):
    """Items listed under one key of one file: ``articles: [{id: …}, …]``."""

    file: ClassVar[str]
    list_key: ClassVar[str]
    context_kind: ClassVar[str]
    title_field: ClassVar[str] = "title"

    def items(self, tree: Tree) -> list[Item]:
        found = []
        for raw in _items_of(parsed(tree, self.file), self.list_key):
            item_id = str(as_id(raw["id"]))
            fields = tuple(
                Field(name, label, _text(raw.get(name)), f"{self.context_kind}:{item_id}:{name}", markdown)
                for name, label, markdown in self.FIELDS
            )
            found.append(
                Item(
                    self.name,
                    item_id,
                    _text(raw.get(self.title_field)) or item_id,
                    fields,
                    note=self._note(raw),
                )
            )
        return found

    def _note(self, raw: Mapping[str, Any]) -> str:
        return ""

    def location(self, tree: Tree, item_id: str, field_name: str) -> tuple[str, list[Any]]:
        return self.file, [self.list_key, {"id": item_id}, field_name]


class ArticleKind(ListKind):
    name, label, file, list_key, context_kind = (
        "article",
        "Rights explainers",
        "rights/articles.yaml",
        "articles",
        "article",
    )
    loaders = ("rights",)
    FIELDS = (
        ("title", "Title", False),
        ("summary", "One-line summary", False),
        ("means", "What this means for you", True),
        ("example", "An example", True),
        ("if_not_happening", "If this isn't happening", True),
    )

    def _note(self, raw: Mapping[str, Any]) -> str:
        numbers = raw.get("numbers") or [raw.get("number")]
        return "Article " + " and ".join(str(n) for n in numbers if n is not None)


class PrincipleKind(ListKind):
    name, label, file, list_key, context_kind = (
        "principle",
        "The seven big ideas",
        "rights/principles.yaml",
        "principles",
        "principle",
    )
    loaders = ("rights",)
    FIELDS = (
        ("title", "Title", False),
        ("promise", "Promise", False),
        ("summary", "One-line summary", False),
        ("body", "What it means", True),
    )


class GlossaryKind(ListKind):
    name, label, file, list_key, context_kind = (
        "glossary",
        "Glossary: care words",
        "glossary.yaml",
        "terms",
        "glossary",
    )
    title_field = "term"
    loaders = ("rights",)
    FIELDS = (("term", "Word", False), ("definition", "What it means", True))


class TopicKind(ListKind):
    name, label, file, list_key, context_kind = (
        "topic",
        "Answer groups (topics)",
        "flows/topics.yaml",
        "topics",
        "topic",
    )
    loaders = ("topics",)
    FIELDS = (("title", "Heading", False),)


class PageKind(Kind):
    name, label = "page", "Pages"
    loaders = ("pages",)
    FIELDS = (("title", "Title", False), ("body", "Page text", True))

    def _files(self, tree: Tree) -> dict[str, str]:
        found = {}
        for path in sorted(tree):
            data = parsed(tree, path) if path.startswith("pages/") and path.endswith(".yaml") else None
            if isinstance(data, dict) and as_id(data.get("id")):
                found[str(as_id(data["id"]))] = path
        return found

    def items(self, tree: Tree) -> list[Item]:
        found = []
        for item_id, path in self._files(tree).items():
            raw = parsed(tree, path)
            fields = tuple(
                Field(name, label, _text(raw.get(name)), f"page:{item_id}:{name}", markdown)
                for name, label, markdown in self.FIELDS
            )
            found.append(Item(self.name, item_id, _text(raw.get("title")) or item_id, fields))
        return found

    def location(self, tree: Tree, item_id: str, field_name: str) -> tuple[str, list[Any]]:
        path = self._files(tree).get(item_id)
        if path is None:
            raise ChangeError(f"there is no page '{item_id}'")
        return path, [field_name]


class FaqKind(Kind):
    name, label = "faq", "Questions and answers (FAQ)"
    loaders = ("rights", "faq")
    ops = ("set", "add-example", "add-faq")
    FIELDS = (("title", "Question", False), ("answer", "Answer", True))

    @staticmethod
    def path_for(item_id: str) -> str:
        return f"faq/{item_id}.yaml"

    def items(self, tree: Tree) -> list[Item]:
        found = []
        for path in sorted(tree):
            if not (path.startswith("faq/") and path.endswith(".yaml")) or path == "faq/synonyms.yaml":
                continue
            raw = parsed(tree, path)
            if not isinstance(raw, dict) or not as_id(raw.get("id")):
                continue
            item_id = str(as_id(raw["id"]))
            fields = tuple(
                Field(name, label, _text(raw.get(name)), f"faq:{item_id}:{name}", markdown)
                for name, label, markdown in self.FIELDS
            )
            examples = [str(e) for e in raw.get("examples") or [] if isinstance(e, str | int)]
            found.append(
                Item(
                    self.name,
                    item_id,
                    _text(raw.get("title")) or item_id,
                    fields,
                    note=f"{len(examples)} ways a child might ask",
                    extra={"examples": examples},
                )
            )
        return found

    def location(self, tree: Tree, item_id: str, field_name: str) -> tuple[str, list[Any]]:
        path = self.path_for(item_id)
        if path not in tree:
            raise ChangeError(f"there is no question '{item_id}'")
        return path, [field_name]

    def _snapshot(self, tree: Tree, item_id: str, change: Mapping[str, Any]) -> str:
        if change["op"] == "add-example":
            raw = parsed(tree, self.path_for(item_id)) or {}
            return "\n".join(str(e) for e in raw.get("examples") or [])
        if change["op"] == "add-faq":
            return tree.get(self.path_for(str(change["topic"]["id"])), "")
        raise ChangeError("this change can't be made here")

    def _apply(self, tree: dict[str, str], item_id: str, change: Mapping[str, Any]) -> None:
        if change["op"] == "add-example":
            path = self.path_for(item_id)
            if path not in tree:
                raise ChangeError(f"there is no question '{item_id}'")
            tree[path] = yamledit.insert_item(tree[path], ["examples"], str(change["value"]))
        elif change["op"] == "add-faq":
            topic = dict(change["topic"])
            path = self.path_for(str(topic["id"]))
            if path in tree:
                raise ChangeError(f"there is already a question with the id '{topic['id']}'")
            tree[path] = yamledit.dump_document(topic)

    def ops_for(self, item: Item) -> tuple[str, ...]:
        return ("set", "add-example")


class FlowKind(Kind):
    """A whole chat: its title and intro. Its questions are ``node`` items."""

    name, label = "flow", "Chats"
    loaders = ("flows",)
    FIELDS = (("title", "Title", False), ("intro", "Intro line", False))

    def items(self, tree: Tree) -> list[Item]:
        found = []
        for path, data in flow_files(tree).items():
            flow_id = str(as_id(data.get("id")) or path)
            fields = tuple(
                Field(name, label, _text(data.get(name)), f"flow:{flow_id}:{name}")
                for name, label, _ in self.FIELDS
            )
            mode = "pictures" if data.get("mode") == "pictures" else "words"
            found.append(
                Item(
                    self.name,
                    flow_id,
                    _text(data.get("title")) or flow_id,
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

    name, label = "node", "Chat questions and messages"
    loaders = ("flows",)
    ops = ("set", "add-option", "move", "add-question")
    FIELDS = ()

    def items(self, tree: Tree) -> list[Item]:
        found = []
        for data in flow_files(tree).values():
            flow_id = str(as_id(data.get("id")))
            title = _text(data.get("title")) or flow_id
            for raw in outline_nodes(data):
                found.append(self._item(data, flow_id, title, raw))
        return found

    def item(self, tree: Tree, item_id: str) -> Item | None:
        flow_id, _, node_id = item_id.partition("/")
        data = flow_files(tree).get(flow_path(tree, flow_id, missing_ok=True) or "")
        if data is None:
            return None
        raw = next((n for n in _items_of(data, "nodes") if as_id(n["id"]) == node_id), None)
        if raw is None or raw.get("type") == "branch":
            return None
        return self._item(data, flow_id, _text(data.get("title")) or flow_id, raw)

    def _item(self, data: Mapping[str, Any], flow_id: str, title: str, raw: Mapping[str, Any]) -> Item:
        node_id = str(as_id(raw["id"]))
        kind = str(raw.get("type") or "")
        answer = str(raw.get("answer") or "")
        prefix = f"flow:{flow_id}:{node_id}"
        fields = [
            Field("text", _NODE_TEXT_LABEL.get(kind, "Words"), _text(raw.get("text")), f"{prefix}:text")
        ]
        if kind == "question":
            fields.append(
                Field("hint", "Small line under the question", _text(raw.get("hint")), f"{prefix}:hint")
            )
            if answer == "text":
                fields.append(
                    Field(
                        "placeholder",
                        "Faint text in the empty box",
                        _text(raw.get("placeholder")),
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
                label = f"Answer button “{_text(option.get('label')) or option_id}”" + (
                    " (shared)" if shared else ""
                )
                fields.append(Field(f"option:{option_id}", label, _text(option.get("label")), context))
        note = f"{kind} · {answer}" if answer else kind
        return Item(
            self.name,
            f"{flow_id}/{node_id}",
            _text(raw.get("text")) or node_id,
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
            raw = next((n for n in _items_of(data, "nodes") if as_id(n["id"]) == node_id), None)
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
            raw = next((n for n in _items_of(data, "nodes") if as_id(n["id"]) == node_id), {})
            return "\n".join(_text(o.get("label")) for o, _ in node_options(data, raw))
        return "\n".join(outline(data))

    def _apply(self, tree: dict[str, str], item_id: str, change: Mapping[str, Any]) -> None:
        flow_id, _, node_id = item_id.partition("/")
        path = flow_path(tree, flow_id)
        data = parsed(tree, path)
        nodes = {str(as_id(n["id"])): n for n in _items_of(data, "nodes")}
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


_NODE_TEXT_LABEL = {"question": "Question", "message": "Message", "end": "Last words"}


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
    nodes = {str(as_id(n["id"])): n for n in _items_of(data, "nodes")}
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
        lines.append(f"{number}. [{kind}] {_text(raw.get('text'))}  ({as_id(raw['id'])})")
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
    if label.casefold() in {_text(o.get("label")).casefold() for o in node["options"] if isinstance(o, dict)}:
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


# --------------------------------------------------------------------------- registry

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        FlowKind(), NodeKind(), ArticleKind(), PrincipleKind(),
        FaqKind(), GlossaryKind(), PageKind(), TopicKind(),
    )
}  # fmt: skip


def kind(name: str) -> Kind | None:
    return KINDS.get(name)


def find_item(tree: Tree, kind_name: str, item_id: str) -> Item | None:
    found = KINDS.get(kind_name)
    return found.item(tree, item_id) if found else None


def all_items(tree: Tree) -> dict[str, list[Item]]:
    """Every item by kind, for the browse page; kinds without content are left out."""
    return {name: items for name, k in KINDS.items() if (items := k.items(tree))}

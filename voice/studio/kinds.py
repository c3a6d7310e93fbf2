"""The kinds of content held as lists or single files: rights articles and principles,
glossary terms, flow topics, symbols, pages and FAQ answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln

from voice.content.extract import as_id
from voice.studio import yamledit
from voice.studio.item_model import (
    ChangeError,
    Field,
    Item,
    Kind,
    ListKind,
    Tree,
    parsed,
    text_of,
)


class ArticleKind(ListKind):
    name, label, file, list_key, context_kind = (
        "article",
        _l("Rights explainers"),
        "rights/articles.yaml",
        "articles",
        "article",
    )
    loaders = ("rights",)
    FIELDS = (
        ("title", _l("Title"), False),
        ("summary", _l("One-line summary"), False),
        ("means", _l("What this means for you"), True),
        ("example", _l("An example"), True),
        ("if_not_happening", _l("If this isn't happening"), True),
    )

    def _note(self, raw: Mapping[str, Any]) -> str:
        numbers = raw.get("numbers") or [raw.get("number")]
        return str(_l("Article %(numbers)s", numbers=" & ".join(str(n) for n in numbers if n is not None)))


class PrincipleKind(ListKind):
    name, label, file, list_key, context_kind = (
        "principle",
        _l("The seven big ideas"),
        "rights/principles.yaml",
        "principles",
        "principle",
    )
    loaders = ("rights",)
    FIELDS = (
        ("title", _l("Title"), False),
        ("promise", _l("Promise"), False),
        ("summary", _l("One-line summary"), False),
        ("body", _l("What it means"), True),
    )


class GlossaryKind(ListKind):
    name, label, file, list_key, context_kind = (
        "glossary",
        _l("Glossary: care words"),
        "glossary.yaml",
        "terms",
        "glossary",
    )
    title_field = "term"
    loaders = ("rights",)
    FIELDS = (("term", _l("Word"), False), ("definition", _l("What it means"), True))


class TopicKind(ListKind):
    name, label, file, list_key, context_kind = (
        "topic",
        _l("Answer groups (topics)"),
        "flows/topics.yaml",
        "topics",
        "topic",
    )
    loaders = ("topics",)
    FIELDS = (("title", _l("Heading"), False),)


class SymbolKind(ListKind):
    """A picture drawn for Voice (content/symbols.yaml). Its SVG is checked when the new version
    loads (voice/content/symbols.py), so an unsafe or broken picture can't be proposed."""

    name, label, file, list_key, context_kind = (
        "symbol",
        _l("Symbols (pictures)"),
        "symbols.yaml",
        "symbols",
        "symbol",
    )
    title_field = "name"
    loaders = ("symbols",)
    FIELDS = (("name", _l("Name (said aloud)"), False), ("svg", _l("Picture (SVG, 64 × 64)"), False))


class PageKind(Kind):
    name, label = "page", _l("Pages")
    loaders = ("pages",)
    FIELDS = (("title", _l("Title"), False), ("body", _l("Page text"), True))

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
                Field(name, label, text_of(raw.get(name)), f"page:{item_id}:{name}", markdown)
                for name, label, markdown in self.FIELDS
            )
            found.append(Item(self.name, item_id, text_of(raw.get("title")) or item_id, fields))
        return found

    def location(self, tree: Tree, item_id: str, field_name: str) -> tuple[str, list[Any]]:
        path = self._files(tree).get(item_id)
        if path is None:
            raise ChangeError(f"there is no page '{item_id}'")
        return path, [field_name]


class FaqKind(Kind):
    name, label = "faq", _l("Questions and answers (FAQ)")
    loaders = ("rights", "faq")
    ops = ("set", "add-example", "add-faq")
    FIELDS = (("title", _l("Question"), False), ("answer", _l("Answer"), True))

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
                Field(name, label, text_of(raw.get(name)), f"faq:{item_id}:{name}", markdown)
                for name, label, markdown in self.FIELDS
            )
            examples = [str(e) for e in raw.get("examples") or [] if isinstance(e, str | int)]
            found.append(
                Item(
                    self.name,
                    item_id,
                    text_of(raw.get("title")) or item_id,
                    fields,
                    note=str(
                        _ln("%(num)d way a child might ask", "%(num)d ways a child might ask", len(examples))
                    ),
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

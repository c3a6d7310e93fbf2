"""The studio's items and kinds: an :class:`Item` is one piece of content a council member
can see and change; a :class:`Kind` knows where items of one sort live in the content files.
The kinds themselves are in ``kinds`` and ``flow_kinds``; ``items`` lists them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar

from voice import strict_yaml
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
def _parse(text: str, path: str) -> Any:
    return strict_yaml.parse(text, source=path)


def parsed(tree: Tree, path: str) -> Any:
    text = tree.get(path)
    if text is None:
        return None
    try:
        return _parse(text, path)
    except strict_yaml.YamlError:
        return None


def text_of(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def items_of(data: Any, key: str) -> list[dict[str, Any]]:
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
            return text_of(yamledit.find(parsed(tree, file), path, ""))
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
        for raw in items_of(parsed(tree, self.file), self.list_key):
            item_id = str(as_id(raw["id"]))
            fields = tuple(
                Field(name, label, text_of(raw.get(name)), f"{self.context_kind}:{item_id}:{name}", markdown)
                for name, label, markdown in self.FIELDS
            )
            found.append(
                Item(
                    self.name,
                    item_id,
                    text_of(raw.get(self.title_field)) or item_id,
                    fields,
                    note=self._note(raw),
                )
            )
        return found

    def _note(self, raw: Mapping[str, Any]) -> str:
        return ""

    def location(self, tree: Tree, item_id: str, field_name: str) -> tuple[str, list[Any]]:
        return self.file, [self.list_key, {"id": item_id}, field_name]

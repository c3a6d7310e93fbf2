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

from voice.studio.flow_kinds import FlowKind, NodeKind, flow_files, flow_path, outline, outline_nodes
from voice.studio.item_model import ChangeError, Field, Item, Kind, Tree, parsed, slug
from voice.studio.kinds import (
    ArticleKind,
    FaqKind,
    GlossaryKind,
    PageKind,
    PrincipleKind,
    SymbolKind,
    TopicKind,
)

__all__ = [  # the model, for callers that reach it through items
    "ChangeError",
    "Field",
    "Item",
    "Kind",
    "Tree",
    "flow_files",
    "flow_path",
    "outline",
    "outline_nodes",
    "parsed",
    "slug",
]


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        FlowKind(), NodeKind(), ArticleKind(), PrincipleKind(),
        FaqKind(), GlossaryKind(), PageKind(), TopicKind(), SymbolKind(),
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

"""The text side of ``yamledit``: splice one new value or list item into a YAML file's text at
the position PyYAML's marks give, in the style around it. ``yamledit`` checks every splice
against the parsed data and falls back to a re-dump, so a splice may fail but never lie.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import yaml

PathPart = str | int | dict[str, str]
Path = Sequence[PathPart]


class EditError(ValueError):
    """The edit can't be made: the place doesn't exist, or isn't the right shape."""


def scalar(value: Any, *, in_flow: bool = False) -> str:
    """One value written as YAML: plain where that reads back exactly, else double-quoted."""
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    if _plain_ok(text, in_flow=in_flow):
        return text
    return json.dumps(text, ensure_ascii=False)


def _node_at(root: yaml.Node, path: Path) -> tuple[yaml.Node, yaml.Node | None]:
    """The node at ``path`` and, when it is a mapping value, its key node."""
    node, key_node = root, None
    for part in path:
        key_node = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for k, v in node.value:
                if k.value == part:
                    node, key_node = v, k
                    break
            else:
                raise EditError(f"no field '{part}'")
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, dict):
            node = _item_node(node, part["id"])
        else:
            raise EditError("path does not fit the document")
    return node, key_node


def _item_node(sequence: yaml.SequenceNode, item_id: str) -> yaml.Node:
    for item in sequence.value:
        if isinstance(item, yaml.MappingNode):
            for k, v in item.value:
                if k.value == "id" and isinstance(v, yaml.ScalarNode) and v.value == item_id:
                    return item
    raise EditError(f"no item with id '{item_id}'")


def _compose(text: str) -> yaml.Node:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        raise EditError("empty document")
    return root


def splice_set(text: str, path: Path, value: Any) -> str:
    root = _compose(text)
    parent, _ = _node_at(root, path[:-1])
    if not isinstance(parent, yaml.MappingNode):
        raise EditError("not a mapping")
    for key_node, value_node in parent.value:
        if key_node.value == path[-1]:
            if not isinstance(value_node, yaml.ScalarNode):
                raise EditError("not a scalar")
            return _replace_scalar(text, key_node, value_node, value, in_flow=bool(parent.flow_style))
    if parent.flow_style or not parent.value:
        raise EditError("can't add a key to a flow mapping")
    column = parent.value[0][0].start_mark.column
    line = " " * column + f"{path[-1]}: " + _block_or_scalar(value, column + 2)
    at = _end_of_item(text, parent)
    return text[:at] + line + "\n" + text[at:]


def _replace_scalar(
    text: str, key_node: yaml.Node, node: yaml.ScalarNode, value: Any, *, in_flow: bool
) -> str:
    start, end = node.start_mark.index, node.end_mark.index
    original = text[start:end]
    trailing = len(original) - len(original.rstrip("\n"))
    indent = key_node.start_mark.column + 2
    if isinstance(value, str) and "\n" in value.strip():
        if in_flow:
            raise EditError("a block of text can't go inside {…}")
        rendered = _block(value, indent)
    else:
        rendered = scalar(value, in_flow=in_flow)
    return text[:start] + rendered + "\n" * trailing + text[end:]


def _block_or_scalar(value: Any, indent: int) -> str:
    if isinstance(value, str) and "\n" in value.strip():
        return _block(value, indent)
    return scalar(value)


def _block(value: str, indent: int) -> str:
    lines = value.strip().replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body = "\n".join(" " * indent + line.rstrip() if line.strip() else "" for line in lines)
    return "|\n" + body


def _end_of_item(text: str, node: yaml.Node) -> int:
    """Just after the newline that ends the last line holding any of ``node``'s values.

    Block collections' own end marks run on past blank lines and comments that belong to
    what follows, so the last *scalar* is the reliable edge.
    """
    last = max(_scalar_ends(node))
    while last >= 2 and text[last - 1] == "\n" and text[last - 2] == "\n":
        last -= 1  # a block scalar's end mark swallows the blank lines after it
    if last > 0 and text[last - 1] == "\n":
        return last
    newline = text.find("\n", last)
    return len(text) if newline == -1 else newline + 1


def _scalar_ends(node: yaml.Node) -> list[int]:
    if isinstance(node, yaml.ScalarNode):
        return [node.end_mark.index]
    if isinstance(node, yaml.SequenceNode) and node.flow_style:
        return [node.end_mark.index]
    if isinstance(node, yaml.MappingNode) and node.flow_style:
        return [node.end_mark.index]
    ends: list[int] = []
    children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
    for child in children:
        ends.extend(_scalar_ends(child))
    return ends or [node.end_mark.index]


def splice_insert(text: str, path: Path, item: Any, position: int) -> str:
    root = _compose(text)
    sequence, _ = _node_at(root, path)
    if not isinstance(sequence, yaml.SequenceNode):
        raise EditError("not a list")
    if sequence.flow_style:
        return _insert_flow(text, sequence, item, position)
    if not sequence.value:
        raise EditError("empty block list")
    first = sequence.value[0]
    dash = _dash_column(text, first)
    rendered = _render_item(item, dash, flow=isinstance(first, yaml.MappingNode) and bool(first.flow_style))
    if position == 0:
        at = _line_start(text, _dash_index(text, first))
        return text[:at] + rendered + text[at:]
    at = _end_of_item(text, sequence.value[position - 1])
    if _spaced(text, sequence):
        rendered = "\n" + rendered
    if at == len(text) and not text.endswith("\n"):
        return text + "\n" + rendered
    return text[:at] + rendered + text[at:]


def _spaced(text: str, sequence: yaml.SequenceNode) -> bool:
    """True when the list's items are separated by blank lines (flow nodes are)."""
    if len(sequence.value) < 2:
        return False
    gap = text[_end_of_item(text, sequence.value[0]) : _dash_index(text, sequence.value[1])]
    return gap.startswith("\n") or "\n\n" in gap


def _insert_flow(text: str, sequence: yaml.SequenceNode, item: Any, position: int) -> str:
    if isinstance(item, dict | list):
        raise EditError("only plain values go into [a, b] lists")
    rendered = scalar(item, in_flow=True)
    if not sequence.value:
        close = sequence.end_mark.index - 1
        return text[:close] + rendered + text[close:]
    if position < len(sequence.value):
        at = sequence.value[position].start_mark.index
        return text[:at] + rendered + ", " + text[at:]
    at = sequence.value[-1].end_mark.index
    return text[:at] + ", " + rendered + text[at:]


def _dash_index(text: str, item: yaml.Node) -> int:
    index = text.rfind("-", 0, item.start_mark.index + 1)
    if index == -1 or text[index + 1 : item.start_mark.index].strip():
        raise EditError("can't find the list dash")
    return index


def _dash_column(text: str, item: yaml.Node) -> int:
    index = _dash_index(text, item)
    return index - _line_start(text, index)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _render_item(item: Any, dash: int, *, flow: bool) -> str:
    pad = " " * dash
    if isinstance(item, dict) and flow:
        return f"{pad}- {_flow_mapping(item)}\n"
    if isinstance(item, dict):
        lines = []
        for index, (key, value) in enumerate(item.items()):
            lead = f"{pad}- " if index == 0 else f"{pad}  "
            lines.append(lead + f"{key}:" + _nested(value, dash + 2))
        return "\n".join(lines) + "\n"
    return f"{pad}- " + _block_or_scalar(item, dash + 2) + "\n"


def _flow_mapping(item: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v, in_flow=True)}" for k, v in item.items()) + "}"


def _nested(value: Any, column: int) -> str:
    """A mapping value at ``column``: scalars inline, lists of mappings in flow style."""
    if isinstance(value, list):
        if all(isinstance(v, dict) for v in value):
            rows = [" " * (column + 2) + "- " + _flow_mapping(v) for v in value]
            return "\n" + "\n".join(rows)
        return " [" + ", ".join(scalar(v, in_flow=True) for v in value) + "]"
    return " " + _block_or_scalar(value, column + 2)


_PLAIN_START = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
_FLOW_CHARS = set(",[]{}")


def _plain_ok(text: str, *, in_flow: bool) -> bool:
    if not text or text != text.strip() or "\n" in text or "\t" in text:
        return False
    if not _PLAIN_START.match(text) or ": " in text or " #" in text or text.endswith(":"):
        return False
    if in_flow and _FLOW_CHARS & set(text):
        return False
    if any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029\ufeff" for ch in text):
        return False
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False

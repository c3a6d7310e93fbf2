"""Small, exact edits to a YAML file's text, keeping its comments and layout.

Content files are written by people: they carry comments that explain the file, and a
reviewer reads ``content export`` as a git diff. Re-dumping a whole file to change one
sentence would drop the comments and turn a one-line change into a rewrite. So each edit is
made twice: once on the parsed data (the truth), and once as a splice into the text at the
node's position (PyYAML's marks). If the spliced text does not parse back to exactly the
edited data, the file is re-dumped from the data instead: correctness first, tidiness second.

A *path* names a place in the document: mapping keys (``str``), list positions (``int``), and
``{"id": "home-feel"}`` for "the item in this list whose id is home-feel".
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from typing import Any

import yaml

from voice.content.extract import as_id

PathPart = str | int | dict[str, str]
Path = Sequence[PathPart]


class EditError(ValueError):
    """The edit can't be made: the place doesn't exist, or isn't the right shape."""


# --------------------------------------------------------------------------- public API


def get(data: Any, path: Path) -> Any:
    """The value at ``path`` in parsed data; raises :class:`EditError` when it isn't there."""
    for part in path:
        data = _step(data, part)
    return data


def normalise(value: Any) -> Any:
    """Text as it will read back from YAML: trimmed, and a block of several lines ends in
    one newline (the ``|`` style). Loaders trim again, so this never changes what a child sees."""
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\n" in text:
        text = "\n".join(line.rstrip() for line in text.split("\n")) + "\n"
    return text


def find(data: Any, path: Path, default: Any = None) -> Any:
    try:
        return get(data, path)
    except EditError:
        return default


def set_value(text: str, path: Path, value: Any) -> str:
    """Set the scalar at ``path`` (a mapping key; added to its mapping if missing)."""
    if not path or not isinstance(path[-1], str):
        raise EditError("a value can only be set on a named field")
    value = normalise(value)
    data = load(text)
    expected = copy.deepcopy(data)
    parent = get(expected, path[:-1])
    if not isinstance(parent, dict):
        raise EditError(f"{_describe(path[:-1])} is not a set of fields")
    parent[path[-1]] = value
    spliced = _try(lambda: _splice_set(text, path, value))
    return _checked(spliced, expected)


def insert_item(text: str, path: Path, item: Any, *, after: int | None = None) -> str:
    """Insert ``item`` into the list at ``path``: after position ``after``, or at the end."""
    data = load(text)
    expected = copy.deepcopy(data)
    target = get(expected, path)
    if not isinstance(target, list):
        raise EditError(f"{_describe(path)} is not a list")
    position = len(target) if after is None else after + 1
    if not 0 <= position <= len(target):
        raise EditError(f"{_describe(path)} has no item {after}")
    item = _normalise_item(item)
    target.insert(position, copy.deepcopy(item))
    spliced = _try(lambda: _splice_insert(text, path, item, position))
    return _checked(spliced, expected)


def _normalise_item(item: Any) -> Any:
    if isinstance(item, dict):
        return {key: _normalise_item(value) for key, value in item.items()}
    if isinstance(item, list):
        return [_normalise_item(value) for value in item]
    return normalise(item)


def index_of(data: Any, path: Path, item_id: str) -> int:
    """Position of the item with ``id`` == ``item_id`` in the list at ``path``."""
    items = get(data, path)
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and as_id(item.get("id")) == item_id:
            return index
    raise EditError(f"{_describe(path)} has no item '{item_id}'")


def dump_document(data: Any) -> str:
    """A whole new file, in the house style: block Markdown as ``|`` blocks."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def scalar(value: Any, *, in_flow: bool = False) -> str:
    """One value written as YAML: plain where that reads back exactly, else double-quoted."""
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    if _plain_ok(text, in_flow=in_flow):
        return text
    return json.dumps(text, ensure_ascii=False)


# --------------------------------------------------------------------------- data side


def load(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise EditError(f"the file is not valid YAML ({error})") from None


def _step(data: Any, part: PathPart) -> Any:
    if isinstance(part, dict):
        wanted = part["id"]
        for item in data if isinstance(data, list) else []:
            if isinstance(item, dict) and as_id(item.get("id")) == wanted:
                return item
        raise EditError(f"no item with id '{wanted}'")
    if isinstance(part, int):
        if isinstance(data, list) and 0 <= part < len(data):
            return data[part]
        raise EditError(f"no item number {part + 1}")
    if isinstance(data, dict) and part in data:
        return data[part]
    raise EditError(f"no field '{part}'")


def _describe(path: Path) -> str:
    if not path:
        return "the file"
    parts = [f"[{p['id']}]" if isinstance(p, dict) else str(p) for p in path]
    return "'" + ".".join(parts) + "'"


def _checked(spliced: str | None, expected: Any) -> str:
    if spliced is not None:
        try:
            if yaml.safe_load(spliced) == expected:
                return spliced
        except yaml.YAMLError:
            pass
    return dump_document(expected)


def _try(edit: Any) -> str | None:
    """A splice that fails for any shape reason falls back to the re-dump."""
    try:
        return edit()
    except (EditError, yaml.YAMLError, IndexError, KeyError, TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- text side


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


def _splice_set(text: str, path: Path, value: Any) -> str:
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


def _splice_insert(text: str, path: Path, item: Any, position: int) -> str:
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


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data.strip():
        return dumper.represent_scalar("tag:yaml.org,2002:str", data.strip() + "\n", style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_presenter)

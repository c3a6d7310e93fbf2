"""Small, exact edits to a YAML file's text, keeping its comments and layout.

Content files are written by people: they carry comments that explain the file, and a
reviewer reads ``content export`` as a git diff. Re-dumping a whole file to change one
sentence would drop the comments and turn a one-line change into a rewrite. So each edit is
made twice: once on the parsed data (the truth), and once as a splice into the text at the
node's position (PyYAML's marks; ``voice.studio.yamlsplice``). If the spliced text does not
parse back to exactly the edited data, the file is re-dumped from the data instead: correctness
first, tidiness second.

A *path* names a place in the document: mapping keys (``str``), list positions (``int``), and
``{"id": "home-feel"}`` for "the item in this list whose id is home-feel".
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from voice.content.extract import as_id
from voice.studio.yamlsplice import EditError, Path, PathPart, scalar, splice_insert, splice_set

__all__ = ["EditError", "Path", "PathPart", "scalar"]  # also importable from here


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
    spliced = _try(lambda: splice_set(text, path, value))
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
    spliced = _try(lambda: splice_insert(text, path, item, position))
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


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data.strip():
        return dumper.represent_scalar("tag:yaml.org,2002:str", data.strip() + "\n", style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_presenter)

"""Checking hand-written content items: typed field access, one list of every problem.

The rights, FAQ and quiz loaders read their YAML through ``read_yaml_mapping`` (the strict
reader in ``voice.strict_yaml``) and check each item through :class:`Fields`, so every
problem in every file is reported at once, naming the file and the item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from voice import strict_yaml

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HTML = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>")


class ContentErrors:
    """Collects problems so they can all be reported at once."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValueError("content is not valid:\n  " + "\n  ".join(self.messages))


def display_path(content_dir: Path, rel: Path) -> str:
    return f"{content_dir.name}/{rel.as_posix()}"


def read_yaml_list(
    content_dir: Path, rel: Path, key: str, errors: ContentErrors
) -> list[tuple[str, dict[str, Any]]]:
    """Items under `key` in a YAML file, each with a 'file: item' label for messages."""
    where = display_path(content_dir, rel)
    data = read_yaml_mapping(content_dir / rel, where, errors)
    if data is None:
        return []
    items = data.get(key)
    if not isinstance(items, list):
        errors.add(where, f"expected a list under '{key}:'")
        return []
    out = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.add(f"{where}: item {index}", "expected a mapping of fields")
            continue
        label = item.get("id") if isinstance(item.get("id"), str) else f"item {index}"
        out.append((f"{where}: {label}", item))
    return out


def read_yaml_mapping(path: Path, where: str, errors: ContentErrors) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        errors.add(where, "file not found")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        errors.add(where, f"cannot be read ({exc})")
        return None
    try:
        data = strict_yaml.parse(text, source=str(path))
    except strict_yaml.YamlError as exc:
        errors.add(where, f"is not valid YAML ({exc.__cause__})")
        return None
    if not isinstance(data, dict):
        errors.add(where, "expected a mapping at the top of the file")
        return None
    return data


class Fields:
    """Typed, checked access to one YAML item; problems go to `errors`."""

    def __init__(
        self,
        where: str,
        item: dict[str, Any],
        errors: ContentErrors,
        allowed: Iterable[str],
    ) -> None:
        self.where = where
        self.item = item
        self.errors = errors
        unknown = sorted(set(item) - set(allowed))
        for name in unknown:
            errors.add(where, f"unknown field '{name}'")

    def text(self, name: str, *, required: bool = True, prose: bool = True) -> str:
        value = self.item.get(name)
        if value is None:
            if required:
                self.errors.add(self.where, f"missing field '{name}'")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.errors.add(self.where, f"field '{name}' must be non-empty text")
            return ""
        if prose and _HTML.search(value):
            self.errors.add(self.where, f"field '{name}' contains HTML; use Markdown")
        return value.strip()

    def ident(self) -> str:
        value = self.text("id", prose=False)
        if value and not _ID.match(value):
            self.errors.add(self.where, f"id '{value}' must be lower-case words joined by '-'")
        return value

    def str_list(self, name: str, *, required: bool = True) -> tuple[str, ...]:
        value = self.item.get(name)
        if value is None:
            if required:
                self.errors.add(self.where, f"missing field '{name}'")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.errors.add(self.where, f"field '{name}' must be a list of text")
            return ()
        return tuple(v.strip() for v in value)

    def int_list(self, name: str) -> tuple[int, ...]:
        value = self.item.get(name)
        if value is None:
            self.errors.add(self.where, f"missing field '{name}'")
            return ()
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            self.errors.add(self.where, f"field '{name}' must be a list of article numbers")
            return ()
        return tuple(value)

    def flag(self, name: str) -> bool:
        value = self.item.get(name, False)
        if not isinstance(value, bool):
            self.errors.add(self.where, f"field '{name}' must be true or false")
            return False
        return value


def check_unique(ids: Iterable[tuple[str, str]], errors: ContentErrors, what: str) -> None:
    seen: set[str] = set()
    for where, item_id in ids:
        if item_id and item_id in seen:
            errors.add(where, f"duplicate {what} id '{item_id}'")
        seen.add(item_id)

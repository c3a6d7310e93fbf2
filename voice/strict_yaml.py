"""The one YAML reader for content and settings: safe, and strict about keys written twice.

YAML itself keeps the last of two equal keys in a mapping without a word, which hides
editing mistakes such as two ``next:`` lines in a flow node or two ``title:`` lines in a
rights article. Every loader in Voice reads YAML through :func:`parse` or :func:`read`, so
such a file stops start-up (and ``flask content check``) with a message naming the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(ValueError):
    """A file that can't be read, is not YAML, or writes a key twice. The message names it."""


class _UniqueKeyLoader(_BASE):  # type: ignore[valid-type,misc]
    """A safe loader that refuses a key written twice in one mapping."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                repeated = key in seen
            except TypeError:  # an unhashable key; the base loader reports it
                repeated = False
            if repeated:
                raise yaml.constructor.ConstructorError(
                    None, None, f"'{key}' is written twice here", key_node.start_mark
                )
            if not isinstance(key, list | dict):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse(text: str, *, source: str = "<yaml>") -> Any:
    """The data in ``text``; :class:`YamlError` ("<source>: is not valid YAML: …") if it is not
    YAML or writes a key twice in one mapping."""
    loader = _UniqueKeyLoader(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as error:
        raise YamlError(f"{source}: is not valid YAML: {error}") from error
    finally:
        loader.dispose()


def read(path: str | Path) -> Any:
    """The data in the UTF-8 file at ``path``; :class:`YamlError` if it can't be read or parsed."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise YamlError(f"{path}: can't be read ({error})") from error
    return parse(text, source=str(path))

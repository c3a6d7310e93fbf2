"""Symbols drawn for Voice (``content/symbols.yaml``): small SVG pictures, named and translatable.

A symbol is content, like a page: the Children in Care Council can propose a better picture
through the studio, and it goes live with a content version. So every picture is checked here,
when a version loads, before any child sees it: only plain shapes (no scripts, links, styles,
text or outside images), the 64 × 64 grid, and a size limit. A picture that fails stops the
version from loading, with a message saying why. Style guide: ``docs/symbols.md``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from voice import strict_yaml
from voice.content.registry import loader

SYMBOLS_FILE = "symbols.yaml"
MAX_SVG_CHARS = 6000
VIEW_BOX = "0 0 64 64"
_NS = "{http://www.w3.org/2000/svg}"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

SHAPES = frozenset({"svg", "g", "circle", "ellipse", "rect", "line", "polyline", "polygon", "path"})
ATTRIBUTES = frozenset(
    {"xmlns", "viewBox", "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
     "cx", "cy", "r", "rx", "ry", "x", "y", "x1", "y1", "x2", "y2", "width", "height", "points", "d",
     "opacity", "fill-opacity", "transform"}
)  # fmt: skip
_SAFE_VALUE = re.compile(r"^[#A-Za-z0-9 .,()\-]*$")


class SymbolError(ValueError):
    pass


@dataclass(frozen=True)
class Symbol:
    id: str
    name: str
    svg: str


def svg_problems(svg: str) -> list[str]:
    """What is wrong with a picture, in words an author can act on. Empty when it is safe."""
    if not isinstance(svg, str) or not svg.strip():
        return ["the picture is empty"]
    if len(svg) > MAX_SVG_CHARS:
        return [f"the picture is too big ({len(svg)} characters; at most {MAX_SVG_CHARS})"]
    if "<!" in svg or "<?" in svg:
        return ["the picture can't have a DOCTYPE, entities or processing instructions"]
    try:
        # No DOCTYPE can reach here (refused above), so no entities: nothing to expand or fetch.
        root = ET.fromstring(svg)  # noqa: S314 - DOCTYPE refused above, so no entities
    except ET.ParseError as error:
        return [f"the picture is not valid SVG ({error})"]
    problems: list[str] = []
    if root.tag != f"{_NS}svg":
        problems.append("the picture must be one <svg> element in the SVG namespace")
    if root.get("viewBox") != VIEW_BOX:
        problems.append(f'the picture must use viewBox="{VIEW_BOX}"')
    return sorted(set(problems + _element_problems(root)))


def _element_problems(root: ET.Element) -> list[str]:
    problems: list[str] = []
    for element in root.iter():
        tag = element.tag.removeprefix(_NS)
        if tag not in SHAPES:
            problems.append(f"<{tag}> is not allowed (only plain shapes: {', '.join(sorted(SHAPES))})")
        if (element.text or "").strip() or (element.tail or "").strip():
            problems.append("a picture can't hold words: words are in the symbol's name")
        for name, value in element.attrib.items():
            if name not in ATTRIBUTES:
                problems.append(f"the attribute '{name}' is not allowed")
            elif not _SAFE_VALUE.match(value) or "url" in value.lower():
                problems.append(f"the attribute '{name}' has a value that is not allowed")
    return problems


def parse_symbols(data: object, where: str = SYMBOLS_FILE) -> dict[str, Symbol]:
    entries = data.get("symbols") if isinstance(data, Mapping) else None
    if not isinstance(entries, list) or not entries:
        raise SymbolError(f"{where}: needs a 'symbols' list of {{id, name, svg}}")
    found: dict[str, Symbol] = {}
    errors: list[str] = []
    for index, entry in enumerate(entries):
        symbol_id = entry.get("id") if isinstance(entry, Mapping) else None
        label = f"{where}: symbol '{symbol_id or index + 1}'"
        if not isinstance(symbol_id, str) or not _ID.match(symbol_id):
            errors.append(f"{label}: id should be kebab-case, like 'face-1'")
            continue
        if symbol_id in found:
            errors.append(f"{label}: listed twice")
            continue
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            errors.append(f"{label}: needs a name (what a screen reader says)")
            continue
        problems = svg_problems(entry.get("svg"))
        errors.extend(f"{label}: {problem}" for problem in problems)
        if not problems:
            found[symbol_id] = Symbol(symbol_id, name.strip(), entry["svg"].strip())
    if errors:
        raise SymbolError("\n".join(errors))
    return found


def symbol_ids(content_dir: Path) -> set[str] | None:
    """The symbol ids in ``content_dir``, for checking flows; None when there is no file."""
    path = Path(content_dir) / SYMBOLS_FILE
    if not path.is_file():
        return None
    data = strict_yaml.read(path)
    entries = data.get("symbols") if isinstance(data, Mapping) else None
    return {str(e.get("id")) for e in entries or [] if isinstance(e, Mapping)}


@loader("symbols")
def load_symbols(content_dir: Path) -> dict[str, Symbol]:
    path = Path(content_dir) / SYMBOLS_FILE
    return parse_symbols(strict_yaml.read(path), str(path))

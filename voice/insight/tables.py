"""A figure as a table: its title, its definition (shown beside it everywhere), its columns and
rows. Counts are ``Cell``s, so whatever prints a table (page, chart, CSV, JSON) prints the
suppressed value and never the raw one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from voice.insight.suppression import SMALL, Cell

FEWER_THAN_5 = _l("fewer than 5")
NOT_SHOWN = _l("not shown")
NONE = "–"


@dataclass(frozen=True)
class Share:
    """A fraction shown as a whole percentage; None when suppressed or nothing to divide."""

    fraction: float | None


@dataclass(frozen=True)
class Label:
    """A row label: words, never a child's name or words."""

    text: Any


@dataclass
class Table:
    key: str
    title: Any
    definition: Any
    columns: list[Any]
    rows: list[list[Any]] = field(default_factory=list)
    # For a bar chart: the column of labels and the column of counts or shares to draw.
    chart: tuple[int, int] | None = None
    audience: str = "manager"  # manager, iro or council (council tables hold aggregates only)


def text(value: Any) -> str:
    """How a value prints: suppression applied, shares as percentages."""
    if isinstance(value, Cell):
        if value.hidden:
            return str(FEWER_THAN_5 if value.hidden == SMALL else NOT_SHOWN)
        return str(value.value)
    if isinstance(value, Share):
        return NONE if value.fraction is None else f"{round(value.fraction * 100)}%"
    if isinstance(value, Label):
        return str(value.text)
    if value is None:
        return NONE
    return str(value)


def number(value: Any) -> float | None:
    """The value a chart may draw: None when it is hidden or not a number."""
    if isinstance(value, Cell):
        return None if value.hidden else float(value.value)
    if isinstance(value, Share):
        return None if value.fraction is None else round(value.fraction * 100, 1)
    return None


def as_json(table: Table) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": str(table.title),
        "definition": str(table.definition),
        "columns": [str(c) for c in table.columns],
        "rows": [[text(v) for v in row] for row in table.rows],
    }

"""Charts for Insight tables, drawn on the server by pygal as SVG (docs/adr/0020).

Each chart is a plain image (a data: URI, which the page's content security policy allows,
with no script and no inline style on the page), a one-sentence text summary used as its
caption (the image's own alternative text only names the chart, so the summary is not read
twice), and the table beneath it on the page carries the numbers. A
hidden value (fewer than 5, or hidden so it cannot be worked out) is left out of the chart
and counted in the summary, so a chart never shows what its table does not.
"""

from __future__ import annotations

import base64
import sys
from dataclasses import dataclass
from functools import lru_cache

import pygal
from flask_babel import gettext as _
from pygal.style import Style

from voice.insight.tables import Table, number, text

# pygal adds an import hook for its optional map plugins (``pygal.maps.*``, unused here) that
# lacks ``find_spec``: Python warns about it on every later import. Take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=("#1d70b8",),
    font_family="sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=13,
    title_font_size=16,
)
MAX_BARS = 20


@dataclass(frozen=True)
class Chart:
    uri: str
    summary: str
    alt: str  # names the chart; the summary is its caption, so a screen reader hears it once


def _summary(table: Table, drawn: list[tuple[str, float]], hidden: int) -> str:
    column = str(table.columns[table.chart[1]]) if table.chart else ""
    if not drawn:
        words = _("%(what)s: no value can be shown.", what=column)
    else:
        high = max(drawn, key=lambda d: d[1])
        low = min(drawn, key=lambda d: d[1])
        words = _(
            "%(what)s: highest %(high_label)s (%(high)s), lowest %(low_label)s (%(low)s), %(n)s shown.",
            what=column,
            high_label=high[0],
            high=_fmt(high[1], table),
            low_label=low[0],
            low=_fmt(low[1], table),
            n=len(drawn),
        )
    if hidden:
        words += " " + _("%(n)s not shown, to protect children's identities.", n=hidden)
    return words


def _fmt(value: float, table: Table) -> str:
    percent = any(text(row[table.chart[1]]).endswith("%") for row in table.rows) if table.chart else False
    shown = f"{value:g}"
    return f"{shown}%" if percent else shown


@lru_cache(maxsize=512)
def _render(title: str, column: str, bars: tuple[tuple[str, float], ...]) -> str:
    """The SVG as a data: URI. Cached by what is drawn (already suppressed values only): the
    same figures asked for again cost nothing, and pygal takes tens of milliseconds a chart."""
    chart = pygal.HorizontalBar(
        style=STYLE,
        width=800,
        height=max(160, 44 * max(1, len(bars)) + 80),
        show_legend=False,
        js=(),
        print_values=True,
        truncate_label=40,
        title=title,
        margin=16,
    )
    chart.x_labels = [label for label, _value in bars]
    chart.add(column, [value for _label, value in bars])
    return "data:image/svg+xml;base64," + base64.b64encode(chart.render()).decode("ascii")


def chart_for(table: Table) -> Chart | None:
    """A horizontal bar chart of the table's chart column, or None when it has none."""
    if table.chart is None or not table.rows:
        return None
    label_at, value_at = table.chart
    drawn, hidden = [], 0
    for row in table.rows[:MAX_BARS]:
        value = number(row[value_at])
        if value is None:
            hidden += 1
        else:
            drawn.append((text(row[label_at]), value))
    uri = _render(str(table.title), str(table.columns[value_at]), tuple(drawn))
    return Chart(uri, _summary(table, drawn, hidden), _("Bar chart: %(title)s", title=str(table.title)))


def charts_for(tables: list[Table]) -> dict[str, Chart]:
    out = {}
    for table in tables:
        chart = chart_for(table)
        if chart is not None:
            out[table.key] = chart
    return out

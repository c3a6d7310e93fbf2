"""Charts draw only what their table shows, as images the page's CSP allows, with a summary."""

from __future__ import annotations

import base64
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from voice.insight.charts import chart_for
from voice.insight.suppression import suppress_line
from voice.insight.tables import Label, Table


def _table(values):
    cells, _total = suppress_line(values)
    table = Table("t", "A title", "A definition", ["Topic", "Times raised"], chart=(0, 1))
    table.rows = [[Label(f"topic {i}"), cell] for i, cell in enumerate(cells)]
    return table, cells


def _drawn_values(uri: str) -> list[str]:
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    assert "<svg" in svg
    return re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]*)</text>', svg)


def test_a_chart_leaves_out_hidden_values_and_says_so(app):
    with app.test_request_context():
        table, _cells = _table([3, 12, 30])
        chart = chart_for(table)
        assert chart.uri.startswith("data:image/svg+xml;base64,")
        drawn = _drawn_values(chart.uri)
        assert "3" not in drawn and "12" not in drawn  # 12 is hidden too: 3 could be worked out
        assert "30" in drawn
        assert "highest topic 2 (30)" in chart.summary and "2 not shown" in chart.summary


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=8))
def test_a_chart_never_draws_a_number_its_table_hides(app, values):
    with app.test_request_context():
        table, cells = _table(values)
        chart = chart_for(table)
        drawn = _drawn_values(chart.uri)
        shown = sorted(str(c.value) for c in cells if not c.hidden)
        assert sorted(drawn) == shown

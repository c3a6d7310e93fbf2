"""Small-number suppression over random tables: no 1 to 4 is ever printed, and no hidden cell
can be worked out from a printed total."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from voice.insight.suppression import share, suppress_grid, suppress_line

counts = st.integers(min_value=0, max_value=40)


def _lone_hidden(line, total) -> bool:
    """True when exactly one cell of a line is hidden while its total is printed: that cell
    would be the total minus the others."""
    return total.shown is not None and sum(1 for c in line if c.hidden) == 1


@settings(max_examples=300, deadline=None)
@given(st.lists(counts, min_size=1, max_size=8))
def test_a_line_never_prints_a_small_number_or_a_lone_hidden_cell(values):
    line, total = suppress_line(values)
    for cell in [*line, total]:
        assert cell.shown is None or not 0 < cell.shown < 5
    assert not _lone_hidden(line, total)
    assert [c.value for c in line] == values  # nothing is changed, only hidden


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda w: st.lists(st.lists(counts, min_size=w, max_size=w), min_size=1, max_size=6)
    )
)
def test_a_table_with_totals_both_ways_gives_nothing_away(rows):
    grid = suppress_grid(rows)
    every = [c for row in grid.cells for c in row] + grid.row_totals + grid.column_totals + [grid.total]
    for cell in every:
        assert cell.shown is None or not 0 < cell.shown < 5
    for row, total in zip(grid.cells, grid.row_totals, strict=True):
        assert not _lone_hidden(row, total)
    for j, total in enumerate(grid.column_totals):
        assert not _lone_hidden([row[j] for row in grid.cells], total)
    assert not _lone_hidden(grid.row_totals, grid.total)
    assert not _lone_hidden(grid.column_totals, grid.total)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60))
def test_a_share_hides_the_part_when_the_part_or_the_rest_is_small(a, b):
    part, whole = min(a, b), max(a, b)
    shown_part, shown_whole, fraction = share(part, whole)
    if shown_whole.shown is not None and shown_part.shown is not None:
        assert not 0 < part < 5 and not 0 < whole - part < 5
        assert fraction == (part / whole if whole else None)
    else:
        assert fraction is None
    for cell in (shown_part, shown_whole):
        assert cell.shown is None or not 0 < cell.shown < 5


def test_hand_examples():
    line, total = suppress_line([3, 10, 20])
    assert [c.shown for c in line] == [None, None, 20] and total.shown == 33
    line, total = suppress_line([3, 0, 0])
    assert [c.shown for c in line] == [None, 0, 0] and total.shown is None
    line, total = suppress_line([0, 7, 9])
    assert [c.shown for c in line] == [0, 7, 9] and total.shown == 16

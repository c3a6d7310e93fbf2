"""Small numbers never identify a child.

Primary suppression: a count from 1 to 4 is shown as "fewer than 5" (0 is shown: it tells
nothing about any one child). Secondary suppression: in a line whose total is shown, a single
hidden cell could be worked out by subtracting the others from the total, so a second cell is
hidden too (the smallest other non-zero one); when there is none, the total is hidden instead.
A table with totals both ways is checked row by row and column by column until nothing
changes. Tables, charts and CSV all take their numbers from ``Cell``, never from raw counts.
"""

from __future__ import annotations

from dataclasses import dataclass

THRESHOLD = 5
SMALL, SECONDARY = "small", "secondary"


@dataclass(frozen=True)
class Cell:
    value: int
    hidden: str | None = None  # None, SMALL or SECONDARY

    @property
    def shown(self) -> int | None:
        """The number to print, or None when it must not be printed."""
        return None if self.hidden else self.value


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


def _hide_line(line: list[Cell], total: Cell) -> tuple[list[Cell], Cell, bool]:
    """One pass of secondary suppression over a line and its total. Returns what changed."""
    if total.hidden:
        return line, total, False
    hidden = [i for i, c in enumerate(line) if c.hidden]
    if len(hidden) != 1:
        return line, total, False
    others = [i for i, c in enumerate(line) if not c.hidden and c.value > 0]
    if not others:
        return line, Cell(total.value, SECONDARY), True
    pick = min(others, key=lambda i: (line[i].value, i))
    line = list(line)
    line[pick] = Cell(line[pick].value, SECONDARY)
    return line, total, True


def primary(value: int) -> Cell:
    return Cell(value, SMALL if is_small(value) else None)


def suppress_line(values: list[int]) -> tuple[list[Cell], Cell]:
    """A list of counts and their total (shown as the sum of the counts)."""
    line, total = [primary(v) for v in values], primary(sum(values))
    line, total, _ = _hide_line(line, total)
    return line, total


@dataclass(frozen=True)
class Grid:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell


def suppress_grid(rows: list[list[int]]) -> Grid:
    """Counts with a total for each row, each column and the whole."""
    width = len(rows[0]) if rows else 0
    cells = [[primary(v) for v in row] for row in rows]
    row_totals = [primary(sum(row)) for row in rows]
    column_totals = [primary(sum(row[j] for row in rows)) for j in range(width)]
    total = primary(sum(sum(row) for row in rows))
    changed = True
    while changed:
        changed = False
        for i in range(len(cells)):
            cells[i], row_totals[i], moved = _hide_line(cells[i], row_totals[i])
            changed |= moved
        for j in range(width):
            column = [cells[i][j] for i in range(len(cells))]
            column, column_totals[j], moved = _hide_line(column, column_totals[j])
            for i, cell in enumerate(column):
                cells[i][j] = cell
            changed |= moved
        margin, total, moved = _hide_line(row_totals, total)
        row_totals = margin
        changed |= moved
        margin, total, moved = _hide_line(column_totals, total)
        column_totals = margin
        changed |= moved
    return Grid(cells, row_totals, column_totals, total)


def share(part: int, whole: int) -> tuple[Cell, Cell, float | None]:
    """A share such as "views in before the review": the part, the whole and the fraction. The
    part and the fraction are hidden when the part, or the rest (whole minus part), is small,
    since either gives the other away; the whole is hidden when it is small."""
    whole_cell = primary(whole)
    if whole_cell.hidden:
        return Cell(part, SECONDARY if not is_small(part) else SMALL), whole_cell, None
    if is_small(part) or is_small(whole - part):
        return Cell(part, SMALL if is_small(part) else SECONDARY), whole_cell, None
    return Cell(part), whole_cell, (part / whole if whole else None)

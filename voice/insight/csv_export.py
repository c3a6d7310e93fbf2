"""Any Insight table as CSV: the protective marking first, suppression applied (the values are
printed through ``tables.text``), and no cell a spreadsheet could take for a formula."""

from __future__ import annotations

import csv
import io
from typing import Any

from voice.insight.tables import Table, text

MARKING = "OFFICIAL-SENSITIVE"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """Stop spreadsheets treating a cell as a formula (CSV injection), as the inbox CSV does."""
    printed = "" if value is None else str(value)
    return "'" + printed if printed.startswith(_FORMULA_START) else printed


def table_csv(table: Table, *, heading: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([MARKING, safe_cell(heading)])
    writer.writerow([safe_cell(table.title)])
    writer.writerow([safe_cell(table.definition)])
    writer.writerow([safe_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([safe_cell(text(v)) for v in row])
    return out.getvalue()

"""docs/threats-coverage.md cannot rot: every threat row is listed and every cited test exists."""

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "threats-coverage.md"
ROWS = 48
ROW = re.compile(r"^\|\s*(\d+)\s*\|", re.MULTILINE)
CITED = re.compile(r"(tests/[\w/]+\.py)::(\w+)(?:\[[^\]]*\])?")
COUNT = re.compile(r"^(\d+) of 48 tested, (\d+) partly, (\d+) not yet$", re.MULTILINE)
STATUS = re.compile(r"^\|\s*\d+\s*\|[^|]*\|\s*(tested|partly|not yet)\s*\|", re.MULTILINE)


@cache
def _test_functions(path: str) -> frozenset[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return frozenset(names)


def test_every_threat_row_is_listed_once():
    numbers = [int(n) for n in ROW.findall(DOC.read_text(encoding="utf-8"))]
    missing = sorted(set(range(1, ROWS + 1)) - set(numbers))
    assert not missing, f"threat rows missing from {DOC.name}: {missing}"
    doubled = sorted({n for n in numbers if numbers.count(n) > 1})
    assert not doubled, f"threat rows listed twice: {doubled}"


def test_every_cited_test_exists():
    broken = []
    for path, name in CITED.findall(DOC.read_text(encoding="utf-8")):
        if not (ROOT / path).is_file():
            broken.append(f"{path} (no such file)")
        elif name not in _test_functions(path):
            broken.append(f"{path}::{name}")
    assert not broken, f"{DOC.name} cites tests that do not exist: {broken}"


def test_the_count_line_matches_the_rows():
    text = DOC.read_text(encoding="utf-8")
    statuses = STATUS.findall(text)
    assert len(statuses) == ROWS
    line = COUNT.search(text)
    assert line, "the count line 'N of 48 tested, M partly, K not yet' is missing"
    assert tuple(int(g) for g in line.groups()) == (
        statuses.count("tested"),
        statuses.count("partly"),
        statuses.count("not yet"),
    )

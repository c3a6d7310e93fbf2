"""The studio speaks the council member's language: every flash message and every label a
council member reads goes through gettext (issue 23).

An AST scan, so a new ``flash("...")`` or a new label dict written in plain English fails here
with the file and line, before it reaches a member who reads Urdu."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = [*sorted((ROOT / "voice" / "studio").glob("*.py")), *sorted((ROOT / "voice" / "web").rglob("*.py"))]
GETTEXT = {"_", "_l", "_ln", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext"}


def _plain_text(node: ast.AST | None) -> bool:
    """A literal a person would read: "Saved." or f"Version {n} is live" (not "" or an id)."""
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value.strip()


def _is_label_name(target: ast.AST) -> bool:
    name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
    return "LABEL" in name.upper()


def untranslated(source: str, filename: str) -> list[str]:
    """Lines where a flash() or a label reaches a person without gettext."""
    found = []
    tree = ast.parse(source, filename)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "flash":
            if node.args and _plain_text(node.args[0]):
                found.append(f"{filename}:{node.lineno}: flash() with plain text; wrap it in _()")
        elif isinstance(node, ast.Assign):
            found += _label_problems(node, filename)
    return found


def _label_problems(node: ast.Assign, filename: str) -> list[str]:
    problems = []
    labelled = any(_is_label_name(t) for t in node.targets)
    if labelled and isinstance(node.value, ast.Dict):
        problems += [
            f"{filename}:{v.lineno}: label {v.value!r} is not wrapped in lazy_gettext (_l)"
            for v in node.value.values
            if _plain_text(v) or (isinstance(v, ast.Constant) and isinstance(v.value, str))
        ]
    # `name, label = "page", "Pages"` on a studio kind
    for target in node.targets:
        if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
            for name, value in zip(target.elts, node.value.elts, strict=False):
                if getattr(name, "id", "") == "label" and isinstance(value, ast.Constant):
                    problems.append(f"{filename}:{value.lineno}: kind label {value.value!r} needs _l()")
        if getattr(target, "id", "") == "FIELDS" and isinstance(node.value, ast.Tuple):
            for field in node.value.elts:
                label = field.elts[1] if isinstance(field, ast.Tuple) and len(field.elts) > 1 else None
                if isinstance(label, ast.Constant):
                    problems.append(f"{filename}:{field.lineno}: field label {label.value!r} needs _l()")
    return problems


def test_every_studio_flash_and_label_goes_through_gettext():
    problems = []
    for path in SCANNED:
        problems += untranslated(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "source",
    [
        'flash("Saved. The council can see it now.")',
        'flash(f"Published. Version {n} is live.")',
        'STATUS_LABELS = {"open": "Waiting for a decision"}',
        'name, label = "page", "Pages"',
        'FIELDS = (("title", "Title", False),)',
    ],
)
def test_the_scan_catches_english_that_bypasses_the_catalogues(source):
    assert untranslated(source, "x.py")


@pytest.mark.parametrize(
    "source",
    [
        'flash(_("Saved. The council can see it now."))',
        "flash(problem)",
        'STATUS_LABELS = {"open": _l("Waiting for a decision")}',
        'name, label = "page", _l("Pages")',
        'FIELDS = (("title", _l("Title"), False),)',
    ],
)
def test_the_scan_passes_translated_strings(source):
    assert not untranslated(source, "x.py")

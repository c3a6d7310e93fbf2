"""The structure as a test (docs/ARCHITECTURE.md). The import contracts run in `make lint`
(lint-imports, pyproject.toml); these check what import-linter can't express."""

import ast
from pathlib import Path

import pytest

VOICE = Path(__file__).resolve().parent.parent / "voice"
MAX_LINES = 400

# A module may be longer than MAX_LINES only with a reason here.
LONG_MODULES = {
    "reviews/importer.py": "one pipeline a reviewer reads top to bottom (decode, map columns, check each "
    "row, plan, apply in one transaction); landed with the reshaping, to be split into read/check/apply",
    "safeguarding/detector.py": "the layered detector (rules, negation, benign context, classifier band) "
    "landed beside the reshaping; split the levels and explanations out next",
    "safeguarding/phrasebook.py": "the phrase-list loader and its matcher grew with the new rules; "
    "split loading from matching next",
}

# The domain: plain functions over models. HTTP (request, session, cookies) stays in voice/web.
DOMAIN = (
    "ask",
    "chat",
    "content",
    "inbox",
    "models",
    "people",
    "rights",
    "routing",
    "safeguarding",
    "studio",
)
WEB_ONLY = {"request", "session"}


def _modules():
    return sorted(VOICE.rglob("*.py"))


def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_longer_than_400_lines_without_a_reason():
    too_long = {
        path.relative_to(VOICE).as_posix(): _line_count(path)
        for path in _modules()
        if _line_count(path) > MAX_LINES
    }
    unexplained = {name: lines for name, lines in too_long.items() if name not in LONG_MODULES}
    assert not unexplained, f"split these by job, or add them to LONG_MODULES with a reason: {unexplained}"


def test_every_long_module_entry_still_exists_and_has_a_reason():
    for name, reason in LONG_MODULES.items():
        assert (VOICE / name).is_file(), f"{name} is gone: take it out of LONG_MODULES"
        assert len(reason.split()) >= 5, f"{name}: say why it may be long"


def _flask_web_names(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "flask":
            found += [alias.name for alias in node.names if alias.name in WEB_ONLY]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in WEB_ONLY
            and isinstance(node.value, ast.Name)
            and node.value.id == "flask"
        ):
            found.append(f"flask.{node.attr}")
    return found


@pytest.mark.parametrize("package", DOMAIN)
def test_the_domain_never_touches_the_request_or_session(package):
    offenders = {}
    for path in sorted((VOICE / package).rglob("*.py")):
        names = _flask_web_names(ast.parse(path.read_text(encoding="utf-8")))
        if names:
            offenders[path.relative_to(VOICE).as_posix()] = names
    assert not offenders, f"move HTTP handling to voice/web: {offenders}"


def test_the_request_check_catches_both_spellings():
    assert _flask_web_names(ast.parse("from flask import current_app, request")) == ["request"]
    assert _flask_web_names(ast.parse("import flask\nflask.session.get('x')")) == ["flask.session"]
    assert _flask_web_names(ast.parse("from flask import current_app")) == []


def test_the_old_blueprint_packages_stay_gone():
    """Views live in voice/web/<wing>/, children's sign-in in voice/people/ (issue 24). A file
    that lands in an old place (say, from a branch older than the move) belongs there instead."""
    leftovers = [
        path.relative_to(VOICE).as_posix()
        for old in ("child", "staff")
        for path in sorted((VOICE / old).glob("*.py"))
    ]
    leftovers += [
        f"{wing}/{name}.py"
        for wing in ("rights", "studio")
        for name in ("views", "forms", "admin_views", "proposal_views", "preview")
        if (VOICE / wing / f"{name}.py").exists()
    ]
    assert not leftovers, f"move these into voice/web/<wing>/ (or the domain): {leftovers}"

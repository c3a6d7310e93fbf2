"""Conventions as tests: every route is guarded, typed, and kebab-case."""

import re

PUBLIC_ALLOWLIST_PREFIXES = ("static",)
TYPED = re.compile(r"<(int|uuid|path|string|any|float)[:(]")


def _views(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(PUBLIC_ALLOWLIST_PREFIXES):
            continue
        yield rule, app.view_functions[rule.endpoint]


def test_every_route_has_a_permission_decorator(app):
    missing = [r.rule for r, view in _views(app) if not getattr(view, "voice_access", None)]
    assert not missing, f"routes without a permission decorator: {missing}"


def test_every_url_parameter_has_a_type(app):
    untyped = [
        r.rule for r, _ in _views(app) if "<" in r.rule and len(TYPED.findall(r.rule)) != r.rule.count("<")
    ]
    assert not untyped, f"untyped URL parameters: {untyped}"


def test_urls_are_kebab_case(app):
    bad = []
    for rule, _ in _views(app):
        static_parts = re.sub(r"<[^>]+>", "", rule.rule)
        if re.search(r"[A-Z_]", static_parts):
            bad.append(rule.rule)
    assert not bad, f"URLs that are not kebab-case: {bad}"


def test_routes_that_change_state_refuse_get(app):
    changing = {"staff.sign_out"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in changing:
            assert "GET" not in rule.methods, rule.rule


def test_every_views_module_of_a_wing_is_registered(app):
    """A wing's blueprint gets routes only from the modules its VIEWS names (voice/web/<wing>/)."""
    from importlib import import_module
    from pathlib import Path

    import voice.web

    web_dir = Path(voice.web.__file__).parent
    for package in sorted(p for p in web_dir.iterdir() if (p / "__init__.py").is_file()):
        wing = import_module(f"voice.web.{package.name}")
        on_disk = {f.stem for f in package.glob("*views.py")}
        assert set(wing.VIEWS) == on_disk, f"{package.name}: VIEWS {wing.VIEWS} but files {sorted(on_disk)}"
        assert wing.bp.name in app.blueprints

"""Conventions as tests: every route is guarded, typed, and kebab-case."""

import re
import uuid

from werkzeug.exceptions import MethodNotAllowed

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


# Pages where GET shows a form and POST submits it. Every other route that takes a POST changes
# something, so it must refuse GET (a link, a prefetch or a crawler must never change state).
FORM_PAGES = {
    "child.choose_pin",
    "child.sign_in",
    "rights.ask_question",
    "rights.quiz_question",
    "staff.sign_in",
    "staff.sign_in_code",
    "staff.sign_in_set_up_code",  # GET makes the unconfirmed key once (docs/adr/0023)
    "staff.move_review",
    "staff.record_review",
    "staff.review_import",
    "studio.propose",
    "studio.propose_faq",
    "studio.council_members",
}
SAMPLE_ARGUMENTS = {  # one made-up value per URL converter
    "UUIDConverter": uuid.UUID(int=7),
    "IntegerConverter": 7,
    "UnicodeConverter": "sample",
    "PathConverter": "sample/item",
}


def _sample_url(rule) -> str:
    values = {name: SAMPLE_ARGUMENTS[type(conv).__name__] for name, conv in rule._converters.items()}
    return rule.build(values)[1]


def test_routes_that_change_state_refuse_get(app):
    changing = [r for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint not in FORM_PAGES]
    assert len(changing) >= 20  # sign-out, chat answers, staff actions, studio decisions ...
    adapter = app.url_map.bind("localhost")
    for rule in changing:
        assert "GET" not in rule.methods, f"{rule.endpoint} changes state but accepts GET"
        url = _sample_url(rule)
        try:
            endpoint, _ = adapter.match(url, method="GET")
        except MethodNotAllowed:
            continue
        assert endpoint != rule.endpoint, f"GET {url} reaches {rule.endpoint}"


def test_form_pages_are_still_form_pages(app):
    methods = {r.endpoint: r.methods for r in app.url_map.iter_rules()}
    for endpoint in FORM_PAGES:
        assert {"GET", "POST"} <= methods[endpoint], f"{endpoint}: take it out of FORM_PAGES"


def test_a_state_changing_route_answers_get_with_405(client):
    assert client.get("/staff/sign-out").status_code == 405
    assert client.get("/studio/proposals/7/publish").status_code == 405


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


# THREATS row 17: a route that names a child's object by id must load it through a scoped
# loader (which 404s, and audits, anything outside the caller's scope), never by a bare get().
OBJECT_PARAMS = {"child_id", "submission_id", "alert_id", "conversation_id", "review_id", "device_id"}
SCOPED_LOADERS = {
    "_submission": "find_submission",
    "_child": "child_in_scope",
    "child_or_404": "child_in_scope",  # voice/web/staff/lookups.py, for every staff view of a child
    "_alert": "find_for",
    "_conversation": "owned",
    "_owned": "owned",
    "_review": "find_review",
    "find_basic_record": None,  # voice/safeguarding/alert_list.py: the alert grant's own check
}
REFUSALS = {"abort", "not_found"}  # not_found: voice/web/staff/lookups.py, audits then aborts


def _calls(function) -> set[str]:
    import ast
    import inspect
    import textwrap

    tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(function))))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def test_every_route_with_a_childs_object_id_loads_it_through_a_scoped_loader(app):
    import inspect

    from voice.web.staff import lookups

    unscoped = []
    for rule, view in _views(app):
        params = set(rule.arguments) & OBJECT_PARAMS
        if params and not _calls(view) & set(SCOPED_LOADERS):
            unscoped.append(f"{rule.endpoint} ({', '.join(sorted(params))})")
    assert not unscoped, f"routes that load a child's object without a scoped loader: {unscoped}"
    # ...and each loader really asks the scope question and refuses with 404: each one once,
    # wherever it is defined (a loader shared by several views modules is checked too).
    checked = set()
    for _rule, view in _views(app):
        module = inspect.getmodule(inspect.unwrap(view))
        for loader, scope_call in SCOPED_LOADERS.items():
            found = getattr(module, loader, None)
            if found is None or scope_call is None or not inspect.isfunction(found) or found in checked:
                continue
            checked.add(found)
            calls = _calls(found)
            where = f"{found.__module__}.{loader}"
            assert scope_call in calls, f"{where} does not call {scope_call}"
            assert calls & REFUSALS, f"{where} does not refuse with 404"
    assert lookups.child_or_404 in checked
    assert _calls(lookups.not_found) >= {"abort", "record"}  # the shared refusal: audited, then 404

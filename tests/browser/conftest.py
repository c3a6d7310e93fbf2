"""Fixtures for the browser suite: real Chromium on a phone-sized screen against a real server.

One gunicorn server and one Nu HTML Checker JVM per session; one fresh browser context per
phone a test asks for. Where Chromium or the Node tools are missing the suite is skipped with
a loud reason on a developer's machine, and fails under CI (``CI`` set).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator

import pytest

from tests.browser import tools
from tests.browser.audit import Auditor, Report
from tests.browser.journeys import Phone

CI = bool(os.environ.get("CI"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser suite brings its own server and SQLite database, so it runs once: in the
    SQLite pass of ``make test`` (or alone with ``make test-browser``), not again in the
    PostgreSQL pass."""
    if os.environ.get("VOICE_TEST_DATABASE_URL") and not os.environ.get("VOICE_BROWSER_TESTS"):
        skip = pytest.mark.skip(reason="browser suite already ran in the SQLite pass")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


def _missing(what: str) -> None:
    message = f"!!! BROWSER TESTS NOT RUN: {what}"
    if CI:
        pytest.fail(message + " (CI is set, so this is a failure)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = tools.chromium_path()
    if path is None:
        _missing(
            "Chromium is not installed. Run: apt-get install -y chromium fonts-noto-core "
            "fonts-lohit-beng-bengali"
        )
    return path  # type: ignore[return-value]


@pytest.fixture(scope="session")
def node_tools() -> None:
    if not tools.AXE_JS.is_file() or not tools.VNU_JAR.is_file():
        _missing("axe-core / vnu-jar are not in node_modules. Run: make browser-deps")
    if shutil.which("java") is None:
        _missing("Java is not installed (the Nu HTML Checker needs it). Run: apt-get install -y default-jre")


@pytest.fixture(scope="session")
def html_checker(chromium: str, node_tools: None) -> Iterator[tools.HtmlChecker]:
    checker = tools.HtmlChecker()
    checker.start()  # the JVM warms up while the app starts
    yield checker
    checker.stop()


@pytest.fixture(scope="session")
def live_server(
    html_checker: tools.HtmlChecker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tools.LiveServer]:
    server = tools.LiveServer(tmp_path_factory.mktemp("live"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Playwright gives each launch a fresh, temporary --user-data-dir of its own.
        launched = p.chromium.launch(executable_path=chromium, args=tools.CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def report() -> Iterator[Report]:
    found = Report()
    yield found
    if found.pages:
        found.write()


@pytest.fixture(scope="session")
def axe_page(browser, live_server: tools.LiveServer) -> Iterator:
    """A JavaScript page with the site's own scripts blocked, to run axe on no-JS pages."""
    context = browser.new_context(**tools.PHONE)
    context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_phone(
    browser, live_server: tools.LiveServer, html_checker: tools.HtmlChecker, report: Report, axe_page
) -> Iterator[Callable[..., Phone]]:
    """Make a fresh phone (browser context): ``new_phone(lang="bn", js=False)``."""
    made: list[Phone] = []

    def make(lang: str = "en", *, js: bool = True, label: str = "") -> Phone:
        context = browser.new_context(**tools.PHONE, java_script_enabled=js, locale="en-GB")
        context.set_default_timeout(15_000)
        auditor = Auditor(
            context,
            base_url=live_server.base_url,
            checker=html_checker,
            report=report,
            js=js,
            lang=lang,
            axe_page=None if js else axe_page,
            label=label,
        )
        phone = Phone(context, context.new_page(), auditor, live_server, lang, js)
        made.append(phone)
        return phone

    yield make
    for phone in made:
        phone.audit.flush_html()
        if phone.audit.problems:
            print(f"\nproblems seen by this phone ({phone.lang}, js={phone.js}):")
            print("\n".join(phone.audit.problems))
        phone.context.close()

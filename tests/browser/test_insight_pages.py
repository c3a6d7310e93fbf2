"""Insight in a real browser: a team manager (their team and one worker's supervision page), an
IRO, and a Children in Care Council member each open their Insight page on a phone, with the
scripted history of tests/insight seeded into the live server's database.

Every page passes axe, the HTML checker, the tap-size and reflow checks; every chart is a
picture with words in its alt text and the same figures in a table below it; each page reads
with JavaScript switched off; the council's page in Arabic runs right to left. Staff pages stay
in English by design (voice.i18n.select_locale), so a manager asking for Arabic still gets an
English, left-to-right page.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.browser import tools
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NOVEMBER = "from=2026-11-01&to=2026-11-30"

# Runs inside the live server's environment (same SQLite file, same keys): the world and the
# scripted history of tests/insight/conftest.py, then the ids the pages need as JSON.
_SEED = """
import json
from tests.insight import conftest as insight
from voice import create_app

app = create_app()
world = insight.world._get_wrapped_function()(app)
insight.play(app, world)
print(json.dumps(world))
"""


@pytest.fixture(scope="module")
def seeded(live_server: tools.LiveServer) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _SEED],
        env=live_server.env,
        cwd=tools.ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"seeding failed:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def _sign_in(phone, email: str, password: str = PASSWORD) -> None:
    page = phone.page
    page.goto(phone.url("/staff/sign-in"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")


def _open(phone, path: str, name: str, *, lang: str = "en", figures: bool = True) -> None:
    response = phone.page.goto(phone.url(path))
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    phone.audit.check(phone.page, name, child=False, lang=lang)
    if figures:
        _assert_figures(phone.page, path)


def _assert_figures(page, path: str) -> None:
    """Each figure with a chart: an <img> with words in its alt, and a data table below it."""
    sections = page.locator("main section.insight-figure")
    assert sections.count() > 0, f"{path}: no figures"
    charts = 0
    for i in range(sections.count()):
        section = sections.nth(i)
        for j in range(section.locator("img").count()):
            img = section.locator("img").nth(j)
            charts += 1
            alt = (img.get_attribute("alt") or "").strip()
            assert len(alt) > 10, f"{path}: figure {i} has a chart without words in its alt: {alt!r}"
            src = img.get_attribute("src") or ""
            assert src.startswith("data:image/svg+xml"), f"{path}: chart is not an image: {src[:40]}"
            drawn = img.evaluate("i => i.complete && i.naturalWidth > 0")
            assert drawn, f"{path}: figure {i}'s chart did not draw"
            after_chart = section.locator("figure.chart ~ div.table-scroll table.insight")
            assert after_chart.count() == 1, f"{path}: figure {i}'s chart has no data table below it"
            rows = after_chart.locator("tbody tr").count()
            assert rows > 0, f"{path}: figure {i}'s table is empty"
    assert charts > 0, f"{path}: no charts drawn, the seeded history should give some"


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_manager_insight_and_supervision(new_phone, seeded, js) -> None:
    phone = new_phone("en", js=js, label="insight-manager-")
    _sign_in(phone, seeded["emails"]["tm_a"])
    _open(phone, f"/staff/insight?{NOVEMBER}", "insight-manager")
    main = phone.page.inner_text("main")
    assert "Asha One" in main and "Dev Three" not in main, "the manager should see their own team only"
    supervision = f"/staff/insight/supervision/{seeded['ids']['sw_a1']}?{NOVEMBER}"
    _open(phone, supervision, "insight-supervision", figures=False)
    rows = phone.page.locator("main table.insight tbody tr")
    assert rows.count() == 1 and "Pip" in rows.first.inner_text(), "the worker's child is not listed"
    phone.audit.assert_clean()


def test_manager_asking_for_arabic_keeps_the_staff_page_english(new_phone, seeded) -> None:
    phone = new_phone("en", js=False, label="insight-manager-ar-")
    _sign_in(phone, seeded["emails"]["tm_a"])
    _open(phone, f"/staff/insight?{NOVEMBER}&lang=ar", "insight-manager-ar")
    direction = phone.page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
    assert direction == ["en", "ltr"], direction
    phone.audit.assert_clean()


def test_iro_insight(new_phone, seeded) -> None:
    phone = new_phone("en", js=False, label="insight-iro-")
    _sign_in(phone, seeded["emails"]["iro"])
    _open(phone, f"/staff/insight?{NOVEMBER}", "insight-iro")
    phone.audit.assert_clean()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_council_insight(new_phone, seeded, lang) -> None:
    phone = new_phone(lang, js=False, label="insight-council-")
    member = phone.server.demo_data["council_members"][0]
    _sign_in(phone, member["email"], member["password"])
    _open(phone, f"/studio/insight?{NOVEMBER}&lang={lang}", "insight-council", lang=lang)
    direction = phone.page.evaluate("document.documentElement.dir")
    assert direction == ("rtl" if lang == "ar" else "ltr")
    assert "Pip" not in phone.page.inner_text("main"), "the council must never see a child's name"
    phone.audit.assert_clean()

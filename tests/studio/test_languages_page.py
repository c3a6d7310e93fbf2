"""Staff see each language's state: per cent translated and reviewed, UI and content."""

from __future__ import annotations

from tests.studio.test_pages import browser


def test_the_languages_page_shows_each_locale_in_its_own_script_with_its_percentages(app, people):
    officer = browser(app, people["officer"])
    page = officer.get("/studio/languages")
    rows = {row["data-locale"]: row for row in page.soup.select("tr[data-locale]")}
    assert {"bn", "ar", "ckb", "ps", "fa_AF"} <= set(rows)
    dari = rows["fa_AF"]
    assert dari.select_one("span[lang='fa-AF'][dir='rtl']").get_text() == "دری"
    cells = [td.get_text(strip=True) for td in dari.select("td")]
    assert all(cell.endswith("%") for cell in cells[:4])
    assert float(cells[2].rstrip("%")) > 30  # the chats, topics and pages are translated
    assert cells[1] == "0.0%" and "Draft" in cells[4]  # nobody has reviewed Dari yet


def test_council_members_see_it_too_and_children_do_not(app, people):
    member = browser(app, people["member"])
    assert member.get("/studio/languages").soup.select("tr[data-locale]")
    response = app.test_client().get("/studio/languages")
    assert response.status_code in (302, 303)

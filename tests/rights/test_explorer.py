"""The rights explorer: browse the principles, read every explainer, glossary links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from voice.content.rights import load_rights
from voice.rights import explorer
from voice.rights.explorer import GlossaryLinker

from .helpers import CONTENT_DIR

RIGHTS = load_rights(CONTENT_DIR)
ALL_IDS = [p.id for p in RIGHTS.principles] + [a.id for a in RIGHTS.articles]
SAFE_HREF = re.compile(r"^(/|#|https://|mailto:|tel:|\?)")


def assert_sanitised(soup) -> None:
    """Nothing from content can run or load: no scripts, handlers, frames, or odd links."""
    main = soup.find("main")
    for tag in main.find_all(True):
        assert tag.name not in {"script", "iframe", "object", "embed", "style", "svg", "img"}, tag
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        if tag.has_attr("href"):
            assert SAFE_HREF.match(tag["href"]), tag["href"]
    assert "{{" not in main.get_text() and "{%" not in main.get_text()


def test_browse_shows_the_seven_principles_as_cards(page):
    home = page.get("/rights")
    assert home.h1 == "Your rights"
    cards = home.soup.select(".rights-card a")
    hrefs = [c["href"] for c in cards]
    assert hrefs == [f"/rights/{p.id}" for p in RIGHTS.principles]
    assert len(hrefs) == 7
    assert "Dignity" in home.text and "Best interests" in home.text
    listed = {a["href"] for a in home.soup.select(".rights-article-list a")}
    assert listed == {f"/rights/{a.id}" for a in RIGHTS.articles}
    assert home.soup.find("a", href="/rights/quiz") and home.soup.find("a", href="/rights/ask")


@pytest.mark.parametrize("item_id", ALL_IDS)
def test_every_principle_and_article_page_renders(page, item_id):
    found = page.get(f"/rights/{item_id}")
    assert found.h1
    assert found.soup.title.string.startswith(found.h1)
    assert_sanitised(found.soup)
    assert found.soup.select_one("#feedback form[method=post]") is not None
    assert found.soup.find("a", string="Get help now")  # the child layout, with its safety links
    assert found.soup.select_one("header form.exit-form button.exit")


def test_an_article_page_has_its_sections_and_principles(page):
    article = RIGHTS.article("article-9")
    found = page.get("/rights/article-9")
    assert found.h1 == article.title
    headings = [h.get_text(strip=True) for h in found.soup.select("main h2")]
    assert headings[:3] == ["What this means for you", "An example", "If this isn't happening"]
    assert "Article 9" in found.text
    principle_links = {a["href"] for a in found.soup.select(".rights-card a")}
    assert principle_links == {f"/rights/{p}" for p in article.principles}


def test_a_principle_page_links_its_articles(page):
    found = page.get("/rights/participation")
    links = [a["href"] for a in found.soup.select(".rights-card a")]
    for number in RIGHTS.principle("participation").articles:
        assert f"/rights/{RIGHTS.article_for_number(number).id}" in links
    interdependence = page.get("/rights/interdependence")
    assert len(interdependence.soup.select(".rights-card a")) == len(RIGHTS.articles)


def test_unknown_pages_are_404(page):
    page.get("/rights/article-999", status=404)
    page.get("/rights/<script>", status=404)


def test_no_content_id_is_taken_by_a_route():
    ids = {*ALL_IDS, *(t.id for t in RIGHTS.glossary)}
    assert not ids & explorer.RESERVED_IDS


def test_glossary_page_lists_every_word_with_an_anchor(page):
    words = page.get("/rights/words")
    assert words.h1 == "Care words explained"
    anchors = {dt["id"] for dt in words.soup.select("dl.rights-words dt")}
    assert anchors == {t.id for t in RIGHTS.glossary}
    assert not words.soup.select("dd a.term")  # the page links point to is not linked to itself
    assert_sanitised(words.soup)


def test_glossary_words_are_linked_on_explainers(page):
    found = page.get("/rights/article-25")
    links = {a["href"] for a in found.soup.select("main a.term")}
    assert "/rights/words#review" in links
    for href in links:
        anchor = urlsplit(href).fragment
        assert anchor in {t.id for t in RIGHTS.glossary}
    # Each word is linked once a page, where it first appears.
    hrefs = [a["href"] for a in found.soup.select("main a.term")]
    assert len(hrefs) == len(set(hrefs))


def _linker():
    return GlossaryLinker(RIGHTS.glossary, lambda term_id: f"/rights/words#{term_id}")


def test_linker_matches_whole_words_and_short_forms_by_case():
    from markupsafe import Markup

    html = _linker().link(Markup("<p>Your IRO and your iro. A pa, Pa or PA. Reviewing. A care plan.</p>"))
    assert '<a class="term" href="/rights/words#iro">IRO</a>' in html
    assert "your iro." in html  # short forms only in capitals
    assert '<a class="term" href="/rights/words#personal-adviser">PA</a>' in html
    assert "A pa, Pa or" in html
    assert "Reviewing." in html  # not "review" inside a longer word
    assert '<a class="term" href="/rights/words#care-plan">care plan</a>' in html  # longest name wins


def test_linker_leaves_existing_links_and_tags_alone():
    from markupsafe import Markup

    html = _linker().link(
        Markup('<p><a href="https://example.org">your review</a> then review <em>IRO</em></p>')
    )
    assert '<a href="https://example.org">your review</a>' in html
    assert 'then <a class="term" href="/rights/words#review">review</a>' in html
    assert '<em><a class="term" href="/rights/words#iro">IRO</a></em>' in html


def test_linker_links_each_word_once_per_page():
    from markupsafe import Markup

    seen: set[str] = set()
    linker = _linker()
    first = linker.link(Markup("<p>advocate</p>"), seen)
    second = linker.link(Markup("<p>an advocate again</p>"), seen)
    assert "a class" in first and "a class" not in second

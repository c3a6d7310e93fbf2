"""The rights catalogue: real content loads, and broken content fails clearly."""

from __future__ import annotations

import pytest

from voice.content.rights import REQUIRED_ARTICLE_NUMBERS, REQUIRED_PRINCIPLES, load_rights

from .helpers import CONTENT_DIR, copy_content, edit_yaml, item


@pytest.fixture(scope="module")
def catalogue():
    return load_rights(CONTENT_DIR)


def test_seven_principles_in_order(catalogue):
    assert [p.id for p in catalogue.principles] == list(REQUIRED_PRINCIPLES)
    for p in catalogue.principles:
        assert p.title and p.summary and p.body and p.promise


def test_every_listed_article_has_an_explainer(catalogue):
    for n in REQUIRED_ARTICLE_NUMBERS:
        article = catalogue.article_for_number(n)
        assert article.means and article.example and article.if_not_happening
        assert article.principles


def test_combined_articles_keep_their_numbers(catalogue):
    education = catalogue.article("article-28")
    assert education.numbers == (28, 29)
    assert catalogue.article_for_number(29) is education
    assert education.label == "Articles 28 and 29"
    assert catalogue.article("article-34").label == "Articles 34 to 36"
    assert catalogue.article("article-12").label == "Article 12"


def test_articles_for_a_principle_lists_its_own_first(catalogue):
    ids = [a.id for a in catalogue.articles_for("participation")]
    assert ids[:4] == ["article-12", "article-13", "article-17", "article-25"]
    assert len(ids) == len(set(ids))
    dev = [a.id for a in catalogue.articles_for("life-survival-development")]
    assert dev.count("article-28") == 1  # 28 and 29 are one explainer


def test_interdependence_covers_every_article(catalogue):
    ids = [a.id for a in catalogue.articles_for("interdependence")]
    assert ids[0] == "article-4"
    assert set(ids) == {a.id for a in catalogue.articles}


def test_lookups_raise_keyerror_for_unknown_ids(catalogue):
    with pytest.raises(KeyError):
        catalogue.principle("nope")
    with pytest.raises(KeyError):
        catalogue.article("article-999")
    with pytest.raises(KeyError):
        catalogue.term("nope")


def test_glossary_covers_the_care_words(catalogue):
    ids = {t.id for t in catalogue.glossary}
    for needed in (
        "review",
        "iro",
        "care-plan",
        "pathway-plan",
        "pep",
        "virtual-school",
        "advocate",
        "family-time",
        "social-worker",
        "independent-visitor",
        "children-in-care-council",
        "placement",
        "foster-carer",
        "childrens-home",
        "personal-adviser",
        "life-story-work",
        "complaint",
        "duty-team",
        "uncrc",
    ):
        assert needed in ids
    assert "contact" in catalogue.term("family-time").also


def test_help_numbers_are_right_where_they_appear(catalogue):
    texts = [a.if_not_happening for a in catalogue.articles]
    assert any("0800 1111" in t for t in texts)
    for t in texts:
        if "Childline" in t:
            assert "0800 1111" in t


# --- broken content -----------------------------------------------------------------


def _load_error(content) -> str:
    with pytest.raises(ValueError) as excinfo:
        load_rights(content)
    return str(excinfo.value)


def test_unknown_principle_id_names_file_and_item(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(
        content / "rights/articles.yaml",
        lambda d: item(d["articles"], "article-9").__setitem__("principles", ["best-intrests"]),
    )
    message = _load_error(content)
    assert "content/rights/articles.yaml: article-9: unknown principle id 'best-intrests'" in message


def test_missing_field_names_file_item_and_field(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(content / "rights/articles.yaml", lambda d: item(d["articles"], "article-12").pop("means"))
    assert "content/rights/articles.yaml: article-12: missing field 'means'" in _load_error(content)


def test_duplicate_principle_id(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(
        content / "rights/principles.yaml",
        lambda d: d["principles"].append(dict(item(d["principles"], "dignity"))),
    )
    assert "duplicate principle id 'dignity'" in _load_error(content)


def test_principle_linking_to_missing_article(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(
        content / "rights/principles.yaml",
        lambda d: item(d["principles"], "dignity")["articles"].append(99),
    )
    message = _load_error(content)
    expected = "content/rights/principles.yaml: dignity: links to article 99, which has no explainer"
    assert expected in message


def test_principle_article_must_be_tagged_back(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(
        content / "rights/articles.yaml",
        lambda d: item(d["articles"], "article-16").__setitem__("principles", ["participation"]),
    )
    assert "article-16: is listed by principle 'dignity' but not tagged with it" in _load_error(content)


def test_required_article_missing(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(
        content / "rights/articles.yaml",
        lambda d: d.__setitem__("articles", [a for a in d["articles"] if a["id"] != "article-9"]),
    )
    assert "required article 9 has no explainer" in _load_error(content)


def test_article_id_must_match_number(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(
        content / "rights/articles.yaml",
        lambda d: item(d["articles"], "article-13").__setitem__("number", 31),
    )
    message = _load_error(content)
    assert "article-13: id should be 'article-31'" in message
    assert "article 31 is also covered by" in message


def test_misspelt_field_is_reported(tmp_path):
    content = copy_content(tmp_path)

    def rename(d):
        p = item(d["principles"], "participation")
        p["sumary"] = p.pop("summary")

    edit_yaml(content / "rights/principles.yaml", rename)
    message = _load_error(content)
    assert "participation: unknown field 'sumary'" in message
    assert "participation: missing field 'summary'" in message


def test_html_is_refused(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(
        content / "glossary.yaml",
        lambda d: item(d["terms"], "pep").__setitem__("definition", "A <script>plan</script>."),
    )
    assert "content/glossary.yaml: pep: field 'definition' contains HTML" in _load_error(content)


def test_glossary_spelling_used_twice(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(content / "glossary.yaml", lambda d: item(d["terms"], "pep")["also"].append("IRO"))
    assert "content/glossary.yaml: pep: 'IRO' is already used by 'iro'" in _load_error(content)


def test_duplicate_glossary_id(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(content / "glossary.yaml", lambda d: d["terms"].append(dict(item(d["terms"], "iro"))))
    assert "duplicate glossary id 'iro'" in _load_error(content)


def test_invalid_yaml_names_the_file(tmp_path):
    content = copy_content(tmp_path)
    (content / "rights/principles.yaml").write_text("principles: [\n  - oops: : :\n", encoding="utf-8")
    assert "content/rights/principles.yaml: is not valid YAML" in _load_error(content)


def test_missing_file_names_the_file(tmp_path):
    content = copy_content(tmp_path)
    (content / "glossary.yaml").unlink()
    assert "content/glossary.yaml: file not found" in _load_error(content)


def test_every_problem_is_reported_at_once(tmp_path):
    content = copy_content(tmp_path)
    edit_yaml(content / "rights/articles.yaml", lambda d: item(d["articles"], "article-12").pop("means"))
    edit_yaml(content / "rights/articles.yaml", lambda d: item(d["articles"], "article-13").pop("example"))
    message = _load_error(content)
    assert "article-12: missing field 'means'" in message
    assert "article-13: missing field 'example'" in message

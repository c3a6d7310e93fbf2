"""Arabic-script folding, locale codes with regions, and bad input in every language."""

from __future__ import annotations

import pytest

from voice.ask.languages import LANGUAGES, language_for
from voice.ask.matcher import Matcher
from voice.ask.text import tokenize
from voice.content import registry

from .heldout import Topic

# Dari examples typed on a Persian keyboard (ی, ک).
DARI = [
    Topic("siblings", "", ("آیا می‌توانم برادرم را ببینم", "کی خواهرم را می‌بینم")),
    Topic("school", "", ("آیا مکتب خود را تغییر می‌دهم", "کمک با درس‌های مکتب")),
    Topic("social-worker", "", ("مددکار اجتماعی من کیست", "چطور با مددکارم صحبت کنم")),
]


@pytest.mark.parametrize("code", ["fa_AF", "fa-AF", "ps", "ckb"])
def test_new_arabic_script_locales_get_sensible_defaults(code):
    language = language_for(code)
    assert language.code == code
    assert language.fold and language.stopwords and language.weak_words
    assert language.stem("کتابها") == "کتاب"  # the plural ending comes off


def test_any_locale_code_gets_a_matcher_even_one_never_seen():
    assert language_for("sd").fold  # Sindhi: Arabic script, folded and stemmed
    assert not language_for("xx_YY").fold and language_for("xx_YY").code == "xx_YY"
    assert language_for("PL").stopwords == LANGUAGES["pl"].stopwords
    m = Matcher([Topic("siblings", "", ("zzz brat",))], language="xx_YY")
    assert m.match("brat") is not None


def test_a_question_typed_on_an_arabic_keyboard_matches_persian_examples():
    m = Matcher(DARI, language="fa_AF")
    # Arabic yeh (ي) and kaf (ك) where the examples have the Persian ones.
    found = m.match("آيا مي‌توانم برادرم را ببينم")
    assert found is not None and found.topic_id == "siblings"
    found = m.match("مكتب")
    assert found is not None and found.topic_id == "school"


def test_folding_joins_the_shapes_of_one_letter_and_drops_short_vowels():
    assert tokenize("أَخِي", fold=True) == tokenize("اخي", fold=True)
    assert tokenize("بھائی", fold=True) == tokenize("بهائي", fold=True)  # Urdu do-chashmi heh, yeh
    assert tokenize("١٨ ۱۸", fold=True) == ["18", "18"]
    assert tokenize("ሓው፡ኣለኒ።") == ["ሓው", "ኣለኒ"]  # Ethiopic word space and full stop
    # Languages that do not fold keep their letters as typed.
    assert tokenize("أخي") != tokenize("اخي")


BAD_INPUT = ["", " ", "a", "ب", "😢😢😢", "🙂 👍", "?!…", "x" * 10_000, "ভাই brother أخي " * 700]


@pytest.mark.parametrize("question", BAD_INPUT)
def test_bad_input_never_breaks_any_language(app_ctx, question):
    for lang, matcher in registry.get("matcher").items():
        found = matcher.match(question)
        ranked = matcher.match_all(question, k=3)
        assert found is None or 0.0 <= found.confidence <= 1.0, lang
        assert len(ranked) <= 3, lang
    for code in ("fa_AF", "ps", "ckb"):
        assert Matcher(DARI, language=code).match(question) is None or question.startswith("ভাই")


@pytest.mark.parametrize("question", ["", " ", "a", "😢😢😢", "?!…"])
def test_nothing_to_go_on_is_an_honest_dont_know_everywhere(app_ctx, question):
    for lang, matcher in registry.get("matcher").items():
        assert matcher.match(question) is None, lang


def test_mixed_scripts_find_the_topic(app_ctx):
    matchers = registry.get("matcher")
    for lang in ("en", "bn", "ar"):
        found = matchers[lang].match("can i see my ভাই and my brother")
        assert found is not None and found.topic_id == "siblings", lang

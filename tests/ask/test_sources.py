"""Issue 22's gates: held-out sources (never tuned on), out-of-scope confident-wrong, and
each language's own translated held-out questions. Figures are printed with the result."""

from __future__ import annotations

from collections import Counter

import pytest

from voice.ask import evaluation as ev
from voice.content import registry

from .heldout import DATA_DIR, matcher, topics

MIN_TOP1 = 0.90
MAX_CONFIDENT_WRONG = 0.20
MIN_LANGUAGE_TOP1 = 0.85
# English held-out, answered top-1: 89.2% (main, 2026-12-07), 89.9% after the fifth pass (one
# question under the bar, recorded as a strict xfail), 90.3% (242 of 268) after the sixth pass
# (branch ask6: three or more weak words standing together in one example answer, chosen on
# grouped cross-validation, 90.6% -> 90.9%). It meets the bar now and is held to it.
# Measured on each language's third batch of held-out questions (tests/data/ask/lang/), written
# after all tuning: below the bar, so recorded here and reported as a known shortfall (xfail)
# rather than hidden. A language that rises above the bar fails until it is taken off this
# list; one that falls more than 5 points below its figure fails as a regression.
# Second measurement, 2026-12-07 (branch ask: pieces of words, about 700 more draft example
# phrasings, one shared calibration; decided on tuning data, then measured once): pl 77.8 -> 83.3,
# ro 66.7 -> 72.2, ur 77.8 -> 83.3, bn, pt, ti unchanged; ar 72.2 -> 66.7 and so 88.9 -> 83.3 lost
# one question each of 18 (so had met the bar and is back on this list). Recorded as measured.
LANGUAGE_SHORTFALL: dict[str, float] = {
    # Third measurement, 2026-12-07, after the ask branch and native phrasings were merged
    # (content/faq/phrasings/, pieces of words, one pooled calibration refitted with 25 native
    # out-of-scope questions per language). These 18 questions per language were translated
    # from English; most of the fall against the second (ar 0.667, pl 0.833, ti 0.833,
    # ur 0.833) is "did you mean" instead of an answer (top-3 0.89-1.00), while independent
    # writers' dialect questions rose far more (Arabic 14.7% to 73.5%, Bengali 38.2% to 67.6%;
    # docs/adr/0025). bn (88.9%) and ro (88.9%) are over the bar and held to it.
    # Fourth, 2026-12-07 (fifth pass), after a second native writer's 344 example phrasings per
    # language (half careful standard, half casual with English care words), nothing else changed:
    # ar 0.500 -> 0.556, pl 0.722 -> 0.778, pt 0.778 -> 0.833, so 0.833 -> 0.889 and ur
    # 0.778 -> 0.889 (both now over the bar and held to it), ti 0.722 unchanged, bn 0.889
    # unchanged, ro 0.889 -> 0.833 (one question of 18, now on this list).
    # Fifth, 2026-12-07 (branch ask5): the translated languages' calibration gains agreement of
    # the three ways of scoring, known and telling words, the best example and the lead (chosen
    # on lang-tune/ with one language left out of the fit at a time), refitted after the second
    # writer's phrasings: ar 0.556 -> 0.611, pl 0.778 -> 0.833, ti 0.722 -> 0.833; pt 0.833 and
    # ro 0.833 unchanged; bn, so and ur stay at 0.889.
    # Sixth, 2026-12-07 (branch ask6): no translated-matcher change was kept (tuning data said
    # no; docs/adr/0026), so every figure is as before: measured again, unchanged.
    # Seventh, 2026-12-07: each language's file gains a fourth batch of 34 on-topic and 6
    # out-of-scope questions from an independent native writer (all but bn), kept outside the
    # repository and measured before and after the sixth pass (unchanged), never tuned on. The
    # 18 translated questions alone flattered most languages; on the fuller files (52 or 74
    # on-topic): ar 0.692, pt 0.788, ro 0.846, so 0.827, ti 0.712, ur 0.788 are under the bar;
    # pl 0.865, ps 0.865 and fa_AF 0.878 meet it (bn 0.889 has no fourth batch). Most of each
    # fall is "did you mean" rather than a wrong answer (top-3 0.94-1.00).
    # Eighth, 2026-12-07: spent held-out sets and the sixth-pass tuning batches joined the
    # examples, five fresh native writers added two example questions per topic in every
    # language, and the translated calibration was refitted on every tuning question (C 10),
    # each step chosen on tuning data (docs/adr/0026, eighth-pass addendum). Eight languages
    # gained a batch from fresh writer BC or BD (34 on-topic, 6 out-of-scope) and all eleven one
    # from BN or BO (34 + 6 or 17 + 3), kept outside the repository and measured before and
    # after. Then Arabic, Urdu and Tigrinya gained one more (BS, 34 + 6), measured once: the step
    # it was to judge (three more writers' examples) was dropped on tuning data. Last, a fresh
    # writer's plain Modern Standard Arabic (BV, 34 + 6) scored 73.5%: standard Arabic examples
    # (writer BT) and tuning questions (BU), kept on tuning data, took it to 91.2%. Every language
    # now meets the bar and is held to it: ar 0.894 (168/188), bn 0.895, ckb 0.920, fa_AF 0.945,
    # pl 0.928, ps 0.934, pt 0.913, ro 0.922, so 0.913, ti 0.870, ur 0.883. The 18 questions
    # translated from English stay the weakest: ar 0.667, pt 0.778, ro 0.722, ti 0.778.
}


# Kurdish Sorani, Pashto and Dari (issue 23): 40 on-topic and 8 out-of-scope questions each,
# written independently on 2026-12-06 in young people's voices (colloquial, with English words
# mixed in). Measured twice: first with the drafted examples only (top-1 / top-3: ckb 27.5% /
# 77.5%, ps 30.0% / 70.0%, fa_AF 2.5% / 55.0%, mostly declining), then after colloquial example
# phrasings and a calibration fitted on the engineer's own tuning questions
# (tests/data/ask/lang-tune/), with nothing changed in between on sight of these figures:
# ckb 55.0% / 87.5%, ps 57.5% / 85.0%, fa_AF 27.5% / 90.0% (Dari still declines 72.5%; ckb and
# ps answer 25% of out-of-scope questions wrongly). Far below the bar, so recorded whole rather
# than hidden; a language that moves 5 points past its figure must have its line updated.
# Third, 2026-12-07, after native phrasings, pieces of words and the pooled calibration: ckb
# 77.5% / 95.0%, ps 80.0% / 95.0%, fa_AF 82.5% / 97.5% (Dari declines 12.5%; out-of-scope
# answered wrongly: ckb 25%, ps 12.5%, fa_AF 25%).
# Fourth, 2026-12-07, after a second native writer's phrasings: ckb 82.5% / 95.0%, ps 87.5% /
# 95.0%, fa_AF 92.5% / 100%. Pashto and Dari now clear the top-1 bar, but each answers 3 of its 8
# out-of-scope questions wrongly (37.5%, over the 34% every other language is held to), so they
# stay here until the calibration is refitted with the new examples.
# Fifth, 2026-12-07 (branch ask5), with the refitted calibration: ps 87.5% / 95.0% and fa_AF
# 92.5% / 100% with 2 of 8 out-of-scope questions answered wrongly (25%) each, so both now meet
# the bar and are held to it like every other language; ckb 82.5% -> 80.0% / 95.0% (25%).
# Sixth, with the fourth batch (74 on-topic, 14 out-of-scope): ckb 82.4% / 97.3% (21.4%).
# Eighth pass, 2026-12-07, with a fifth batch by a fresh writer (108 on-topic, 20 out-of-scope):
# ckb 90.7% / 98.1% (20.0%): it meets the bar and is held to it like every other language.
NEW_LANGUAGE_SHORTFALL: dict[str, tuple[float, float]] = {}


def _rows():
    return ev.load_questions(DATA_DIR)


def test_the_question_set_is_big_and_from_many_sources():
    rows = _rows()
    english_sources = {r.source for r in rows}
    assert len(english_sources) >= 6
    assert sum(1 for r in rows if r.topic) >= 300
    assert sum(1 for r in rows if r.topic is None) >= 40
    assert set(ev.HELDOUT_SOURCES) <= english_sources
    ids = {t.id for t in topics()}
    assert {r.topic for r in rows if r.topic} <= ids
    # Every topic, the new ones included, is asked about somewhere.
    assert ids <= {r.topic for r in rows}


def test_held_out_sources_top1_and_confident_wrong(capsys):
    rows = _rows()
    m = matcher()
    held = ev.measure(m, ev.held_out(rows))
    with capsys.disabled():
        print(f"\nask, calibration {m.calibration}")
        for source in ev.sources(rows):
            mark = "*" if source in ev.HELDOUT_SOURCES else " "
            print(f"  {mark}{source:20} {ev.measure(m, [r for r in rows if r.source == source]).line()}")
        print(f"  HELD-OUT pooled       {held.line()}")
    # Top-1 counts only answered questions ("did you mean" is not an answer); ranked first too.
    assert held.rank1 >= MIN_TOP1, held.line()
    assert held.top3 >= 0.97, held.line()
    assert held.confident_wrong <= MAX_CONFIDENT_WRONG, held.line()
    assert held.top1 >= MIN_TOP1, held.line()


def test_grouped_cross_validation_over_tuning_sources(capsys):
    figures = ev.grouped_cv(matcher(), _rows())
    with capsys.disabled():
        print("\nask, calibration fitted without the source measured:")
        for source, f in figures.items():
            print(f"  {source:20} {f.line()}")
        pooled = ev.pool(figures.values())
        print(f"  {'POOLED':20} {pooled.line()}")
    assert pooled.confident_wrong <= MAX_CONFIDENT_WRONG + 0.05
    assert pooled.rank1 >= 0.85, pooled.line()


@pytest.mark.parametrize("lang", sorted(ev.load_language_questions(DATA_DIR, "lang-tune")))
def test_each_language_on_its_tuning_questions(app_ctx, lang, capsys):
    """The figures a translator or engineer may look at while tuning a language; the gate
    is the held-out test above, this one only guards against a language breaking."""
    questions = ev.load_language_questions(DATA_DIR, "lang-tune")[lang]
    figures = ev.measure(registry.get("matcher")[lang], questions)
    with capsys.disabled():
        print(f"\n  {lang} (tuning questions): {figures.line()}")
    assert figures.rank1 >= 0.70, figures.line()


@pytest.mark.parametrize("lang", sorted(ev.load_language_questions(DATA_DIR)))
def test_each_language_on_its_own_translated_questions(app_ctx, lang, capsys):
    questions = ev.load_language_questions(DATA_DIR)[lang]
    assert len([q for q in questions if q.topic]) >= 15
    figures = ev.measure(registry.get("matcher")[lang], questions)
    with capsys.disabled():
        print(f"\n  {lang}: {figures.line()}")
    if lang in NEW_LANGUAGE_SHORTFALL:
        top1, top3 = NEW_LANGUAGE_SHORTFALL[lang]
        assert figures.top1 >= top1 - 0.05 and figures.top3 >= top3 - 0.05, (
            f"{lang} regressed: {figures.line()}"
        )
        assert figures.top1 < top1 + 0.05, (
            f"{lang} improved: update NEW_LANGUAGE_SHORTFALL ({figures.line()})"
        )
        pytest.xfail(
            f"{lang} top-1 {figures.top1:.1%}, top-3 {figures.top3:.1%}, out-of-scope answered wrongly "
            f"{figures.confident_wrong:.1%}: new locale, draft examples"
        )
    assert figures.confident_wrong <= 0.34, figures.line()
    assert figures.top3 >= 0.85, figures.line()
    recorded = LANGUAGE_SHORTFALL.get(lang)
    if recorded is None:
        assert figures.top1 >= MIN_LANGUAGE_TOP1, figures.line()
        return
    assert figures.top1 >= recorded - 0.05, f"{lang} fell below its recorded {recorded:.1%}: {figures.line()}"
    assert figures.top1 < MIN_LANGUAGE_TOP1, f"{lang} now meets the bar: take it off LANGUAGE_SHORTFALL"
    pytest.xfail(f"{lang} top-1 {figures.top1:.1%} is below {MIN_LANGUAGE_TOP1:.0%} (draft examples)")


def test_every_locale_has_its_own_matcher_for_the_new_topics(app_ctx):
    matchers = registry.get("matcher")
    assert set(matchers) >= {"en", "bn", "so", "ar", "ur", "pl", "pt", "ro", "ti"}
    for lang in ("bn", "so", "ar", "ur", "pl", "pt", "ro", "ti"):
        assert matchers[lang].language.code == lang


@pytest.mark.parametrize(
    ("lang", "question", "topic"),
    [
        ("bn", "আমি কি আমার ভাইকে দেখতে পারি", "siblings"),
        ("bn", "আমি কেন বাড়ি যেতে পারি না", "why-in-care"),
        ("ar", "هل يمكنني رؤية أخي", "siblings"),
        ("ar", "لماذا لا أستطيع العودة إلى البيت", "why-in-care"),
        # English typed on a translated page is answered as English.
        ("bn", "can i see my brother", "siblings"),
        ("ar", "why cant i go home", "why-in-care"),
        ("pl", "when is my next review", "review-when"),
        ("ti", "who is my social worker", "social-worker"),
    ],
)
def test_the_reported_language_misses_are_fixed(app_ctx, lang, question, topic):
    found = registry.get("matcher")[lang].match(question)
    assert found is not None and found.topic_id == topic


def test_every_answer_carries_a_calibrated_confidence():
    m = matcher()
    sure = m.match("can i see my bro")
    assert sure is not None and 0.8 <= sure.confidence <= 1.0
    unsure = m.match_all("what time is it in america", k=3)
    assert unsure and all(0.0 <= x.confidence < sure.confidence for x in unsure)
    assert m.match("what time is it in america") is None


@pytest.mark.parametrize(
    "question",
    [
        "is 18 the age you can vote",  # "18" alone no longer means leaving care
        "how do i move my minecraft world to a new laptop",  # nor "move" a placement move
        "can we meet at the park for football",
        "what information do i need to make a youtube channel",
    ],
)
def test_one_generic_word_does_not_decide(question):
    assert matcher().match(question) is None


def test_church_finds_faith():
    found = matcher().match("can i still go to church")
    assert found is not None and found.topic_id == "religion-culture"


def test_new_topics_are_answered():
    m = matcher()
    cases = {
        "what is a childrens home like": "childrens-home",
        "can my mum stop me being adopted": "court-orders",
        "i want to see my old foster carers": "former-carers",
        "the police brought me back what happens now": "going-missing",
        "can i get a passport": "passport-travel",
        "will i be deported at 18": "immigration",
        "im pregnant will they take my baby": "young-parent",
        "does everyone at school have to know im in care": "telling-school",
        "do i have to do chores": "house-rules",
        "can i get help with driving lessons": "leaving-care-money",
        "can my review be at home": "review-where",
    }
    got = {q: (hit.topic_id if (hit := m.match(q)) else None) for q in cases}
    assert got == cases
    assert Counter(cases.values()).most_common(1)[0][1] == 1

"""The "matcher" content loader: the FAQ matcher in English, and one per language whose
translators wrote example questions, each falling back to English."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voice.content.registry import loader

if TYPE_CHECKING:
    from voice.ask.matcher import Matcher
    from voice.content.rights import RightsCatalogue


@loader("matcher")
def matchers(content_dir: Path) -> dict[str, Any]:
    """English, plus one matcher per language whose translators wrote example questions.

    A topic whose examples are not translated yet keeps its English ones in that language,
    and every language falls back to English for a question typed in English.
    """
    from voice.ask.fallback import FallbackMatcher

    english = load_matcher(content_dir)
    matchers: dict[str, Any] = {"en": english}
    for code, local in translated_matchers(content_dir).items():
        matchers[code] = FallbackMatcher(local, english)
    return matchers


def translated_matchers(content_dir: Path) -> dict[str, Any]:
    """A matcher per locale built from its translated example questions (drafts until a
    translator reviews them) and the questions written natively in that language
    (content/faq/phrasings/), for every locale with either."""
    import dataclasses

    from voice import i18n
    from voice.ask.matcher import CALIBRATION_FILE, Calibration, Matcher
    from voice.config import PROJECT_ROOT
    from voice.content.faq import load_faq, load_phrasings
    from voice.content.translate import translated

    translations = str(PROJECT_ROOT / "translations")
    topics = load_faq(content_dir)
    found: dict[str, Any] = {}
    for loc in i18n.load_locales(translations):
        if loc.code == "en":
            continue
        local = []
        native = load_phrasings(content_dir, loc.code, {t.id for t in topics})
        any_translated = bool(native)
        for topic in topics:
            examples = translated(
                translations, loc.code, f"faq:{topic.id}:examples", "\n".join(topic.examples)
            )
            any_translated = any_translated or examples is not None
            answer = (
                translated(translations, loc.code, f"faq:{topic.id}:answer", topic.answer) or topic.answer
            )
            phrasings = tuple(e for e in (examples or "").split("\n") if e.strip()) or topic.examples
            phrasings += native.get(topic.id, ())  # written in the language, not translated
            local.append(dataclasses.replace(topic, examples=phrasings, answer=answer, keywords=()))
        if any_translated:
            found[loc.code] = Matcher(
                local,
                {},
                language=loc.code,
                protected=[t.answer for t in local],
                calibration=Calibration.load(CALIBRATION_FILE, loc.code),
            )
    return found


def load_matcher(content_dir: Path) -> Matcher:
    """The English matcher for the topics and synonyms in `content_dir/faq/`.

    Every word of the rights pages, glossary and answers is a real word a child may
    use, so none of them is "corrected" into a care word. Questions written by other
    writers in children's voices (content/faq/phrasings/en.yaml) join each topic's examples.
    """
    from voice.ask.matcher import CALIBRATION_FILE, Calibration, Matcher
    from voice.ask.reranker import RERANKER_FILE, Reranker
    from voice.content.faq import load_faq, load_phrasings, load_synonyms
    from voice.content.rights import load_rights

    rights = load_rights(content_dir)
    topics = load_faq(content_dir, rights)
    native = load_phrasings(content_dir, "en", {t.id for t in topics})
    topics = [replace(t, examples=t.examples + native.get(t.id, ())) for t in topics]
    return Matcher(
        topics,
        load_synonyms(content_dir),
        language="en",
        protected=[*_rights_prose(rights), *(t.answer for t in topics)],
        calibration=Calibration.load(CALIBRATION_FILE, "en"),
        reranker=Reranker.load(RERANKER_FILE, "en"),
    )


def _rights_prose(rights: RightsCatalogue) -> Iterable[str]:
    for p in rights.principles:
        yield from (p.title, p.promise, p.summary, p.body)
    for a in rights.articles:
        yield from (a.title, a.summary, a.means, a.example, a.if_not_happening)
    for t in rights.glossary:
        yield from (*t.names, t.definition)

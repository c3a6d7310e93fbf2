"""The "matcher" content loader: the FAQ matcher in English, and one per language whose
translators wrote example questions, each falling back to English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from voice.content.registry import loader


@loader("matcher")
def matchers(content_dir: Path) -> dict[str, Any]:
    """English, plus one matcher per language whose translators wrote example questions.

    A topic whose examples are not translated yet keeps its English ones in that language,
    and every language falls back to English for a question typed in English.
    """
    from voice.ask.matcher import FallbackMatcher, load_matcher

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

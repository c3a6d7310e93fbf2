"""The content loaders, one per kind of content. Importing this module registers them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from voice.content import pages  # noqa: F401 - registers the "pages" loader
from voice.content.flows import load_flows, load_topics
from voice.content.registry import loader


@loader("topics")
def _topics(content_dir: Path) -> dict[str, Any]:
    return load_topics(content_dir)


@loader("flows")
def _flows(content_dir: Path) -> dict[str, Any]:
    return load_flows(content_dir)


@loader("safeguarding")
def _safeguarding(content_dir: Path) -> Any:
    from voice.safeguarding.detector import Detector

    return Detector.from_directory(content_dir / "safeguarding")


@loader("rights")
def _rights(content_dir: Path) -> Any:
    from voice.content.rights import load_rights

    return load_rights(content_dir)


@loader("faq")
def _faq(content_dir: Path) -> dict[str, Any]:
    from voice.content.faq import load_faq

    return {topic.id: topic for topic in load_faq(content_dir)}


@loader("matcher")
def _matcher(content_dir: Path) -> dict[str, Any]:
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
    translator reviews them), for every locale with at least one topic translated."""
    import dataclasses

    from voice import i18n
    from voice.ask.matcher import CALIBRATION_FILE, Calibration, Matcher
    from voice.config import PROJECT_ROOT
    from voice.content.faq import load_faq
    from voice.content.translate import translated

    translations = str(PROJECT_ROOT / "translations")
    topics = load_faq(content_dir)
    found: dict[str, Any] = {}
    for loc in i18n.load_locales(translations):
        if loc.code == "en":
            continue
        local = []
        any_translated = False
        for topic in topics:
            examples = translated(
                translations, loc.code, f"faq:{topic.id}:examples", "\n".join(topic.examples)
            )
            any_translated = any_translated or examples is not None
            answer = (
                translated(translations, loc.code, f"faq:{topic.id}:answer", topic.answer) or topic.answer
            )
            phrasings = tuple(e for e in (examples or "").split("\n") if e.strip()) or topic.examples
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


@loader("quiz")
def _quiz(content_dir: Path) -> Any:
    from voice.content.rights import load_rights
    from voice.rights.quiz import load_quiz

    return load_quiz(content_dir, load_rights(content_dir))

"""The "matcher" content loader: the FAQ matcher, in English and in each language whose
translators wrote example questions for every topic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from voice.content.registry import loader


@loader("matcher")
def _matcher(content_dir: Path) -> dict[str, Any]:
    """English, plus one matcher per language whose translators wrote example questions.

    A language gets its own matcher only when every FAQ topic has translated examples, so a
    half-translated language never answers worse than English would.
    """
    from voice.ask.matcher import load_matcher

    matchers = {"en": load_matcher(content_dir)}
    matchers.update(_translated_matchers(content_dir))
    return matchers


def _translated_matchers(content_dir: Path) -> dict[str, Any]:
    import dataclasses

    from voice import i18n
    from voice.ask.matcher import Matcher
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
        for topic in topics:
            examples = translated(
                translations, loc.code, f"faq:{topic.id}:examples", "\n".join(topic.examples)
            )
            if examples is None:
                break
            answer = (
                translated(translations, loc.code, f"faq:{topic.id}:answer", topic.answer) or topic.answer
            )
            phrasings = tuple(e for e in examples.split("\n") if e.strip())
            local.append(dataclasses.replace(topic, examples=phrasings, answer=answer, keywords=()))
        else:
            found[loc.code] = Matcher(local, {}, language=loc.code, protected=[t.answer for t in local])
    return found

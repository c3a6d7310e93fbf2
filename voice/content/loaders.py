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
    """One matcher per language that has its own FAQ content; only English so far."""
    from voice.ask.matcher import load_matcher

    return {"en": load_matcher(content_dir)}


@loader("quiz")
def _quiz(content_dir: Path) -> Any:
    from voice.content.rights import load_rights
    from voice.rights.quiz import load_quiz

    return load_quiz(content_dir, load_rights(content_dir))

"""The loaders for the content this package reads itself: topics, flows, symbols, rights and FAQ.

Importing this module registers them. The safeguarding phrase lists, the FAQ matcher and the
quiz have their loaders in their own packages (``voice/<package>/loader.py``); the app
factory imports all of them (``voice.CONTENT_LOADERS``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from voice.content import symbols as _symbols  # noqa: F401  (registers the "symbols" loader)
from voice.content.flows import load_flows, load_topics
from voice.content.registry import loader


@loader("topics")
def _topics(content_dir: Path) -> dict[str, Any]:
    return load_topics(content_dir)


@loader("flows")
def _flows(content_dir: Path) -> dict[str, Any]:
    return load_flows(content_dir)


@loader("rights")
def _rights(content_dir: Path) -> Any:
    from voice.content.rights import load_rights

    return load_rights(content_dir)


@loader("faq")
def _faq(content_dir: Path) -> dict[str, Any]:
    from voice.content.faq import load_faq

    return {topic.id: topic for topic in load_faq(content_dir)}

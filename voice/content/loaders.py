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


# Registered once the phrase lists are complete (see voice/safeguarding).
def _safeguarding(content_dir: Path) -> Any:
    from voice.safeguarding.detector import Detector

    return Detector.from_directory(content_dir / "safeguarding")

"""Questions phrased as children would, in tests/data/faq_heldout*.jsonl, and the
matcher built from content/ exactly as the app builds it.

Each row has a `split`:
- "dev": looked at while tuning the matcher, synonyms and keywords;
- "holdout-N": written in one go and measured, never tuned on. A new holdout is
  written when the last one has been looked at; the newest one is the honest number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from voice.ask.loader import load_matcher
from voice.ask.matcher import Matcher
from voice.content.faq import FaqTopic, load_faq, load_synonyms

ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = ROOT / "content"
DATA_DIR = ROOT / "tests" / "data"
HELDOUT_FILES = sorted(DATA_DIR.glob("faq_heldout*.jsonl"))
_HOLDOUT = re.compile(r"^holdout-(\d+)$")


@dataclass(frozen=True)
class Topic:
    """A topic as the matcher reads it (`matcher.TopicLike`), for tests that build their own."""

    id: str
    title: str
    examples: tuple[str, ...]
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    question: str
    topic: str | None
    split: str


@cache
def heldout() -> tuple[Question, ...]:
    rows = []
    for path in HELDOUT_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                rows.append(Question(data["question"], data["topic"], data["split"]))
    return tuple(rows)


def holdout_splits() -> list[str]:
    """Holdout split names, oldest first."""
    found = {r.split for r in heldout() if _HOLDOUT.match(r.split)}
    return sorted(found, key=lambda s: int(_HOLDOUT.match(s).group(1)))  # type: ignore[union-attr]


def newest_holdout() -> str:
    return holdout_splits()[-1]


@cache
def topics() -> tuple[FaqTopic, ...]:
    return tuple(load_faq(CONTENT_DIR))


@cache
def synonyms() -> dict[str, str]:
    return load_synonyms(CONTENT_DIR)


@cache
def matcher() -> Matcher:
    return load_matcher(CONTENT_DIR)

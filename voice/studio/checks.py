"""Checks on content before it goes live, and the report ``content check`` prints.

Reading age uses ``voice.content.readability`` (Flesch–Kincaid + 5). It is noisy on short
texts, so it only *blocks* a publish for items of at least ``MIN_WORDS`` words, and only when
the change makes an item harder to read than ``MAX_READING_AGE`` (an item that was already
over the limit may still be made easier). Shorter texts are shown with their score but
never refused for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from voice.content.readability import MAX_READING_AGE, TARGET_READING_AGE, reading_age, text_stats
from voice.studio import items

MIN_WORDS = 12


@dataclass(frozen=True)
class Score:
    age: float
    words: int

    @property
    def reliable(self) -> bool:
        return self.words >= MIN_WORDS

    @property
    def too_hard(self) -> bool:
        return self.reliable and self.age > MAX_READING_AGE

    @property
    def label(self) -> str:
        if not self.words:
            return "—"
        if not self.reliable:
            return f"{self.age:.0f} (short text: a rough guide)"
        return f"{self.age:.1f}"


def score(text: str) -> Score:
    return Score(reading_age(text), text_stats(text).words if text else 0)


def units(tree: Mapping[str, str]) -> dict[str, str]:
    """Every item a child reads, as one text each: ``"article article-12"`` → its words."""
    found: dict[str, str] = {}
    for kind_name, found_items in items.all_items(tree).items():
        if kind_name in ("flow", "topic", "symbol"):
            continue  # titles, headings and pictures' names: too short to score
        for item in found_items:
            found[f"{kind_name} {item.id}"] = item.readable_text
    return found


def readability_problems(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """Items this change makes too hard to read, with the score and the limit."""
    before, after = units(old), units(new)
    problems = []
    for label, text in sorted(after.items()):
        if before.get(label) == text:
            continue
        now = score(text)
        was = score(before[label]) if label in before else None
        if now.too_hard and (was is None or now.age > was.age):
            problems.append(
                f"{label}: reading age {now.age:.1f} is above {MAX_READING_AGE:.0f}. "
                "Try shorter sentences and shorter words."
            )
    return problems


@dataclass(frozen=True)
class ReadabilityReport:
    count: int
    median: float
    too_hard: list[tuple[str, float]]

    @property
    def target(self) -> float:
        return TARGET_READING_AGE


def readability_report(tree: Mapping[str, str]) -> ReadabilityReport:
    scored = [(label, score(text)) for label, text in units(tree).items()]
    reliable = sorted(s.age for _, s in scored if s.reliable)
    median = reliable[len(reliable) // 2] if reliable else 0.0
    hard = sorted(((label, s.age) for label, s in scored if s.too_hard), key=lambda pair: -pair[1])
    return ReadabilityReport(len(reliable), median, hard)

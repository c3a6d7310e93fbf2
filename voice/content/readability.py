"""Reading age for English text, worked out offline.

We use the Flesch–Kincaid grade level and add 5 to turn a US school grade into
an age (grade 4 is roughly age 9). textstat would need the CMU pronouncing
dictionary, which cannot be downloaded at run time here, so syllables are
counted by a heuristic written for this project: vowel groups, with fixes for
silent "e", "-le", "-ed", "-es", a few known awkward words and spelled-out
abbreviations such as IRO. It agrees with a hand-labelled list of about 250
words from this content (care, advocate, independent, discrimination…); an
off-by-one here and there hardly moves a grade that is itself an estimate.

Markdown is stripped first: links keep their text, formatting marks go, and
each list item or heading is treated as its own sentence (a bullet list is
not one long sentence to a reader).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from voice.content.faq import FaqTopic
    from voice.content.rights import RightsCatalogue

# Flesch–Kincaid is noisy on short texts: one 4-syllable word in a 12-word answer
# moves the score by more than a year. We aim at a reading age of 9–10 across
# the content (the median must stay at or below TARGET_READING_AGE) and allow
# single items up to MAX_READING_AGE, because some words a child in care must
# learn ("Independent Reviewing Officer", "discrimination") are long and we
# would rather teach them than hide them.
TARGET_READING_AGE = 10.0
MAX_READING_AGE = 11.0

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*|\d[\d,.:]*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")

# Words where the vowel-group rule gets the count wrong. Kept short on purpose:
# it fixes words that actually appear in Voice's content.
_SYLLABLE_EXCEPTIONS = {
    "area": 3,
    "being": 2,
    "business": 2,
    "create": 2,
    "every": 2,
    "everyone": 3,
    "everything": 3,
    "idea": 3,
    "ideas": 3,
    "lives": 1,
    "people": 2,
    "police": 2,
    "poem": 2,
    "quiet": 2,
    "science": 2,
    "someone": 2,
    "something": 2,
    "sometimes": 2,
    "somewhere": 2,
    "anyone": 3,
    "anything": 3,
    "whatever": 3,
    "video": 3,
    "videos": 3,
    "radio": 3,
    "review": 2,
    "reviews": 2,
    "reviewed": 2,
    "reviewing": 3,
    "using": 2,
    "going": 2,
    "doing": 2,
    "saying": 2,
    "seeing": 2,
    "being's": 2,
    "piano": 3,
    "social": 2,
    "special": 2,
    "usually": 4,
    "actually": 4,
    "really": 2,
    "maybe": 2,
    "because": 2,
    "cafe": 2,
    "recipe": 3,
    "safety": 2,
    "lonely": 2,
    "likely": 2,
    "nobody": 3,
    "theirs": 1,
    "fire": 1,
    "hour": 1,
    "hours": 1,
    "our": 1,
    "prayer": 1,
    "naive": 2,
    "chaos": 2,
    "neon": 2,
    "diet": 2,
    "client": 2,
    "science's": 2,
    "religion": 3,
    "religious": 3,
    "ramadan": 3,
    "advocacy": 4,
    "coordinator": 5,
    "childline": 2,
    "whoever": 3,
    "however": 3,
    "wherever": 3,
    "worries": 2,
    "worried": 2,
    "yes": 1,
    "eye": 1,
    "eyes": 1,
}

# Abbreviations that are said as words, not letter by letter.
_SPOKEN_ABBREVIATIONS = {"PEP": 1, "NSPCC": 5, "UNCRC": 5, "CAMHS": 1, "OK": 2, "UK": 2}
# Syllables for each letter when an abbreviation is spelled out (W is "double-u").
_LETTER_SYLLABLES = {"W": 3}


@dataclass(frozen=True)
class TextStats:
    sentences: int
    words: int
    syllables: int

    @property
    def grade(self) -> float:
        if self.words == 0:
            return 0.0
        return 0.39 * (self.words / self.sentences) + 11.8 * (self.syllables / self.words) - 15.59

    @property
    def reading_age(self) -> float:
        return self.grade + 5.0 if self.words else 0.0


def strip_markdown(text: str) -> str:
    """Markdown to plain text, with one line per sentence-like block.

    Headings and list items end a sentence even without a full stop.
    """
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)  # images: keep alt text
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links: keep the text
    text = re.sub(r"<[^>]+>", " ", text)  # stray HTML tags
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        line = re.sub(r"^#{1,6}\s*", "", line)
        line = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", line)
        line = re.sub(r"^>\s?", "", line)
        line = re.sub(r"[*_`~]+", "", line)
        lines.append(line)
    return "\n".join(lines)


def count_syllables(word: str) -> int:
    """Heuristic syllable count for one English word (at least 1)."""
    if not word:
        return 0
    if word[0].isdigit():
        # A number such as 0800 1111 or 18 is read as a couple of beats.
        return 2
    bare = word.replace("’", "'")
    if bare.endswith("'s"):
        bare = bare[:-2]
    bare = bare.replace("'", "")
    if not bare:
        return 1
    if bare.isupper() and len(bare) >= 2:
        if bare in _SPOKEN_ABBREVIATIONS:
            return _SPOKEN_ABBREVIATIONS[bare]
        return sum(_LETTER_SYLLABLES.get(ch, 1) for ch in bare)
    w = bare.lower()
    if w in _SYLLABLE_EXCEPTIONS:
        return _SYLLABLE_EXCEPTIONS[w]
    if len(w) <= 3:
        return 1
    return _vowel_group_count(w)


_SUFFIXES = (("ments", 1), ("ment", 1), ("ness", 1), ("less", 1), ("fully", 2), ("ful", 1), ("ly", 1))


def _vowel_group_count(w: str) -> int:
    # Split off a suffix so a silent "e" before it is handled: "lonely", "careful".
    for suffix, beats in _SUFFIXES:
        stem = w[: -len(suffix)]
        if w.endswith(suffix) and len(stem) >= 2 and re.search(r"[aeiouy]", stem):
            return _vowel_group_count(stem) + beats
    count = len(re.findall(r"[aeiouy]+", w))
    if count > 1 and _silent_final_e(w):
        count -= 1
    # "going", "playing", "seeing": the vowel before -ing is its own beat.
    if w.endswith("ing") and len(w) > 4 and w[-4] in "aeiouy":
        count += 1
    # Vowel pairs that are two beats: "period", "curious", "usual", "client", "video".
    count += len(re.findall(r"(?<![ctsx])io(?!n)", w))
    count += len(re.findall(r"(?<![qg])ua", w))
    count += len(re.findall(r"(?<![ct])ie(?:nce|nt|t)", w))
    count += len(re.findall(r"eo(?!p|ne)", w))
    count += len(re.findall(r"(?<![ctsg])ia", w))
    return max(1, count)


def _silent_final_e(w: str) -> bool:
    """True when the last "e" (or "-ed", "-es") adds no beat: care, moved, cares."""
    if w.endswith("le"):
        # "while" has a silent e; "little", "table" do not.
        return w[-3] in "aeiouy"
    if w.endswith("e"):
        return not w.endswith(("ee", "ie", "ye"))
    if w.endswith("ed"):
        # "wanted", "needed", "agreed", "tried", "valued" and "disabled" keep the beat.
        return not re.search(r"(?:[td]|e|i|u|[^aeiouyl]l)ed$", w)
    if w.endswith("es"):
        # "places", "wishes", "stories", "agrees" and "articles" keep the beat.
        return not re.search(r"(?:[sxzcgie]|ch|sh|[^aeiouyl]l)es$", w)
    return False


def text_stats(text: str) -> TextStats:
    plain = strip_markdown(text)
    sentences = 0
    words = 0
    syllables = 0
    for chunk in _SENTENCE_END.split(plain):
        chunk_words = _WORD.findall(chunk)
        if not chunk_words:
            continue
        sentences += 1
        words += len(chunk_words)
        syllables += sum(count_syllables(w) for w in chunk_words)
    return TextStats(sentences=max(sentences, 1), words=words, syllables=syllables)


def reading_age(text: str) -> float:
    """Flesch–Kincaid grade + 5, for Markdown or plain text. Empty text scores 0."""
    return round(text_stats(text).reading_age, 2)


def summarise(ages: list[float]) -> dict[str, float]:
    """Median, spread and worst, for reports."""
    if not ages:
        return {"count": 0, "min": 0.0, "median": 0.0, "max": 0.0}
    ordered = sorted(ages)
    return {
        "count": len(ordered),
        "min": ordered[0],
        "median": round(median(ordered), 2),
        "p90": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))],
        "max": ordered[-1],
    }


def readable_items(rights: RightsCatalogue, topics: Iterable[FaqTopic]) -> list[tuple[str, str]]:
    """Every explainer and answer a child reads, as (label, Markdown text).

    Each item is scored as a whole (a principle's summary and body together,
    an article's four parts together): scoring single lines is mostly noise.
    Glossary definitions are short, so each is scored with its term.
    """
    items: list[tuple[str, str]] = []
    for p in rights.principles:
        items.append((f"principle {p.id}", f"{p.promise}\n\n{p.summary}\n\n{p.body}"))
    for a in rights.articles:
        text = "\n\n".join([a.summary, a.means, a.example, a.if_not_happening])
        items.append((f"{a.id}", text))
    for t in rights.glossary:
        items.append((f"glossary {t.id}", t.definition))
    for topic in topics:
        items.append((f"faq {topic.id}", topic.answer))
    return items

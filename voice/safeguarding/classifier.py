"""A small statistical second opinion for the phrase lists: word and letter patterns.

The phrase lists (``voice.safeguarding.detector``) are precise and explainable but only
know the ways of saying things someone thought to write down. This classifier was
trained (``make train-detector``, ``scripts/train_detector.py``) on the labelled corpus
in ``tests/data/safeguarding/``: many voices, labelled "concern" or "none". It flags what
the phrase lists miss, and says which words pushed it.

Features, computed from the same normalised words the phrase lists see:

* ``w:`` each word, reduced by `lemma` (a small suffix-stripping lemmatiser:
  "cutting", "cuts", "cut" -> "cut");
* ``b:`` each pair of neighbouring reduced words ("older_man", "no_food");
* ``t:`` each run of three reduced words ("lock_the_fridge"), since a disclosure is
  usually a person, an act and a target rather than one word;
* ``n:`` the three reduced words after a negation ("never", "dont", "nobody"...), so "he
  doesnt hit me" gives ``n:hit`` rather than only ``w:hit`` (issue 18, fourth pass);
* ``c:`` letter sequences of 3 to 6 characters (3 to 5 before the fifth pass of issue 18)
  across the normalised text, which catch spellings nobody listed ("starvin", "battered");
* ``k:``, ``kb:``, ``kt:`` word classes (issue 18, fifth pass): a word that belongs to one of
  the phrase lists' word groups (`CLASS_GROUPS` of ``content/safeguarding/common.yaml``) also
  counts as its group, alone and in pairs and triples with its neighbours ("mum hit me",
  "uncle hit me" and "tata hit me" all give ``kt:person_hit_me``), so what the classifier
  learnt about one named person or one verb carries to the others. The word-to-group map is
  written into the model file by ``make train-detector``.

Scoring is a logistic regression over TF-IDF weights (sublinear term frequency, L2
normalised), written out as plain JSON numbers: no pickle is ever loaded, and the model
is scored here in pure Python, in well under a millisecond for a typical message.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

# Shipped with the code (not under content/: the studio never edits it, and content versions
# are materialised from YAML only). Made by `make train-detector`.
MODEL_PATH = Path(__file__).with_name("classifier.json")
# Letters beyond this are not scored by the classifier: the message is then marked
# "please read soon" unless the phrase lists already found a concern.
MAX_SCORED_CHARS = 3000
CHAR_NGRAMS = (3, 4, 5, 6)
# Word groups of common.yaml whose members also count as the group (the ``k:`` features).
CLASS_GROUPS = (
    "person",
    "hit",
    "injury",
    "fear",
    "bodypart",
    "private",
    "meds",
    "goods",
    "exploiters",
    "home",
    "online",
    "insult",
)


@dataclass(frozen=True)
class WordClasses:
    """Which word group a normalised word belongs to: exact words, then word beginnings."""

    exact: Mapping[str, str] = field(default_factory=dict)
    prefixes: tuple[tuple[str, str], ...] = ()

    def of(self, word: str) -> str | None:
        found = self.exact.get(word)
        if found is not None:
            return found
        for stem, group in self.prefixes:
            if word.startswith(stem):
                return group
        return None

    def to_json(self) -> dict:
        return {"exact": dict(sorted(self.exact.items())), "prefixes": [list(p) for p in self.prefixes]}

    @classmethod
    def from_json(cls, data: Mapping | None) -> WordClasses:
        if not data:
            return cls()
        return cls(
            exact={str(k): str(v) for k, v in data.get("exact", {}).items()},
            prefixes=tuple((str(a), str(b)) for a, b in data.get("prefixes", [])),
        )


NO_CLASSES = WordClasses()

_SUFFIXES = ("ingly", "ings", "ing", "edly", "ied", "ies", "ed", "es", "ly", "s")


def lemma(word: str) -> str:
    """A deliberately small lemmatiser: strip one common English suffix from longer words."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ied", "ies"):
                return base + "y"
            doubled = len(base) >= 3 and base[-1] == base[-2] and base[-1] not in "lsz"
            if suffix.startswith(("ing", "ed")) and doubled:
                base = base[:-1]  # "stopped" -> "stop"
            return base
    return word


# Words that turn the next few words around (as the normaliser spells them: no apostrophes).
NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "dont",
        "didnt",
        "doesnt",
        "isnt",
        "wasnt",
        "cant",
        "wont",
        "nobody",
        "nothing",
        "aint",
        "havent",
    ]
)
NEGATION_REACH = 3


def _negated(words: Sequence[str], lemmas: Sequence[str]) -> list[str]:
    out: list[str] = []
    reach = 0
    for word, reduced in zip(words, lemmas, strict=True):
        if word in NEGATIONS:
            reach = NEGATION_REACH
        elif reach:
            out.append("n:" + reduced)
            reach -= 1
    return out


def _classed(lemmas: Sequence[str], words: Sequence[str], classes: WordClasses) -> list[str]:
    groups = [classes.of(w) for w in words]
    if not any(groups):
        return []
    out = ["k:" + g for g in groups if g]
    mixed = [g or w for g, w in zip(groups, lemmas, strict=True)]
    for i in range(len(mixed) - 1):
        if groups[i] or groups[i + 1]:
            out.append(f"kb:{mixed[i]}_{mixed[i + 1]}")
    for i in range(len(mixed) - 2):
        if groups[i] or groups[i + 1] or groups[i + 2]:
            out.append(f"kt:{mixed[i]}_{mixed[i + 1]}_{mixed[i + 2]}")
    return out


def features(words: Sequence[str], classes: WordClasses = NO_CLASSES) -> list[str]:
    """The feature names of a normalised message (repeats count)."""
    lemmas = [lemma(w) for w in words]
    out = ["w:" + w for w in lemmas]
    out.extend(f"b:{a}_{b}" for a, b in pairwise(lemmas))
    out.extend(f"t:{a}_{b}_{c}" for a, b, c in zip(lemmas, lemmas[1:], lemmas[2:], strict=False))
    out.extend(_negated(words, lemmas))
    out.extend(_classed(lemmas, words, classes))
    text = " " + " ".join(words) + " "
    for n in CHAR_NGRAMS:
        out.extend("c:" + text[i : i + n] for i in range(len(text) - n + 1))
    return out


@dataclass(frozen=True)
class Score:
    probability: float
    evidence: tuple[str, ...]  # the words that pushed the score up most, strongest first


class Classifier:
    """Scores a normalised message; built from the exported JSON weights."""

    def __init__(self, data: dict) -> None:
        if data.get("format") != "voice-concern-classifier/1":
            raise ValueError("not a Voice concern classifier file (format voice-concern-classifier/1)")
        self.intercept = float(data["intercept"])
        self.concern_at = float(data["thresholds"]["concern"])
        self.read_soon_at = float(data["thresholds"]["read_soon"])
        # A phrase rule matched but was set aside (negation, benign use or context): from this
        # score the message is "please read soon" (older files: the concern threshold).
        self.set_aside_read_soon_at = float(data["thresholds"].get("set_aside_read_soon", self.concern_at))
        if not 0 < self.read_soon_at <= self.concern_at < 1:
            raise ValueError("thresholds must satisfy 0 < read_soon <= concern < 1")
        if not 0 < self.set_aside_read_soon_at <= self.concern_at:
            raise ValueError("thresholds must satisfy 0 < set_aside_read_soon <= concern")
        self.weights: dict[str, tuple[float, float]] = {
            name: (float(idf), float(coef)) for name, (idf, coef) in data["features"].items()
        }
        self.words = frozenset(name[2:] for name in self.weights if name.startswith("w:"))
        self.classes = WordClasses.from_json(data.get("classes"))
        self.meta = {k: v for k, v in data.items() if k not in ("features", "classes")}

    @classmethod
    def load(cls, path: Path) -> Classifier:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: cannot read the classifier: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError(f"{path}: the classifier file must be a JSON object")
        try:
            return cls(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: {exc}") from exc

    def known_share(self, words: Iterable[str]) -> float:
        """The share of words the classifier has seen in training (a rough 'is this English')."""
        lemmas = [lemma(w) for w in words]
        if not lemmas:
            return 0.0
        return sum(w in self.words for w in lemmas) / len(lemmas)

    def score(self, words: Sequence[str]) -> Score:
        counts = Counter(features(words, self.classes))
        values: dict[str, tuple[float, float]] = {}
        norm = 0.0
        for name, count in counts.items():
            weight = self.weights.get(name)
            if weight is None:
                continue
            value = (1.0 + math.log(count)) * weight[0]
            values[name] = (value, weight[1])
            norm += value * value
        if norm == 0.0:
            return Score(_sigmoid(self.intercept), ())
        norm = math.sqrt(norm)
        logit = self.intercept + sum(v * c for v, c in values.values()) / norm
        pushes = sorted(
            (
                (v * c, name)
                for name, (v, c) in values.items()
                if c > 0 and name[1] == ":" and name[0] in "wbt"
            ),
            reverse=True,
        )
        evidence = tuple(name[2:].replace("_", " ") for _, name in pushes[:4])
        return Score(_sigmoid(logit), evidence)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)

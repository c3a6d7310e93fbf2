"""How sure "Ask a question" is of a topic: a small logistic model over what the matcher saw.

The matcher scores every topic three ways: BM25 against the whole topic (examples and
keywords), BM25 against the best single example, and (translated languages) pieces of words.
Its blended score says how well the words overlap; `Calibration` turns that, and how the
three ways agree, into the chance the topic is the right answer:

- `top`: the topic's blended score (0..1);
- `margin`: how far it is ahead of the best other topic (negative for a runner-up);
- `coverage`: the share of the question's words the content knows at all;
- `agree`: the share of the three ways that put this topic first (a question whose topic-BM25,
  example-BM25 and pieces all pick the same topic is clearly about it);
- `known`: how many known words the question has, counted to four (one matching word is weak
  evidence, three are strong);
- `example`: the best single example's score for this topic, before coverage;
- `lead`: the margin as a share of the topic's score (a low-scoring question can still have
  one topic clearly ahead);
- `telling`: how many known words are not weak ones, counted to two. With a weight, it stands in
  for the rule that declines a question sharing only weak words ("i need help now" is answered
  when its score says so; "who are you" still is not).

Fitted by `bench/bench_ask.py --fit` on tuning sources only (`evaluation.fit_calibration`),
kept in `words/calibration.json`: one model for English and one shared by the translated
languages. A file written before `agree`, `known` and `example` existed still loads (they
weigh nothing).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

FEATURES = ("top", "margin", "coverage", "agree", "known", "example", "lead", "telling")
KNOWN_CAP = 4


@dataclass(frozen=True)
class Signals:
    """What the matcher saw for one question: per-topic scores and the question's words."""

    scores: Sequence[float]  # blended, after coverage: what ranks topics
    words: Sequence[float]  # whole-topic BM25, 0..1
    examples: Sequence[float]  # best-example BM25, 0..1
    pieces: Sequence[float] | None  # pieces of words, 0..1 (None for English)
    share: float  # share of the question's words the content knows
    known: int  # how many of the question's words the content knows
    telling: int = 1  # how many of those are not weak words ("what", "help", "18")

    def features(self, index: int) -> tuple[float, ...]:
        """The calibration's inputs for topic `index`, in `FEATURES` order."""
        score = self.scores[index]
        others = [s for i, s in enumerate(self.scores) if i != index]
        other = max(others, default=0.0)
        ways = [self.words, self.examples, *([self.pieces] if self.pieces is not None else [])]
        agree = sum(1 for w in ways if _first(w) == index and w[index] > 0) / len(ways)
        return (
            min(1.0, score),
            score - other,
            self.share,
            agree,
            min(self.known, KNOWN_CAP) / KNOWN_CAP,
            self.examples[index],
            (score - other) / score if score > 0 else 0.0,
            min(self.telling, 2) / 2,
        )


def _first(values: Sequence[float]) -> int:
    return max(range(len(values)), key=values.__getitem__) if values else -1


@dataclass(frozen=True)
class Calibration:
    """Logistic calibration: P(right) from `FEATURES`; answer only at or above `threshold`."""

    bias: float
    top: float
    margin: float
    coverage: float
    threshold: float
    agree: float = 0.0
    known: float = 0.0
    example: float = 0.0
    lead: float = 0.0
    telling: float = 0.0
    weights: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", tuple(getattr(self, name) for name in FEATURES))

    @classmethod
    def from_weights(cls, bias: float, weights: Sequence[float], threshold: float) -> Calibration:
        named = dict(zip(FEATURES, (round(float(w), 4) for w in weights), strict=True))
        return cls(bias=round(float(bias), 4), threshold=threshold, **named)

    @classmethod
    def load(cls, path: Path, language: str = "en") -> Calibration | None:
        """The calibration for `language` (else the file's "default"), or None."""
        try:
            table = json.loads(path.read_text(encoding="utf-8"))
            data = table.get(language) or table["default"]
            names = ("bias", "threshold", *FEATURES)
            return cls(**{k: float(data[k]) for k in names if k in data})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in ("bias", "threshold", *FEATURES)}

    def of(self, features: Sequence[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def confidence(self, top: float, runner: float, coverage: float) -> float:
        """The older three-input form (top score, runner-up score, coverage)."""
        return self.of((top, top - runner, coverage) + (0.0,) * (len(FEATURES) - 3))

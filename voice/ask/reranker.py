"""A learned re-ranker over the BM25 scores (issue 22, ninth pass; docs/adr/0026).

BM25 weighs a word by how few topics use it at all, so a word that appears once in a review
example ("meet") can outweigh "mum" and "dad", which appear in many topics but mostly in one
("if i end up in care do i still get to meet my mum and dad" went to "Do I have to go to my
review?"). A multinomial logistic regression fitted on the topics' own example phrasings learns
instead how much each word, and each pair of neighbouring words, tells one topic from the rest.
The matcher blends its probability for each topic with the BM25 score (`RERANK_WEIGHT`).

The weights are fitted offline, like the calibration (`python -m bench.bench_ask --fit`, with
scikit-learn, a dev dependency), and stored in `words/reranker.json`; the app only adds them up.
Besides the examples, the fit learns from real public questions that researchers gathered and
labelled (`evaluation.RERANKER_QUESTIONS`, tests/data/ask-public/), each one document of its topic
like an example (eleventh pass): they teach which words real children use without becoming
examples, which BM25 would match word for word (that cost written questions accuracy).
The file records a fingerprint of the content it was fitted on, and a test fails when the
examples or synonyms change without a refit. Content published from the studio between fits
still works: a word the fit never saw adds nothing, and a topic it never saw keeps its BM25
score unblended, so a new topic is not held back until the next fit.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from voice.ask.text import WORDS_DIR

RERANKER_FILE = WORDS_DIR / "reranker.json"
# Chosen on tuning data only (ninth pass): scikit-learn's C 1 against 10, blend weights 0 to 1 in
# tenths, pooled English tuning sources and the researchers' public tuning sites.
REGULARISATION = 1.0
# Weights smaller than this are not stored: 0.01, 0.03 and 0.05 ranked the tuning sources alike
# (85.5%, 85.5%, 85.7% first); 0.03 keeps the file near half a megabyte.
SMALLEST_WEIGHT = 0.03


def features(terms: Sequence[str]) -> list[str]:
    """What the re-ranker reads: each known word (as stemmed), and each pair of neighbours."""
    return [*terms, *(f"{a} {b}" for a, b in pairwise(terms))]


def _short_hash(parts: Iterable[object]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(json.dumps(part, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def fingerprint(
    topics: Iterable[tuple[str, Sequence[str], Sequence[str]]], synonyms: Mapping[str, str]
) -> str:
    """A short hash of what a fit depends on: each topic's id, examples and keywords, and the
    synonym list."""
    parts: list[object] = [[topic_id, list(ex), list(kw)] for topic_id, ex, kw in topics]
    return _short_hash([*parts, sorted(synonyms.items())])


def questions_hash(questions: Iterable[tuple[str, str]]) -> str:
    """A short hash of (topic id, question) pairs a fit learned from besides the content."""
    return _short_hash(list(pair) for pair in questions)


@dataclass(frozen=True)
class Reranker:
    """Per-topic bias and per-feature weights of a multinomial logistic regression."""

    topics: tuple[str, ...]
    bias: tuple[float, ...]
    weights: Mapping[str, Sequence[tuple[int, float]]]  # feature -> [(topic index, weight)]
    fingerprint: str
    # A hash of the researchers' public questions the fit also learned from (`questions_hash`),
    # "" for none: the content's fingerprint cannot see them, as they are not content.
    questions: str = ""

    def probabilities(self, terms: Sequence[str]) -> dict[str, float]:
        """P(topic | the question's known words) for each topic the fit saw. A topic added since
        (in the studio, say) is not in the result: the matcher keeps its BM25 score unblended."""
        z = list(self.bias)
        for feature in features(terms):
            for index, weight in self.weights.get(feature, ()):
                z[index] += weight
        top = max(z, default=0.0)
        exp = [math.exp(v - top) for v in z]
        total = sum(exp) or 1.0
        return {t: e / total for t, e in zip(self.topics, exp, strict=True)}

    def as_dict(self) -> dict[str, object]:
        return {
            "fingerprint": self.fingerprint,
            "questions": self.questions,
            "topics": list(self.topics),
            "bias": list(self.bias),
            "weights": {f: [[i, w] for i, w in pairs] for f, pairs in sorted(self.weights.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Reranker:
        weights = data["weights"]
        assert isinstance(weights, dict)
        return cls(
            topics=tuple(str(t) for t in data["topics"]),  # type: ignore[attr-defined]
            bias=tuple(float(b) for b in data["bias"]),  # type: ignore[attr-defined]
            weights={str(f): tuple((int(i), float(w)) for i, w in pairs) for f, pairs in weights.items()},
            fingerprint=str(data["fingerprint"]),
            questions=str(data.get("questions", "")),
        )

    @classmethod
    def load(cls, path: Path, language: str) -> Reranker | None:
        """The re-ranker fitted for `language`, or None (no file, or none for that language).
        Read once per process while the file is unchanged (every app start asks for it, and
        the file is half a megabyte); a refit file, with a new modification time, is read again."""
        try:
            return _load(path, path.stat().st_mtime_ns, language)
        except OSError:
            return None


@lru_cache(maxsize=4)
def _load(path: Path, _modified: int, language: str) -> Reranker | None:
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
        return Reranker.from_dict(table[language])
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        return None


def reranker_json(rerankers: Mapping[str, Reranker]) -> str:
    """The file's text: one line per feature, so a refit's diff shows which words moved."""
    table = {lang: r.as_dict() for lang, r in sorted(rerankers.items())}
    return json.dumps(table, ensure_ascii=False, separators=(",", ":")).replace('],"', '],\n"') + "\n"

"""BM25 over small documents (a topic's example phrasings, or a whole topic), scored against
what a perfect match on the question's most telling words would get, so scores are 0..1 and a
long, rambling question is not diluted by its filler."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping

BM25_K1 = 1.2
BM25_B = 0.75
PERFECT_TERMS = 2  # known words a perfect match must cover


class Bm25:
    """One index: document frequencies, idf and precomputed postings."""

    def __init__(self, docs: list[list[str]]) -> None:
        self.n = len(docs)
        self.df: Counter[str] = Counter()
        for doc in docs:
            self.df.update(set(doc))
        avgdl = (sum(len(d) for d in docs) / self.n) if self.n else 1.0
        self.idf = {t: self._idf(df) for t, df in self.df.items()}
        # term -> [(doc, saturated tf weight)], precomputed once.
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, doc in enumerate(docs):
            norm = BM25_K1 * (1 - BM25_B + BM25_B * len(doc) / (avgdl or 1.0))
            for term, tf in Counter(doc).items():
                self.postings[term].append((index, tf * (BM25_K1 + 1) / (tf + norm)))

    def _idf(self, df: int) -> float:
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def normalised(self, weights: Mapping[str, float]) -> list[float]:
        """Each document's score over the best score this question could get."""
        scores = [0.0] * self.n
        for doc, score in self.matched(weights).items():
            scores[doc] = score
        return scores

    def matched(self, weights: Mapping[str, float]) -> dict[int, float]:
        """`normalised`, for the documents sharing a word with the question only (thousands of
        example phrasings, of which a question touches a few hundred)."""
        scores: dict[int, float] = defaultdict(float)
        ideal: list[float] = []
        for term, weight in weights.items():
            idf = self.idf.get(term)
            if idf is None:
                continue
            ideal.append(idf * (BM25_K1 + 1))
            for doc, tfw in self.postings.get(term, ()):
                scores[doc] += weight * idf * tfw
        # A perfect match covers the question's few most telling words; filler in a
        # long question should not dilute it.
        perfect = sum(sorted(ideal, reverse=True)[:PERFECT_TERMS])
        if perfect <= 0:
            return dict(scores)
        return {doc: min(1.0, s / perfect) for doc, s in scores.items()}

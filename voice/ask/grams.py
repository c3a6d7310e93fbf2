"""Character n-gram similarity: a second opinion for languages that build long words.

Words are matched whole by BM25 in `matcher.py`. In Polish, Kurdish, Pashto, Dari, Somali or
Tigrinya one word takes many endings (and prefixes), and a child's form is often one no
example uses: "براکانم" (my brothers) where an example has "براکەم" (my brother). Cut into
pieces of three letters ("<بر", "برا", "راک", ...), the two share most pieces.

Each word is cut separately, with its edges marked, so pieces never cross a space. Pieces are
weighted like words (BM25, rare pieces count more) and a question's score against a topic is
the share of what a perfect match would get, 0..1, against the best example and the whole
topic, blended as the word scores are.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

GRAM = 3
_K1 = 1.2
_B = 0.75


def grams(words: Iterable[str]) -> list[str]:
    """The three-letter pieces of each word, with its start and end marked."""
    out: list[str] = []
    for word in words:
        padded = f"<{word}>"
        if len(padded) <= GRAM:
            out.append(padded)
            continue
        out.extend(padded[i : i + GRAM] for i in range(len(padded) - GRAM + 1))
    return out


class _Index:
    def __init__(self, docs: Sequence[list[str]]) -> None:
        self.n = max(len(docs), 1)
        df: Counter[str] = Counter()
        for doc in docs:
            df.update(set(doc))
        avgdl = (sum(len(d) for d in docs) / self.n) or 1.0
        self.idf = {g: math.log(1 + (self.n - c + 0.5) / (c + 0.5)) for g, c in df.items()}
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, doc in enumerate(docs):
            norm = _K1 * (1 - _B + _B * len(doc) / avgdl)
            for g, tf in Counter(doc).items():
                self.postings[g].append((index, tf * (_K1 + 1) / (tf + norm)))

    def normalised(self, query: Counter[str], size: int) -> list[float]:
        scores = [0.0] * size
        perfect = 0.0
        for g, count in query.items():
            idf = self.idf.get(g)
            if idf is None:
                # A piece no topic has still counts against a perfect match.
                perfect += count * math.log(1 + self.n)
                continue
            perfect += count * idf * (_K1 + 1)
            for doc, tfw in self.postings[g]:
                scores[doc] += min(count, 1) * idf * tfw
        if perfect <= 0:
            return scores
        return [min(1.0, s / perfect) for s in scores]


class CharGrams:
    """Piece-wise similarity of a question to each topic (best example and whole topic)."""

    def __init__(self, examples: Sequence[tuple[int, list[str]]], topics: int, topic_weight: float) -> None:
        """`examples`: (topic index, the example's words, stop words taken out)."""
        self.topics = topics
        self.topic_weight = topic_weight
        self._example_topic = [t for t, _ in examples]
        self._examples = _Index([grams(words) for _, words in examples])
        whole: list[list[str]] = [[] for _ in range(topics)]
        for t, words in examples:
            whole[t].extend(grams(words))
        self._whole = _Index(whole)

    def scores(self, words: Sequence[str]) -> list[float]:
        query = Counter(grams(words))
        if not query:
            return [0.0] * self.topics
        best = [0.0] * self.topics
        for doc, score in enumerate(self._examples.normalised(query, len(self._example_topic))):
            t = self._example_topic[doc]
            best[t] = max(best[t], score)
        whole = self._whole.normalised(query, self.topics)
        w = self.topic_weight
        return [w * whole[t] + (1 - w) * best[t] for t in range(self.topics)]

"""Match a child's question, typed in their own words, to an FAQ topic.

Everything runs locally in a few milliseconds; nothing is generated. The answer a
child sees is always an approved topic answer, or an honest "I don't know".

How it works:

1. Normalise: Unicode NFKC, casefold, drop apostrophes, split into words.
2. Fix spelling: a word we have never seen is swapped for the closest known word
   (Damerau–Levenshtein via rapidfuzz, 1 edit for short words, 2 for longer),
   so "socail" becomes "social" but "minecraft" stays unknown (English tries words of
   three letters or more, "cae" -> "care"; other languages four: `Language.min_corrected`).
   Two known words run together are split ("careplan" → "care plan"). Real words are never
   "fixed": the language's common-word list (`words/en_common.txt`) and every
   word of the rights pages and answers are protected, so "dinner" is not
   read as "danger" nor "song" as "long".
3. Expand text-speak and child words with the synonym list ("u" → "you",
   "bro" → "brother", "contact" → "family time"), longest phrase first.
4. Drop little words, and stem lightly ("moving", "moves" → "move").
5. Score every topic with BM25 twice, then blend: against each example phrasing
   (the best one counts) and against the whole topic (examples and keywords
   together). Each score is divided by what a perfect match on the
   question's two most telling words would get, so long, rambling questions are
   not diluted by their filler, and scores are 0..1.
   Translated languages also compare three-letter pieces of words (`grams.py`) and take
   half the score from them, so a new ending on a known word still counts.
   English then blends in a learned re-ranker (`reranker.py`, `RERANK_WEIGHT`): a logistic
   regression fitted on the examples says how much each word, and each pair of neighbours,
   tells one topic from the others, so "mum and dad" outweighs a "meet" used once elsewhere.
6. Multiply by the share of the question's words the content knows at all
   (to the power 1.5): "how do i beat the ender dragon" shares only "beat" with
   any topic, so it scores low even if "beat" matches well.
7. Below `threshold`, or when the only shared words are weak ones ("what",
   "who", "mean": "who are you", "what does lol mean"), return None, unless three or more
   of them stand together in one example ("i need help now"). English weak words are weak
   only as typed: "right" is, "rights" is not.

A `Matcher` holds one language's topics and synonyms. Text handling is in `text.py`,
stemmers in `stemmers.py`, and each language's stop words in `languages.py`
(`language_for` gives any locale code, "fa_AF" included, sensible defaults).
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from rapidfuzz import process
from rapidfuzz.distance import OSA

from voice.ask.confidence import FEATURES, Calibration, Signals
from voice.ask.grams import CharGrams
from voice.ask.languages import LANGUAGES, Language, language_for
from voice.ask.reranker import RERANKER_FILE, Reranker, fingerprint
from voice.ask.stemmers import stem_en
from voice.ask.text import CALIBRATION_FILE, MAX_CHARS, MAX_TOKENS, WORDS_DIR, tokenize
from voice.content.faq import load_faq, load_phrasings, load_synonyms
from voice.content.rights import RightsCatalogue, load_rights

# Re-exported: callers and tests import these from here.
__all__ = [
    "CALIBRATION_FILE", "LANGUAGES", "MAX_CHARS", "MAX_TOKENS", "WORDS_DIR", "Calibration",
    "FallbackMatcher", "Language", "Match", "Matcher", "load_matcher", "stem_en", "tokenize",
]  # fmt: skip

# Tuned on the dev split of tests/data/faq_heldout.jsonl only (see tests/ask/), and
# checked with leave-one-out over the FAQ examples; never on a holdout split.
DEFAULT_THRESHOLD = 0.25
# Blend of whole-topic score (examples + keywords) and best-example score. Raised from
# 0.3 to 0.6 when keywords grew: leave-one-out on the examples went from 61% to 75%.
TOPIC_WEIGHT = 0.6
BM25_K1 = 1.2
BM25_B = 0.75
CORRECTED_WEIGHT = 0.8  # a word we had to fix counts a little less
COVERAGE_POWER = 1.5  # how hard unknown words pull the score down
PERFECT_TERMS = 2  # known words a perfect match must cover
# Share of each topic's score that comes from the learned re-ranker (reranker.py), when the
# matcher has one. Chosen on tuning data only (issue 22, ninth pass; ADR 0026): every English tuning
# source, public ones grouped by site, ranked first 78.8% -> 85.5%; public sites' top-1 46.5% -> 57.0%.
RERANK_WEIGHT = 0.5


class TopicLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def examples(self) -> Sequence[str]: ...
    @property
    def keywords(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Match:
    topic_id: str
    score: float
    runner_up: str | None = None
    # How likely this topic is the right answer (0..1), from `Calibration`: the raw score
    # says how well words overlap, this says how often answers like it were right.
    confidence: float = 0.0


@dataclass(frozen=True)
class _Term:
    text: str
    corrected: bool = False
    word: str = ""  # as typed (after spelling fix and synonyms), before stemming


class Matcher:
    """Matches questions to topics for one language. Build once, reuse."""

    def __init__(
        self,
        topics: Iterable[TopicLike],
        synonyms: Mapping[str, str] | None = None,
        *,
        language: str = "en",
        threshold: float = DEFAULT_THRESHOLD,
        protected: Iterable[str] = (),
        calibration: Calibration | None = None,
        reranker: Reranker | None = None,
    ) -> None:
        """`protected`: more real words never to "correct" (e.g. every word in the
        rights pages and answers), on top of the language's common words."""
        self.language = language_for(language)
        self.threshold = threshold
        self.calibration = calibration
        self.reranker = reranker
        self.topics = list(topics)
        self.fingerprint = fingerprint(
            ((t.id, t.examples, t.keywords) for t in self.topics), dict(synonyms or {})
        )
        self._topic_ids = [t.id for t in self.topics]
        self._synonyms: dict[tuple[str, ...], tuple[str, ...]] = {}
        for variant, canonical in (synonyms or {}).items():
            key = tuple(self._tokenize(variant))
            if key:
                self._synonyms[key] = tuple(self._tokenize(canonical))
        self._longest_phrase = max((len(k) for k in self._synonyms), default=1)

        example_docs: list[list[str]] = []
        example_topic: list[int] = []
        topic_docs: list[list[str]] = []
        raw_words: set[str] = set()
        example_words: list[tuple[int, list[str]]] = []
        for index, topic in enumerate(self.topics):
            # Titles are display text, not phrasings: indexing them would let a
            # title that happens to equal a held-out question inflate accuracy.
            whole: list[str] = []
            for text in topic.examples:
                raw_words.update(self._tokenize(text))
                expanded = self._expand(self._tokenize(text))
                example_words.append((index, [w for w in expanded if w not in self.language.stopwords]))
                terms = self._terms_from_tokens(expanded)
                example_docs.append(terms)
                example_topic.append(index)
                whole.extend(terms)
            for keyword in topic.keywords:
                raw_words.update(self._tokenize(keyword))
                whole.extend(self._terms_from_tokens(self._expand(self._tokenize(keyword))))
            topic_docs.append(whole)

        # Words we will not "correct": anything the content uses, any spelling the
        # synonym list knows, and the little words.
        for phrase, expansion in self._synonyms.items():
            raw_words.update(phrase)
            raw_words.update(expansion)
        raw_words.update(self.language.stopwords)
        self._correctable = sorted(w for w in raw_words if len(w) >= 3 and w.isalpha())
        self._known_content = {w for w in self._correctable if w not in self.language.stopwords}
        real_words = set(self.language.common_words)
        for text in protected:
            real_words.update(self._tokenize(text))
        self._known = raw_words | real_words
        self._known_stems = {self.language.stem(w) for w in self._known}
        self._corrections: dict[str, tuple[str, ...] | None] = {}

        self._examples = _Bm25(example_docs)
        self._example_sets = [frozenset(doc) for doc in example_docs]
        self._example_topic = example_topic
        self._whole = _Bm25(topic_docs)
        self._scripts = _scripts_of(self._whole.df)
        self._grams = (
            CharGrams(example_words, len(self.topics), TOPIC_WEIGHT)
            if self.language.char_weight > 0
            else None
        )

    # -- public API --

    def match(self, question: str) -> Match | None:
        """The best topic for `question`, or None when nothing fits well enough.

        With a calibration, "well enough" is a calibrated confidence; without one, the raw
        score against `threshold`.
        """
        found = self.match_all(question, k=2)
        if not found:
            return None
        # Only weak words shared ("who are you", "what does lol mean"): declined outright, unless
        # the calibration weighs telling words itself; nothing known at all ("a") always is.
        weighs_telling = self.calibration is not None and self.calibration.telling != 0
        if not (self._knows_a_word(question) if weighs_telling else self._has_telling_word(question)):
            return None
        best = found[0]
        if self.calibration is not None:
            return best if best.confidence >= self.calibration.threshold else None
        return best if best.score >= self.threshold else None

    def match_all(self, question: str, k: int = 3) -> list[Match]:
        """Up to `k` topics, best first, whatever their score (for "did you mean…")."""
        signals = self.signals(question)
        scores = signals.scores
        ranked = sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: -scores[i])
        ranked = ranked[: max(k, 0)]
        out = []
        for pos, i in enumerate(ranked):
            runner = ranked[pos + 1] if pos + 1 < len(ranked) else None
            out.append(
                Match(
                    topic_id=self._topic_ids[i],
                    score=round(min(1.0, scores[i]), 4),
                    runner_up=self._topic_ids[runner] if runner is not None else None,
                    confidence=round(self._confidence(signals, i), 4),
                )
            )
        return out

    def features(self, question: str) -> tuple[float, ...]:
        """The calibration's inputs for the best topic (`confidence.FEATURES`)."""
        signals = self.signals(question)
        best = max(range(len(signals.scores)), key=signals.scores.__getitem__, default=0)
        return signals.features(best) if signals.scores else (0.0,) * len(FEATURES)

    def _confidence(self, signals: Signals, index: int) -> float:
        # The best is measured against the runner-up; the others against the best.
        if self.calibration is None:
            return min(1.0, signals.scores[index])
        return self.calibration.of(signals.features(index))

    def scores(self, question: str) -> list[float]:
        """A 0..1 score for every topic, in topic order."""
        return list(self.signals(question).scores)

    def signals(self, question: str) -> Signals:
        """Every topic's scores, each way, and how much of the question the content knows."""
        n = len(self.topics)
        zero = [0.0] * n
        if not isinstance(question, str):
            return Signals(zero, zero, zero, None, 0.0, 0)
        terms = self.analyse(question)
        if not terms:
            return Signals(zero, zero, zero, None, 0.0, 0)
        weights = self._query_weights(terms)
        whole = self._whole.normalised(weights)
        best_example = [0.0] * n
        for doc, score in self._examples.matched(weights).items():
            t = self._example_topic[doc]
            if score > best_example[t]:
                best_example[t] = score
        # Words the content never uses are evidence the question is about something
        # else ("what's the best minecraft seed"), less so in a long question. A word in a
        # script this language's content is not written in ("can i see my ভাই" on an English
        # page) is no evidence either way: it is left out of the share, not counted against,
        # while such words are a minority (a question mostly in another script is that other
        # language's to answer: English behind a Dari page must not judge its two Latin words).
        judged = [t for t in terms if _script(t.text) in self._scripts]
        if len(judged) * 2 <= len(terms):
            judged = terms
        known = sum(1 for t in judged if t.text in self._whole.df)
        share = known / len(judged)
        coverage = share**COVERAGE_POWER
        scores = [TOPIC_WEIGHT * whole[t] + (1 - TOPIC_WEIGHT) * best_example[t] for t in range(n)]
        pieces = None
        if self._grams is not None:
            # Languages that build long words also compare pieces of words (grams.py).
            cw = self.language.char_weight
            pieces = self._grams.scores([t.word for t in terms])
            scores = [(1 - cw) * s + cw * p for s, p in zip(scores, pieces, strict=True)]
        if self.reranker is not None:
            learned = self.reranker.probabilities(self.known_terms(terms))
            scores = [
                (1 - RERANK_WEIGHT) * s + RERANK_WEIGHT * learned[t] if t in learned else s
                for s, t in zip(scores, self._topic_ids, strict=True)
            ]
        telling = sum(1 for t in terms if self._tells(t))
        return Signals([coverage * s for s in scores], whole, best_example, pieces, share, known, telling)

    def known_terms(self, terms: Sequence[_Term]) -> list[str]:
        """The words of `analyse`'s result the topics use, in order: what the re-ranker reads."""
        return [t.text for t in terms if t.text in self._whole.df]

    def _has_telling_word(self, question: str) -> bool:
        """Whether the question shares a word with the topics that is not a weak word, or is
        made only of three or more known words that one example phrasing has together ("i need
        help now", "do they have to do what i want": weak words each, a question as a whole).
        Two are not enough: "what does lol mean" shares "what" and "mean" with an example.
        Grouped cross-validation (issue 22, sixth pass): top-1 90.6% -> 90.9%, confident-wrong
        level at 15.4%; with two words, "what does lol mean" and "what day is it" got through."""
        terms = self.analyse(question)
        if any(self._tells(t) for t in terms):
            return True
        known = {t.text for t in terms if len(t.text) > 1 and t.text in self._whole.df}
        if len(known) < 3 or len(known) < len(terms):
            return False
        return any(known <= words for words in self._example_sets)

    def _knows_a_word(self, question: str) -> bool:
        return any(len(t.text) > 1 and t.text in self._whole.df for t in self.analyse(question))

    def _tells(self, term: _Term) -> bool:
        """A known word that is not a weak one. A single letter never tells (Latin-script
        Kurdish or Somali examples contain "a" and "u")."""
        if len(term.text) <= 1 or term.text not in self._whole.df:
            return False
        exact = self.language.weak_as_typed
        if exact is not None:
            return term.word not in exact
        return term.text not in self.language.weak_words

    def analyse(self, question: str) -> list[_Term]:
        """The question as the matcher sees it (useful when tuning content)."""
        fixed: list[tuple[str, bool]] = []
        for tok in self._tokenize(question):
            better = self._correct(tok)
            if better:
                fixed.extend((word, True) for word in better)
            else:
                fixed.append((tok, False))
        expanded = self._expand_marked(fixed)
        out = []
        seen = set()
        for tok, corrected in expanded:
            if tok in self.language.stopwords:
                continue
            term = self.language.stem(tok)
            if term not in seen:
                seen.add(term)
                out.append(_Term(term, corrected, tok))
        return out

    def surface(self, text: str) -> str:
        """`text` after case folding and synonym expansion, before spelling fixes,
        stop words and stems: how tests tell a copied example from a new question."""
        return " ".join(self._expand(self._tokenize(text)))

    # -- internals --

    def _tokenize(self, text: str) -> list[str]:
        return tokenize(text, fold=self.language.fold)

    def _terms_from_tokens(self, tokens: list[str]) -> list[str]:
        return [self.language.stem(t) for t in tokens if t not in self.language.stopwords]

    def _expand(self, tokens: list[str]) -> list[str]:
        return [t for t, _ in self._expand_marked([(t, False) for t in tokens])]

    def _expand_marked(self, tokens: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
        out: list[tuple[str, bool]] = []
        i = 0
        words = [t for t, _ in tokens]
        while i < len(tokens):
            for n in range(min(self._longest_phrase, len(tokens) - i), 0, -1):
                canonical = self._synonyms.get(tuple(words[i : i + n]))
                if canonical is not None:
                    flag = any(c for _, c in tokens[i : i + n])
                    out.extend((c, flag) for c in canonical)
                    i += n
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out

    def _correct(self, token: str) -> tuple[str, ...] | None:
        """The known word(s) a misspelt token most likely meant, or None.

        Two known words run together ("careplan", "schoolwork") are split.
        """
        if token in self._corrections:
            return self._corrections[token]
        if (
            token in self._known
            or len(token) < self.language.min_corrected
            or not token.isalpha()
            or self.language.stem(token) in self._known_stems
        ):
            return None
        best = self._split_compound(token) or self._closest(token)
        if len(self._corrections) < 10_000:
            self._corrections[token] = best
        return best

    def _split_compound(self, token: str) -> tuple[str, ...] | None:
        for cut in range(3, len(token) - 2):
            head, tail = token[:cut], token[cut:]
            if head in self._known_content and tail in self._known_content:
                return (head, tail)
        return None

    def _closest(self, token: str) -> tuple[str, ...] | None:
        max_edits = 1 if len(token) <= 5 else 2
        candidates = process.extract(
            token,
            self._correctable,
            scorer=OSA.distance,
            score_cutoff=max_edits,
            limit=8,
        )
        best = None
        if candidates:
            # Closest first; then keep the first letter (children rarely get it
            # wrong); then the word the content uses most.
            best = min(
                candidates,
                key=lambda c: (
                    c[1],
                    c[0][0] != token[0],
                    -self._whole.df.get(self.language.stem(c[0]), 0),
                ),
            )[0]
        return (best,) if best else None

    def _query_weights(self, terms: list[_Term]) -> dict[str, float]:
        """Known terms and how much each counts when it matches."""
        return {
            term.text: CORRECTED_WEIGHT if term.corrected else 1.0
            for term in terms
            if term.text in self._whole.df
        }


class _Bm25:
    """BM25 over small documents, scored relative to a perfect match."""

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


def _script(word: str) -> str:
    """The Unicode script of a word's first letter ("LATIN", "BENGALI", "ARABIC"...)."""
    for ch in word:
        if ch.isalpha():
            return unicodedata.name(ch, "UNKNOWN").split(" ")[0]
    return "NONE"


def _scripts_of(vocabulary: Iterable[str], floor: float = 0.05) -> frozenset[str]:
    """The scripts making up at least `floor` of a vocabulary (Latin for a Bengali matcher
    whose examples include romanised Bengali; never a script seen in one stray word)."""
    counts = Counter(_script(w) for w in vocabulary)
    total = max(sum(counts.values()), 1)
    return frozenset(s for s, n in counts.items() if n / total >= floor) | {"NONE"}


def load_matcher(content_dir: Path) -> Matcher:
    """The English matcher for the topics and synonyms in `content_dir/faq/`.

    Every word of the rights pages, glossary and answers is a real word a child may
    use, so none of them is "corrected" into a care word. Questions written by other
    writers in children's voices (content/faq/phrasings/en.yaml) join each topic's examples.
    """
    rights = load_rights(content_dir)
    topics = load_faq(content_dir, rights)
    native = load_phrasings(content_dir, "en", {t.id for t in topics})
    topics = [replace(t, examples=t.examples + native.get(t.id, ())) for t in topics]
    return Matcher(
        topics,
        load_synonyms(content_dir),
        language="en",
        protected=[*_rights_prose(rights), *(t.answer for t in topics)],
        calibration=Calibration.load(CALIBRATION_FILE, "en"),
        reranker=Reranker.load(RERANKER_FILE, "en"),
    )


def _rights_prose(rights: RightsCatalogue) -> Iterable[str]:
    for p in rights.principles:
        yield from (p.title, p.promise, p.summary, p.body)
    for a in rights.articles:
        yield from (a.title, a.summary, a.means, a.example, a.if_not_happening)
    for t in rights.glossary:
        yield from (*t.names, t.definition)


class FallbackMatcher:
    """A language's own matcher, with English behind it: a question typed in English on a
    Bengali page is answered as English would answer it. Whichever is more confident wins;
    ties go to the page's own language."""

    def __init__(self, primary: Matcher, fallback: Matcher) -> None:
        self.primary = primary
        self.fallback = fallback
        self.language = primary.language
        self.calibration = primary.calibration

    def _pick(self, question: str) -> Matcher:
        own = self.primary.match_all(question, k=1)
        other = self.fallback.match_all(question, k=1)
        english_is_surer = other and (not own or other[0].confidence > own[0].confidence)
        if english_is_surer and (
            self.fallback.match(question) is not None or self.primary.match(question) is None
        ):
            return self.fallback
        return self.primary

    def match(self, question: str) -> Match | None:
        return self._pick(question).match(question)

    def match_all(self, question: str, k: int = 3) -> list[Match]:
        return self._pick(question).match_all(question, k=k)

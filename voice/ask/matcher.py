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
stemmers in `stemmers.py`, the spelling fix in `spelling.py`, the BM25 index in `bm25.py`, and
each language's stop words in `languages.py` (`language_for` gives any locale code, "fa_AF"
included, sensible defaults). `loader.load_matcher` builds the English one from content/, and
`fallback.FallbackMatcher` puts English behind another language's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from voice.ask.bm25 import Bm25
from voice.ask.confidence import FEATURES, Calibration, Signals
from voice.ask.grams import CharGrams
from voice.ask.languages import LANGUAGES, Language, language_for
from voice.ask.reranker import Reranker, fingerprint
from voice.ask.spelling import Speller
from voice.ask.stemmers import stem_en
from voice.ask.text import CALIBRATION_FILE, MAX_CHARS, MAX_TOKENS, WORDS_DIR, script_of, scripts_of, tokenize

# Re-exported: callers and tests import these from here.
__all__ = [
    "CALIBRATION_FILE", "LANGUAGES", "MAX_CHARS", "MAX_TOKENS", "WORDS_DIR", "Calibration",
    "Language", "Match", "Matcher", "stem_en", "tokenize",
]  # fmt: skip

# Tuned on the dev split of tests/data/faq_heldout.jsonl only (see tests/ask/), and
# checked with leave-one-out over the FAQ examples; never on a holdout split.
DEFAULT_THRESHOLD = 0.25
# Blend of whole-topic score (examples + keywords) and best-example score. Raised from
# 0.3 to 0.6 when keywords grew: leave-one-out on the examples went from 61% to 75%.
TOPIC_WEIGHT = 0.6
CORRECTED_WEIGHT = 0.8  # a word we had to fix counts a little less
COVERAGE_POWER = 1.5  # how hard unknown words pull the score down
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
        self._synonym_list = dict(synonyms or {})
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
        real_words = set(self.language.common_words)
        for text in protected:
            real_words.update(self._tokenize(text))
        self._examples = Bm25(example_docs)
        self._whole = Bm25(topic_docs)
        self._speller = Speller(
            self.language,
            (w for w in raw_words if len(w) >= 3 and w.isalpha()),
            raw_words | real_words,
            lambda stem: self._whole.df.get(stem, 0),
        )
        self._example_sets = [frozenset(doc) for doc in example_docs]
        self._example_topic = example_topic
        self._scripts = scripts_of(self._whole.df)
        self._grams = (
            CharGrams(example_words, len(self.topics), TOPIC_WEIGHT)
            if self.language.char_weight > 0
            else None
        )

    @cached_property
    def fingerprint(self) -> str:
        """What a re-ranker fitted on this matcher's content records (`reranker.fingerprint`);
        worked out when first asked for: only English has a re-ranker to check it against."""
        return fingerprint(((t.id, t.examples, t.keywords) for t in self.topics), self._synonym_list)

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
        judged = [t for t in terms if script_of(t.text) in self._scripts]
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
            better = self._speller.correct(tok)
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

    def _query_weights(self, terms: list[_Term]) -> dict[str, float]:
        """Known terms and how much each counts when it matches."""
        return {
            term.text: CORRECTED_WEIGHT if term.corrected else 1.0
            for term in terms
            if term.text in self._whole.df
        }

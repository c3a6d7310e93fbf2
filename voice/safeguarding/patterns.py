"""The small phrase language used in content/safeguarding/*.yaml.

A phrase is a list of words separated by spaces, matched against the
normalised words of a message (see `normalise`):

=================  ===========================================================
``hits me``        these words, in this order, next to each other
``punch*``         any word starting "punch" (punch, punched, punching...)
``{person}``       any entry of the word group ``person`` in common.yaml
``(hit|kick*)``    one of the choices; a choice may be several words
``really?``        the word (or ``{group}`` / ``(...)``) may be left out
``...``            up to 3 other words in between
``...6``           up to 6 other words in between (at most 8)
=================  ===========================================================

Words in a phrase go through the same normalisation as messages, so writing
"don't", "dont" or "DON'T" is the same, and "im" means "i am".

A compiled phrase is a regular expression over the message words joined by
single spaces, with a space before the first word and after the last; every
unit of the expression consumes whole words plus their trailing space, so a
phrase can never match part of a word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

MAX_GAP = 8
DEFAULT_GAP = 3
# Words too common to be a useful anchor for the quick pre-filter.
_WEAK_ANCHORS = frozenset(
    {"i", "me", "my", "to", "a", "the", "and", "you", "it", "is", "am", "are", "of", "in", "on"}
    | {"at", "he", "she", "they", "him", "her", "them", "for", "with", "that", "this", "was"}
    | {"be", "do", "so"}
)
_LEXER = re.compile(r"\s+|\.\.\.(\d*)|[()|?]|\{[^{}\s]*\}|[^\s()|?{}]+")


class PatternError(ValueError):
    """A phrase in the YAML is not valid phrase syntax."""


# --- syntax tree --------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Prefix:
    stem: str


@dataclass(frozen=True)
class Choice:
    options: tuple[Seq, ...]


@dataclass(frozen=True)
class Optional:
    item: Node


@dataclass(frozen=True)
class Gap:
    size: int


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]


Node = Words | Prefix | Choice | Optional | Gap | Seq

# One anchor is ("w", word) or ("p", prefix); a pattern needs at least one of
# its anchors to be present in a message before the regex is even tried.
Anchor = tuple[str, str]


@dataclass(frozen=True)
class Compiled:
    source: str
    regex: re.Pattern[str]
    literals: frozenset[str]
    anchors: frozenset[Anchor] | None


# --- parsing ------------------------------------------------------------------


class _Parser:
    def __init__(
        self,
        source: str,
        normalise_word: Callable[[str], list[str]],
        groups: Mapping[str, Choice],
    ) -> None:
        self.source = source
        self.normalise_word = normalise_word
        self.groups = groups
        self.tokens = self._lex(source)
        self.pos = 0

    def _lex(self, source: str) -> list[str]:
        tokens = []
        pos = 0
        while pos < len(source):
            match = _LEXER.match(source, pos)
            if match is None:  # pragma: no cover - the lexer accepts every character
                raise PatternError(f"cannot read {source[pos:]!r}")
            if not match.group().isspace():
                tokens.append(match.group())
            pos = match.end()
        return tokens

    def fail(self, message: str) -> PatternError:
        return PatternError(f"{message} in phrase {self.source!r}")

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self) -> Seq:
        seq = self.sequence(top=True)
        if self.peek() is not None:
            raise self.fail(f"unexpected {self.peek()!r}")
        if not any(_required(item) for item in seq.items):
            raise self.fail("a phrase needs at least one word that is not optional")
        if isinstance(seq.items[0], Gap) or isinstance(seq.items[-1], Gap):
            raise self.fail("'...' must sit between words")
        return seq

    def sequence(self, *, top: bool) -> Seq:
        items: list[Node] = []
        while (token := self.peek()) is not None and token not in (")", "|"):
            if token.startswith("..."):
                if not top:
                    raise self.fail("'...' cannot be used inside ( )")
                self.pos += 1
                size = int(token[3:]) if token[3:] else DEFAULT_GAP
                if not 1 <= size <= MAX_GAP:
                    raise self.fail(f"a gap must be 1 to {MAX_GAP} words")
                if items and isinstance(items[-1], Gap):
                    raise self.fail("two gaps in a row")
                items.append(Gap(size))
                continue
            item = self.atom()
            if self.peek() == "?":
                self.pos += 1
                item = Optional(item)
            items.append(item)
        if not items:
            raise self.fail("empty phrase or empty choice")
        return Seq(tuple(items))

    def atom(self) -> Node:
        lexeme = self.tokens[self.pos]
        self.pos += 1
        if lexeme == "(":
            options = [self.sequence(top=False)]
            while self.peek() == "|":
                self.pos += 1
                options.append(self.sequence(top=False))
            if self.peek() != ")":
                raise self.fail("missing ')'")
            self.pos += 1
            return Choice(tuple(options))
        if lexeme.startswith("{"):
            name = lexeme[1:-1]
            if name not in self.groups:
                raise self.fail(f"unknown word group {lexeme}")
            return self.groups[name]
        if lexeme == "?":
            raise self.fail("'?' must follow a word, group or ( )")
        if lexeme.endswith("*"):
            stem_words = self.normalise_word(lexeme[:-1])
            if len(stem_words) != 1 or len(stem_words[0]) < 3 or "*" in lexeme[:-1]:
                raise self.fail(f"{lexeme!r}: a word* stem must be one word of 3+ letters")
            return Prefix(stem_words[0])
        words = self.normalise_word(lexeme)
        if not words:
            raise self.fail(f"{lexeme!r} has no letters or digits")
        return Words(tuple(words))


def _required(node: Node) -> bool:
    return not isinstance(node, Optional | Gap)


def parse_choice(
    entries: list[str],
    normalise_word: Callable[[str], list[str]],
    groups: Mapping[str, Choice],
) -> Choice:
    """Parse the entries of a word group (each entry is a small phrase, no gaps)."""
    options = []
    for entry in entries:
        parser = _Parser(entry, normalise_word, groups)
        seq = parser.sequence(top=False)
        if parser.peek() is not None:
            raise parser.fail(f"unexpected {parser.peek()!r}")
        options.append(seq)
    return Choice(tuple(options))


# --- compiling ----------------------------------------------------------------


def _regex(node: Node, greedy: bool, memo: dict[int, str] | None = None) -> str:
    """Regex text for a node. `memo` shares the (large) text of word groups."""
    if memo is None:
        memo = {}
    if isinstance(node, Choice):
        key = id(node)
        if key not in memo:
            memo[key] = "(?:" + "|".join(_regex(o, greedy, memo) for o in node.options) + ")"
        return memo[key]
    if isinstance(node, Words):
        return "".join(re.escape(word) + " " for word in node.words)
    if isinstance(node, Prefix):
        return re.escape(node.stem) + "[^ ]* "
    if isinstance(node, Optional):
        return "(?:" + _regex(node.item, greedy, memo) + ")?"
    if isinstance(node, Gap):
        return f"(?:[^ ]+ ){{0,{node.size}}}" + ("" if greedy else "?")
    assert isinstance(node, Seq)
    return "".join(_regex(item, greedy, memo) for item in node.items)


def _literals(node: Node, out: set[str]) -> None:
    if isinstance(node, Words):
        out.update(node.words)
    elif isinstance(node, Choice):
        cached = _CHOICE_LITERALS.get(id(node))
        if cached is None or cached[0] is not node:
            words: set[str] = set()
            for option in node.options:
                _literals(option, words)
            cached = _CHOICE_LITERALS[id(node)] = (node, frozenset(words))
        out.update(cached[1])
    elif isinstance(node, Optional):
        _literals(node.item, out)
    elif isinstance(node, Seq):
        for item in node.items:
            _literals(item, out)


# Word groups are shared by hundreds of phrases; remember their words.
# Entries keep the node alive, so an id is never reused for another node.
_CHOICE_LITERALS: dict[int, tuple[Choice, frozenset[str]]] = {}
_CHOICE_ANCHORS: dict[int, tuple[Choice, frozenset[Anchor] | None]] = {}


def _anchors(node: Node) -> frozenset[Anchor] | None:
    """Words of which at least one must occur in any text the node matches."""
    if isinstance(node, Words):
        best = min(node.words, key=lambda w: (w in _WEAK_ANCHORS, -len(w)))
        return frozenset({("w", best)})
    if isinstance(node, Prefix):
        return frozenset({("p", node.stem)})
    if isinstance(node, Choice):
        cached = _CHOICE_ANCHORS.get(id(node))
        if cached is None or cached[0] is not node:
            found: set[Anchor] = set()
            for option in node.options:
                anchors = _anchors(option)
                if anchors is None:
                    cached = _CHOICE_ANCHORS[id(node)] = (node, None)
                    break
                found |= anchors
            else:
                cached = _CHOICE_ANCHORS[id(node)] = (node, frozenset(found))
        return cached[1]
    if isinstance(node, Seq):
        candidates = [a for item in node.items if _required(item) and (a := _anchors(item))]
        if not candidates:
            return None
        return min(candidates, key=lambda a: (sum(w in _WEAK_ANCHORS for _, w in a), len(a)))
    return None


def compile_phrase(
    source: str,
    normalise_word: Callable[[str], list[str]],
    groups: Mapping[str, Choice],
    *,
    greedy: bool = False,
) -> Compiled:
    """Compile one phrase.

    Concern phrases use short (lazy) gaps so a match covers as few words as
    possible; benign phrases use long (greedy) gaps so that they cover as much
    of the everyday expression as possible.
    """
    if not isinstance(source, str) or not source.strip():
        raise PatternError(f"a phrase must be non-empty text, not {source!r}")
    tree = _Parser(source, normalise_word, groups).parse()
    literals: set[str] = set()
    _literals(tree, literals)
    return Compiled(
        source=source,
        regex=re.compile("(?<= )" + _regex(tree, greedy)),
        literals=frozenset(literals),
        anchors=_anchors(tree),
    )

"""Load and validate the reviewed phrase lists in content/safeguarding/.

The directory holds ``common.yaml`` (word groups, text-speak, negation and
misspelling settings) and one ``<category>.yaml`` per concern category. Every
problem is reported as a `ValueError` that names the file and the entry, so a
broken list stops the service at start-up instead of silently missing a child's
words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voice import strict_yaml
from voice.safeguarding.normalise import Lexicon, clean_unicode, squash, words_of
from voice.safeguarding.patterns import Choice, Compiled, PatternError, compile_phrase, parse_choice

# The C safe loader when PyYAML was built with libyaml: same results, much faster.
COMMON_FILE = "common.yaml"
_COMMON_KEYS = {
    "version",
    "groups",
    "textspeak",
    "kept_as_written",
    "negation",
    "fuzzy",
    "contexts",
    "sequences",
}
_CONTEXT_KEYS = {"name", "all", "unless", "keep", "why", "classifier_reads_soon"}
_CATEGORY_KEYS = {"version", "category", "title", "negation", "patterns", "benign"}
_PATTERN_KEYS = {"match", "all", "why", "negatable"}
_BENIGN_KEYS = {"match", "why", "unless"}


@dataclass(frozen=True)
class Rule:
    """One reviewed entry: fires when all its phrases match (and are not cancelled)."""

    id: str
    category: str
    phrases: tuple[Compiled, ...]
    why: str
    negatable: bool

    @property
    def source(self) -> str:
        return " + ".join(phrase.source for phrase in self.phrases)


@dataclass(frozen=True)
class Exception_:
    """A benign use: concern matches it overlaps are ignored, `unless` any of `unless` match."""

    id: str
    category: str
    phrase: Compiled
    unless: tuple[Compiled, ...]
    why: str


@dataclass(frozen=True)
class Context:
    """A benign context for the whole message: when every phrase group in `all` occurs and
    no `unless` phrase does, phrase matches are set aside (categories in `keep` excepted)."""

    name: str
    all: tuple[tuple[Compiled, ...], ...]
    unless: tuple[Compiled, ...]
    keep: frozenset[str]
    why: str
    # True: in this context the classifier alone marks "please read soon", never an alert.
    classifier_reads_soon: bool = False


@dataclass(frozen=True)
class Negation:
    cues: frozenset[str]
    reset: frozenset[str]
    window: int
    not_negating: tuple[tuple[str, ...], ...]
    negative_words: frozenset[str]


@dataclass(frozen=True)
class Phrasebook:
    lexicon: Lexicon
    negation: Negation
    rules: tuple[Rule, ...]
    exceptions: tuple[Exception_, ...]
    versions: Mapping[str, str]
    fingerprint: str
    contexts: tuple[Context, ...] = ()


class _Context:
    """Formats errors as 'file: where: what'."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, where: str, message: str) -> ValueError:
        return ValueError(f"{self.path}: {where}: {message}")


def _read(path: Path) -> tuple[dict[str, Any], bytes]:
    raw = path.read_bytes()
    try:
        data = strict_yaml.parse(raw.decode("utf-8"), source=str(path))
    except (strict_yaml.YamlError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not valid UTF-8 YAML: {exc.__cause__ or exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the file must be a YAML mapping with a 'version' field")
    return data, raw


def _check_keys(ctx: _Context, where: str, data: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(map(str, data)) - allowed)
    if unknown:
        raise ctx.error(where, f"unknown field(s) {unknown}; allowed: {sorted(allowed)}")


def _version(ctx: _Context, data: Mapping[str, Any]) -> str:
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int | str) or not str(version).strip():
        raise ctx.error("version", "every file needs a top-level 'version' (a number or text)")
    return str(version)


def _str_list(ctx: _Context, where: str, value: Any, *, allow_empty: bool = False) -> list[str]:
    if not isinstance(value, list) or (not value and not allow_empty):
        raise ctx.error(where, "must be a non-empty list of text")
    for index, item in enumerate(value):
        if isinstance(item, bool):
            raise ctx.error(
                f"{where}[{index}]",
                f'YAML read this as {item!r}; put quotes round words like "no", "yes", "on", "off"',
            )
        if not isinstance(item, str) or not item.strip():
            raise ctx.error(f"{where}[{index}]", f"must be non-empty text, not {item!r}")
    return value


def _one_word(ctx: _Context, where: str, text: str, lexicon: Lexicon) -> str:
    words = words_of(text, lexicon)
    if len(words) != 1:
        raise ctx.error(where, f"{text!r} must be a single word")
    return words[0]


def _load_lexicon(ctx: _Context, data: Mapping[str, Any]) -> Lexicon:
    plain = Lexicon()
    textspeak_raw = data.get("textspeak", {})
    if not isinstance(textspeak_raw, dict):
        raise ctx.error("textspeak", "must be a mapping of short form: meaning")
    textspeak: dict[str, tuple[str, ...]] = {}
    for key, value in textspeak_raw.items():
        if not isinstance(key, str) or not isinstance(value, str) or not value.strip():
            raise ctx.error(f"textspeak[{key!r}]", "both sides must be text")
        cleaned = clean_unicode(key).strip()
        if not cleaned or " " in cleaned:
            raise ctx.error(f"textspeak[{key!r}]", "the short form must be one word")
        expansion = tuple(words_of(value, plain))
        if not expansion:
            raise ctx.error(f"textspeak[{key!r}]", "the meaning has no words")
        textspeak[cleaned] = expansion
        textspeak.setdefault(squash(cleaned), expansion)
    kept = [
        clean_unicode(word).strip()
        for word in _str_list(ctx, "kept_as_written", data.get("kept_as_written", []), allow_empty=True)
    ]
    fuzzy = data.get("fuzzy", {})
    if not isinstance(fuzzy, dict):
        raise ctx.error("fuzzy", "must be a mapping")
    _check_keys(ctx, "fuzzy", fuzzy, {"min_length", "targets", "never_correct"})
    min_length = fuzzy.get("min_length", 5)
    if isinstance(min_length, bool) or not isinstance(min_length, int) or min_length < 4:
        raise ctx.error("fuzzy.min_length", "must be a whole number of at least 4")
    targets = [
        _one_word(ctx, f"fuzzy.targets[{i}]", word, plain)
        for i, word in enumerate(_str_list(ctx, "fuzzy.targets", fuzzy.get("targets", []), allow_empty=True))
    ]
    never = [
        _one_word(ctx, f"fuzzy.never_correct[{i}]", word, plain)
        for i, word in enumerate(
            _str_list(ctx, "fuzzy.never_correct", fuzzy.get("never_correct", []), allow_empty=True)
        )
    ]
    sequences_raw = data.get("sequences", {})
    if not isinstance(sequences_raw, dict):
        raise ctx.error("sequences", "must be a mapping of words: replacement")
    base = Lexicon(textspeak=textspeak, kept_as_written=kept)
    sequences: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key, value in sequences_raw.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ctx.error(f"sequences[{key!r}]", "both sides must be text")
        before, after = tuple(words_of(key, base)), tuple(words_of(value, base))
        if len(before) < 2 or not after:
            raise ctx.error(f"sequences[{key!r}]", "needs at least two words and a replacement")
        sequences[before] = after
    return Lexicon(
        sequences=sequences,
        textspeak=textspeak,
        kept_as_written=kept,
        fuzzy_targets=targets,
        never_correct=never,
        fuzzy_min_length=min_length,
    )


def _load_groups(
    ctx: _Context, data: Mapping[str, Any], normalise_word: Callable[[str], list[str]]
) -> dict[str, Choice]:
    raw = data.get("groups", {})
    if not isinstance(raw, dict):
        raise ctx.error("groups", "must be a mapping of group name: list of words")
    groups: dict[str, Choice] = {}
    for name, entries in raw.items():
        where = f"groups.{name}"
        if not isinstance(name, str) or not name.replace("_", "").isalnum():
            raise ctx.error(where, "group names use letters, digits and _ only")
        entries = [str(e) if isinstance(e, int) and not isinstance(e, bool) else e for e in entries or []]
        try:
            groups[name] = parse_choice(_str_list(ctx, where, entries), normalise_word, groups)
        except PatternError as exc:
            raise ctx.error(where, str(exc)) from exc
    return groups


def _load_negation(ctx: _Context, data: Mapping[str, Any], lexicon: Lexicon) -> Negation:
    raw = data.get("negation")
    if not isinstance(raw, dict):
        raise ctx.error("negation", "must be a mapping with cues, reset, window, not_negating")
    _check_keys(ctx, "negation", raw, {"cues", "reset", "window", "not_negating", "negative_words"})
    window = raw.get("window")
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 6:
        raise ctx.error("negation.window", "must be a whole number from 1 to 6")

    def words(key: str) -> frozenset[str]:
        return frozenset(
            _one_word(ctx, f"negation.{key}[{i}]", word, lexicon)
            for i, word in enumerate(_str_list(ctx, f"negation.{key}", raw.get(key)))
        )

    cues = words("cues")
    not_negating = []
    for i, phrase in enumerate(_str_list(ctx, "negation.not_negating", raw.get("not_negating"))):
        tokens = tuple(words_of(phrase, lexicon))
        if not tokens:
            raise ctx.error(f"negation.not_negating[{i}]", "has no words")
        not_negating.append(tokens)
    return Negation(
        cues=cues,
        reset=words("reset"),
        window=window,
        not_negating=tuple(not_negating),
        negative_words=cues | words("negative_words"),
    )


def _bool(ctx: _Context, where: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ctx.error(where, "must be true or false")
    return value


class _CategoryLoader:
    """Reads one category file; every error names the file and the entry."""

    def __init__(self, ctx: _Context, category: str, compile_: Callable[..., Compiled]) -> None:
        self.ctx = ctx
        self.category = category
        self.compile_ = compile_

    def phrase(self, where: str, source: Any, *, greedy: bool = False) -> Compiled:
        try:
            return self.compile_(source, greedy=greedy)
        except PatternError as exc:
            raise self.ctx.error(where, str(exc)) from exc

    def why(self, where: str, entry: Mapping[str, Any]) -> str:
        text = entry.get("why")
        if not isinstance(text, str) or not text.strip():
            raise self.ctx.error(where, "every entry needs a 'why' so reviewers know its purpose")
        return text.strip()

    def load(self, data: Mapping[str, Any]) -> tuple[list[Rule], list[Exception_]]:
        ctx = self.ctx
        _check_keys(ctx, "top level", data, _CATEGORY_KEYS)
        if data.get("category") != self.category:
            raise ctx.error("category", f"must be {self.category!r} (the file name)")
        negatable = _bool(ctx, "negation", data.get("negation", True))
        entries = data.get("patterns")
        if not isinstance(entries, list) or not entries:
            raise ctx.error("patterns", "must be a non-empty list")
        benign = data.get("benign", [])
        if not isinstance(benign, list):
            raise ctx.error("benign", "must be a list")
        rules = [self.rule(i, entry, negatable) for i, entry in enumerate(entries, start=1)]
        exceptions = [self.exception(i, entry) for i, entry in enumerate(benign, start=1)]
        return rules, exceptions

    def rule(self, index: int, entry: Any, negatable: bool) -> Rule:
        ctx, where = self.ctx, f"patterns[{index}]"
        if not isinstance(entry, dict):
            raise ctx.error(where, "must be a mapping with 'match' (or 'all') and 'why'")
        _check_keys(ctx, where, entry, _PATTERN_KEYS)
        if ("match" in entry) == ("all" in entry):
            raise ctx.error(where, "needs exactly one of 'match' or 'all'")
        phrases: tuple[Compiled, ...]
        if "match" in entry:
            phrases = (self.phrase(f"{where}.match", entry["match"]),)
        else:
            sources = _str_list(ctx, f"{where}.all", entry["all"])
            if len(sources) < 2:
                raise ctx.error(f"{where}.all", "needs at least two phrases")
            phrases = tuple(self.phrase(f"{where}.all[{i}]", s) for i, s in enumerate(sources))
        return Rule(
            id=f"{self.category}:{index}",
            category=self.category,
            phrases=phrases,
            why=self.why(where, entry),
            negatable=negatable and _bool(ctx, f"{where}.negatable", entry.get("negatable", True)),
        )

    def exception(self, index: int, entry: Any) -> Exception_:
        ctx, where = self.ctx, f"benign[{index}]"
        if not isinstance(entry, dict) or "match" not in entry:
            raise ctx.error(where, "must be a mapping with 'match' and 'why'")
        _check_keys(ctx, where, entry, _BENIGN_KEYS)
        unless = _str_list(ctx, f"{where}.unless", entry.get("unless", []), allow_empty=True)
        return Exception_(
            id=f"{self.category}:benign:{index}",
            category=self.category,
            phrase=self.phrase(f"{where}.match", entry["match"], greedy=True),
            unless=tuple(self.phrase(f"{where}.unless[{i}]", s) for i, s in enumerate(unless)),
            why=self.why(where, entry),
        )


def _load_contexts(
    ctx: _Context, data: Mapping[str, Any], compile_: Callable[..., Compiled], categories: tuple[str, ...]
) -> tuple[Context, ...]:
    raw = data.get("contexts", [])
    if not isinstance(raw, list):
        raise ctx.error("contexts", "must be a list")
    out = []
    for index, entry in enumerate(raw, start=1):
        where = f"contexts[{index}]"
        if not isinstance(entry, dict):
            raise ctx.error(where, "must be a mapping with name, all, why")
        _check_keys(ctx, where, entry, _CONTEXT_KEYS)
        why = entry.get("why")
        if not isinstance(why, str) or not why.strip():
            raise ctx.error(where, "every context needs a 'why'")
        groups = entry.get("all")
        if not isinstance(groups, list) or not groups:
            raise ctx.error(f"{where}.all", "must be a non-empty list of phrase lists")

        def compiled(key: str, phrases: Any) -> tuple[Compiled, ...]:
            try:
                return tuple(compile_(p) for p in _str_list(ctx, key, phrases))
            except PatternError as exc:
                raise ctx.error(key, str(exc)) from exc

        keep = _str_list(ctx, f"{where}.keep", entry.get("keep", []), allow_empty=True)
        unknown = sorted(set(keep) - set(categories))
        if unknown:
            raise ctx.error(f"{where}.keep", f"unknown categories {unknown}")
        out.append(
            Context(
                name=str(entry.get("name") or index),
                all=tuple(compiled(f"{where}.all[{i}]", g) for i, g in enumerate(groups)),
                unless=compiled(f"{where}.unless", entry.get("unless", [])) if entry.get("unless") else (),
                keep=frozenset(keep),
                why=why.strip(),
                classifier_reads_soon=_bool(
                    ctx, f"{where}.classifier_reads_soon", entry.get("classifier_reads_soon", False)
                ),
            )
        )
    return tuple(out)


def load(directory: Path, categories: tuple[str, ...]) -> Phrasebook:
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"{directory}: safeguarding phrase directory not found")
    files = {path.name: path for path in sorted(directory.glob("*.yaml"))}
    expected = {COMMON_FILE} | {f"{category}.yaml" for category in categories}
    missing = sorted(expected - set(files))
    if missing:
        raise ValueError(f"{directory}: missing phrase file(s): {', '.join(missing)}")
    unknown = sorted(set(files) - expected)
    if unknown:
        raise ValueError(
            f"{directory}: unexpected file(s) {', '.join(unknown)}; categories are {', '.join(categories)}"
        )

    digest = hashlib.sha256()
    versions: dict[str, str] = {}
    common_path = files[COMMON_FILE]
    common, raw = _read(common_path)
    digest.update(raw)
    ctx = _Context(common_path)
    _check_keys(ctx, "top level", common, _COMMON_KEYS)
    versions[COMMON_FILE] = _version(ctx, common)
    lexicon = _load_lexicon(ctx, common)

    normalised: dict[str, list[str]] = {}

    def normalise_word(word: str) -> list[str]:
        if word not in normalised:
            normalised[word] = words_of(word, lexicon)
        return normalised[word]

    groups = _load_groups(ctx, common, normalise_word)
    negation = _load_negation(ctx, common, lexicon)

    def compile_(source: str, *, greedy: bool = False) -> Compiled:
        return compile_phrase(source, normalise_word, groups, greedy=greedy)

    contexts = _load_contexts(ctx, common, compile_, categories)
    rules: list[Rule] = []
    exceptions: list[Exception_] = []
    for category in categories:
        path = files[f"{category}.yaml"]
        data, raw = _read(path)
        digest.update(raw)
        ctx = _Context(path)
        versions[path.name] = _version(ctx, data)
        category_rules, category_exceptions = _CategoryLoader(ctx, category, compile_).load(data)
        rules.extend(category_rules)
        exceptions.extend(category_exceptions)

    known: set[str] = set()
    for rule in rules:
        for phrase in rule.phrases:
            known |= phrase.literals
    for exception in exceptions:
        known |= exception.phrase.literals
    return Phrasebook(
        lexicon=lexicon.with_known_words(known),
        negation=negation,
        rules=tuple(rules),
        exceptions=tuple(exceptions),
        versions=versions,
        fingerprint=digest.hexdigest()[:16],
        contexts=contexts,
    )

"""Concern detector: measured quality on the labelled set, the issue's examples,
hostile input, and validation of the phrase lists.

The evaluation set (tests/data/safeguarding_eval.jsonl) was written before the
phrase lists. Lines marked "dev" could be looked at while the lists were tuned;
"holdout" lines were written in one go and only measured at the end. Quality
is reported and enforced for the whole set and for the holdout on its own.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from voice.safeguarding.detector import CATEGORIES, Detection, Detector
from voice.safeguarding.normalise import Lexicon, words_of

ROOT = Path(__file__).resolve().parents[2]
PHRASES = ROOT / "content" / "safeguarding"
EVAL = ROOT / "tests" / "data" / "safeguarding_eval.jsonl"

MIN_RECALL = 0.97
MAX_FALSE_POSITIVE_RATE = 0.10


@cache
def detector() -> Detector:
    return Detector.from_directory(PHRASES)


@cache
def eval_rows() -> tuple[dict, ...]:
    rows = []
    for number, line in enumerate(EVAL.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            row["line"] = number
            rows.append(row)
    return tuple(rows)


# --- measured quality -----------------------------------------------------------


@dataclass(frozen=True)
class Quality:
    concerning: int
    ordinary: int
    missed: tuple[str, ...]
    false_alarms: tuple[str, ...]
    per_category: dict[str, tuple[int, int, int]]  # total, flagged, right category

    @property
    def recall(self) -> float:
        return 1 - len(self.missed) / self.concerning

    @property
    def false_positive_rate(self) -> float:
        return len(self.false_alarms) / self.ordinary


def measure(rows: tuple[dict, ...]) -> Quality:
    missed, false_alarms = [], []
    per_category = {c: [0, 0, 0] for c in CATEGORIES}
    for row in rows:
        result = detector().check(row["text"])
        if row["concern"] and not result.concern:
            missed.append(row["text"])
        if not row["concern"] and result.concern:
            false_alarms.append(row["text"])
        for category in row["categories"]:
            counts = per_category[category]
            counts[0] += 1
            counts[1] += result.concern
            counts[2] += category in result.categories
    return Quality(
        concerning=sum(r["concern"] for r in rows),
        ordinary=sum(not r["concern"] for r in rows),
        missed=tuple(missed),
        false_alarms=tuple(false_alarms),
        per_category={c: tuple(v) for c, v in per_category.items()},
    )


@cache
def quality(split: str) -> Quality:
    rows = eval_rows()
    return measure(rows if split == "all" else tuple(r for r in rows if r["split"] == split))


def report() -> str:
    lines = ["", "Safeguarding detector quality (tests/data/safeguarding_eval.jsonl)"]
    for split in ("all", "dev", "holdout"):
        q = quality(split)
        lines.append(
            f"  {split:<8} recall {q.recall:6.1%} ({q.concerning - len(q.missed)}/{q.concerning})"
            f"   false positives {q.false_positive_rate:5.1%}"
            f" ({len(q.false_alarms)}/{q.ordinary})"
        )
    lines.append("  per category (whole set / holdout): flagged at all, and given this category")
    for category in CATEGORIES:
        cells = []
        for split in ("all", "holdout"):
            total, flagged, right = quality(split).per_category[category]
            cells.append(f"{flagged}/{total} flagged, {right}/{total} category")
        lines.append(f"    {category:<22} {cells[0]:<28} | {cells[1]}")
    for split in ("all",):
        q = quality(split)
        lines.extend(f"  missed: {text}" for text in q.missed)
        lines.extend(f"  false alarm: {text}" for text in q.false_alarms)
    return "\n".join(lines)


def test_quality_report(record_property, capsys) -> None:
    """Print the numbers in every run (not only with -s) and record them for CI."""
    text = report()
    with capsys.disabled():
        print(text)
    for split in ("all", "dev", "holdout"):
        q = quality(split)
        record_property(f"recall_{split}", round(q.recall, 4))
        record_property(f"false_positive_rate_{split}", round(q.false_positive_rate, 4))
    for category in CATEGORIES:
        total, flagged, _ = quality("all").per_category[category]
        record_property(f"recall_{category}", round(flagged / total, 4))


@pytest.mark.parametrize("split", ["all", "holdout"])
def test_recall(split: str) -> None:
    q = quality(split)
    assert q.recall >= MIN_RECALL, f"{split} recall {q.recall:.1%}; missed: {q.missed}"


@pytest.mark.parametrize("split", ["all", "holdout"])
def test_false_positive_rate(split: str) -> None:
    q = quality(split)
    assert q.false_positive_rate <= MAX_FALSE_POSITIVE_RATE, (
        f"{split} false positives {q.false_positive_rate:.1%}: {q.false_alarms}"
    )


# --- the evaluation set itself ------------------------------------------------------


def test_evaluation_set_is_well_formed_and_big_enough() -> None:
    rows = eval_rows()
    for row in rows:
        assert set(row) == {"text", "concern", "categories", "split", "line"}, row["line"]
        assert isinstance(row["text"], str) and row["text"].strip(), row["line"]
        assert row["concern"] is bool(row["categories"]), row["line"]
        assert set(row["categories"]) <= set(CATEGORIES), row["line"]
        assert row["categories"] == sorted(set(row["categories"])), row["line"]
        assert row["split"] in ("dev", "holdout"), row["line"]
    texts = [row["text"] for row in rows]
    assert len(texts) == len(set(texts)), "duplicate texts"
    assert sum(r["concern"] for r in rows) >= 220
    assert sum(not r["concern"] for r in rows) >= 220
    assert sum(r["split"] == "holdout" for r in rows) / len(rows) >= 0.40
    per_category = Counter(c for r in rows for c in r["categories"])
    assert all(per_category[c] >= 12 for c in CATEGORIES), per_category
    for concern in (True, False):
        holdout = [r for r in rows if r["split"] == "holdout" and r["concern"] is concern]
        assert len(holdout) >= 90


def test_phrase_lists_do_not_copy_the_evaluation_set() -> None:
    """Guard against tuning on the test set: no whole eval message (3+ words) may
    appear word for word anywhere in a phrase file, phrases, comments or reasons."""
    plain = Lexicon()
    texts = {" ".join(words_of(row["text"], plain)): row["text"] for row in eval_rows()}
    for path in sorted(PHRASES.glob("*.yaml")):
        raw = re.sub(r"\.\.\.\d*|[{}()|?*]", " ", path.read_text(encoding="utf-8"))
        flat = f" {' '.join(words_of(raw, plain))} "
        for normalised, original in texts.items():
            if normalised.count(" ") >= 2:
                assert f" {normalised} " not in flat, f"{path.name} copies eval text {original!r}"


# --- the issue's own examples and other documented behaviour --------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my carer hits me", "physical-harm"),
        ("kms", "self-harm"),
        ("KMS", "self-harm"),
        ("unalive", "self-harm"),
        ("i want to unalive myself", "self-harm"),
        ("nobody would notice if I was gone", "self-harm"),
        ("everyone would be better off without me", "self-harm"),
        ("wanna die", "self-harm"),
        ("kys", "emotional-harm"),
        ("i relapsed on sh last week", "self-harm"),
        ("I don't feel safe", "unsafe-at-home"),
    ],
)
def test_issue_examples_fire(text: str, category: str) -> None:
    result = detector().check(text)
    assert result.concern
    assert category in result.categories


@pytest.mark.parametrize(
    "text",
    [
        "I killed it at football",
        "dying of laughter",
        "my carer hits the gym",
        "we watched a film about a runaway",
        "I'm not scared of anyone at home",
        "my carer never hits me",
        "shhh it's a surprise",
        "sh*t i forgot my pe kit",
        "she dyed her hair",
    ],
)
def test_issue_benign_examples_do_not_fire(text: str) -> None:
    result = detector().check(text)
    assert not result.concern
    assert result.categories == () and result.rules == ()
    assert result.level in ("none", "uncertain")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # Self-harm is never cancelled by negation (see self-harm.yaml).
        ("I'm not going to kill myself", "self-harm"),
        # Negation is reset by "but", "if", "know"...
        ("i dont know why he hits me", "physical-harm"),
        ("i'm not sure but i think he touched me", "sexual-harm"),
        # Dialect double negatives are emphatic, not denials.
        ("i aint had nothing to eat since friday", "neglect"),
        # "not gonna lie" is not a negation.
        ("not gonna lie my stepdad hits me", "physical-harm"),
        # A benign phrase only cancels what it overlaps.
        ("we watched a film about a runaway. i want to run away too", "missing"),
        ("my carer hits the gym and then she hits me", "physical-harm"),
        # Play-fighting stops being play when it hurts.
        ("my brother punched me for a joke but it really hurt and i was bleeding", "physical-harm"),
    ],
)
def test_negation_and_benign_rules_are_narrow(text: str, category: str) -> None:
    assert category in detector().check(text).categories


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i want to comit sucide", "self-harm"),
        ("someone tuched my privates", "sexual-harm"),
        ("my fostr dad punchd me", "physical-harm"),
        ("he hiiiiits meeee", "physical-harm"),
        ("h3 h1ts m3", "physical-harm"),
        ("i w@nt to k!ll myself", "self-harm"),
        ("ｍｙ ｃａｒｅｒ ｈｉｔｓ ｍｅ", "physical-harm"),
        ("my c\u200barer h\u200dits me", "physical-harm"),
        ("\u202emy carer hits me", "physical-harm"),
    ],
)
def test_misspelt_and_disguised_words(text: str, category: str) -> None:
    assert category in detector().check(text).categories


def test_rapped_is_not_read_as_a_different_word() -> None:
    assert not detector().check("i rapped at the talent show").concern


# --- the public API -----------------------------------------------------------


def test_categories_are_the_agreed_ids() -> None:
    assert CATEGORIES == (
        "physical-harm",
        "sexual-harm",
        "neglect",
        "emotional-harm",
        "self-harm",
        "missing",
        "criminal-exploitation",
        "online-grooming",
        "unsafe-at-home",
        "secret",
    )


def test_detection_shape_and_explanation() -> None:
    result = detector().check("my carer hits me and i want to kill myself, can i tell you a secret")
    assert result.concern is True
    assert result.categories == ("physical-harm", "secret", "self-harm")
    assert len(result.rules) == len(result.categories)
    for rule_id, category in zip(result.rules, result.categories, strict=True):
        info = detector().explain(rule_id)
        assert info.category == category
        assert info.phrase and info.why
        # Rule ids name the reviewed entry, never the child's words.
        assert re.fullmatch(rf"{category}:\d+", rule_id)


def test_versions_and_fingerprint() -> None:
    versions = detector().versions
    assert set(versions) == {"common.yaml"} | {f"{c}.yaml" for c in CATEGORIES}
    assert all(versions.values())
    assert re.fullmatch(r"[0-9a-f]{16}", detector().fingerprint)


def test_deterministic_across_loads() -> None:
    other = Detector.from_directory(PHRASES)
    for row in eval_rows():
        assert other.check(row["text"]) == detector().check(row["text"])


HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b\x00kms",
    "\ud800",
    "\udfff\ud800 my carer hits me \ud800",
    "\u202e\u202dkms\u202c",
    "👨\u200d👩\u200d👧\u200d👦" * 50,
    "🏳️\u200d🌈 kms 🏴\u200d☠️",
    "\ufeff\u200b\u2060",
    "e\u0301\u0302\u0303" * 1000,
    "Z̷̢̛a̸l̵g̶o̷ " * 200,
    "\n\r\t\v\f" * 100,
    "((((({{{{[[[[...|||***???",
    "..." * 10_000,
    "ab" * 50_000,
    "ñ" * 10_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_never_raises(text: str) -> None:
    result = detector().check(text)
    assert isinstance(result, Detection)


def test_one_megabyte_message_is_checked_to_the_end() -> None:
    filler = "school was fine and we had chips " * 32_000
    assert len(filler) >= 1_000_000
    assert not detector().check(filler).concern
    assert "physical-harm" in detector().check(filler + " my carer hits me").categories


def test_non_text_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        detector().check(b"kms")  # type: ignore[arg-type]


def test_fast_enough() -> None:
    texts = [row["text"] for row in eval_rows()]
    detector().check("warm up")
    start = time.perf_counter()
    for text in texts:
        detector().check(text)
    per_message_ms = (time.perf_counter() - start) * 1000 / len(texts)
    assert per_message_ms < 5, f"{per_message_ms:.2f} ms per message"


# --- validation of the phrase lists ------------------------------------------------


@pytest.fixture
def phrase_copy(tmp_path: Path) -> Path:
    target = tmp_path / "safeguarding"
    shutil.copytree(PHRASES, target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_real_lists_load() -> None:
    assert detector().check("my carer hits me").concern


def test_unknown_group_names_file_and_entry(phrase_copy: Path) -> None:
    _replace(phrase_copy / "physical-harm.yaml", '"{person} ... {hit} me"', '"{persn} ... {hit} me"')
    expected = r"physical-harm\.yaml: patterns\[1\]\.match: unknown word group \{persn\}"
    with pytest.raises(ValueError, match=expected):
        Detector.from_directory(phrase_copy)


def test_bad_syntax_names_file_and_entry(phrase_copy: Path) -> None:
    _replace(phrase_copy / "missing.yaml", '"(report*|reported) (me|us)', '"(report*|reported (me|us)')
    with pytest.raises(ValueError, match=r"missing\.yaml: patterns\[\d+\]\.match: missing '\)'"):
        Detector.from_directory(phrase_copy)


def test_entry_without_reason_is_rejected(phrase_copy: Path) -> None:
    path = phrase_copy / "secret.yaml"
    text = path.read_text(encoding="utf-8")
    first_why = re.search(r"\n    why: [^\n]*", text)
    assert first_why
    path.write_text(text.replace(first_why.group(), "", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"secret\.yaml: patterns\[1\]: every entry needs a 'why'"):
        Detector.from_directory(phrase_copy)


def test_missing_category_file_is_rejected(phrase_copy: Path) -> None:
    (phrase_copy / "neglect.yaml").unlink()
    with pytest.raises(ValueError, match=r"missing phrase file\(s\): neglect\.yaml"):
        Detector.from_directory(phrase_copy)


def test_unexpected_file_is_rejected(phrase_copy: Path) -> None:
    (phrase_copy / "bullying.yaml").write_text("version: 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"unexpected file\(s\) bullying\.yaml"):
        Detector.from_directory(phrase_copy)


def test_missing_version_is_rejected(phrase_copy: Path) -> None:
    text = (phrase_copy / "neglect.yaml").read_text(encoding="utf-8")
    (phrase_copy / "neglect.yaml").write_text(re.sub(r"(?m)^version: \d+\n", "", text), encoding="utf-8")
    with pytest.raises(ValueError, match=r"neglect\.yaml: version: every file needs"):
        Detector.from_directory(phrase_copy)


def test_wrong_category_field_is_rejected(phrase_copy: Path) -> None:
    _replace(phrase_copy / "neglect.yaml", "category: neglect", "category: neglekt")
    with pytest.raises(ValueError, match=r"neglect\.yaml: category: must be 'neglect'"):
        Detector.from_directory(phrase_copy)


def test_yaml_booleans_get_a_helpful_message(phrase_copy: Path) -> None:
    _replace(phrase_copy / "common.yaml", '"no", nobody', "no, nobody")
    with pytest.raises(ValueError, match=r"common\.yaml: negation\.cues\[\d+\]: YAML read this as False"):
        Detector.from_directory(phrase_copy)


def test_broken_yaml_is_rejected(phrase_copy: Path) -> None:
    (phrase_copy / "self-harm.yaml").write_text("version: 1\npatterns: [\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"self-harm\.yaml: not valid UTF-8 YAML"):
        Detector.from_directory(phrase_copy)


def test_unknown_field_is_rejected(phrase_copy: Path) -> None:
    _replace(phrase_copy / "secret.yaml", "\npatterns:\n", "\nsevertiy: high\npatterns:\n")
    with pytest.raises(ValueError, match=r"secret\.yaml: top level: unknown field\(s\) \['severtiy'\]"):
        Detector.from_directory(phrase_copy)


def test_missing_directory_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not found"):
        Detector.from_directory(tmp_path / "nope")

"""The concern detector measured on many independent voices, by source it never saw.

tests/data/safeguarding/ holds one file per writing style (a 9-year-old, a 15-year-old's
text-speak, English as a second language, helpline-style letters, regional dialect, online
and gaming slang, rights questions, short review answers, messages about a friend, and
ordinary messages full of hard words). Every line is labelled with its categories ("none"
for ordinary) and tagged with its source.

Leave-one-source-out cross-validation (scripts/train_detector.py): for each source the
classifier is trained on the others only, and the whole detector is measured on the
held-out source. The figures are printed in every run.

Honest limits, also in the report: the phrase lists were edited by someone who had read
every source, so the "rules only" column is not a held-out figure; the "classifier only"
column is. The thresholds were chosen once on the pooled held-out predictions.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from scripts import train_detector
from voice.safeguarding.detector import CATEGORIES, Detector

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "safeguarding"
PHRASES = ROOT / "content" / "safeguarding"

FAIL_BELOW_RECALL = 0.95  # all held-out sources together, and each category: the suite fails below this
# Each source alone. Sources whose misses were read while writing phrase rules sit near 1.0 and
# flatter the figures; the 14 sources folded in on 2026-12-07 (writers T-W, AA-AJ) were not read
# by anyone writing rules, so their leave-one-source-out figures (0.88-0.98) are honest ones for
# new writers, and are kept as measured rather than tuned up to a per-source bar. This floor
# catches a source that breaks, e.g. a normalisation change that stops a style being read.
SOURCE_FLOOR = 0.85
TARGET_RECALL = 0.97  # all independent sources together, held out
TARGET_FALSE_POSITIVE_RATE = 0.05


@cache
def figures() -> dict:
    return train_detector.cross_validate()


@cache
def detector() -> Detector:
    return Detector.from_directory(PHRASES)


def corpus_rows() -> list[dict]:
    rows = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                row = json.loads(line)
                row["where"] = f"{path.name}:{number}"
                rows.append(row)
    return rows


# --- the corpus ----------------------------------------------------------------------


def test_corpus_is_big_varied_labelled_and_tagged() -> None:
    rows = corpus_rows()
    assert len(rows) >= 1000
    sources = Counter(row["source"] for row in rows)
    assert len(sources) >= 8, sources
    assert min(sources.values()) >= 80, sources
    for row in rows:
        assert set(row) >= {"text", "categories", "label", "source"}, row["where"]
        assert row["text"].strip(), row["where"]
        assert set(row["categories"]) <= set(CATEGORIES), row["where"]
        assert row["label"] == ("concern" if row["categories"] else "none"), row["where"]
    texts = Counter(row["text"].lower() for row in rows)
    assert [t for t, n in texts.items() if n > 1] == []  # no message in two sources
    per_category = Counter(c for row in rows for c in row["categories"])
    assert all(per_category[c] >= 20 for c in CATEGORIES), per_category
    assert sum(not row["categories"] for row in rows) >= 400  # plenty of ordinary messages


def test_the_corpus_is_not_in_the_phrase_lists() -> None:
    phrases = " ".join(path.read_text(encoding="utf-8").lower() for path in PHRASES.glob("*.yaml"))
    copied = [r["text"] for r in corpus_rows() if len(r["text"]) > 25 and r["text"].lower() in phrases]
    assert copied == []


# --- held-out figures ------------------------------------------------------------------


def test_cross_validation_report(capsys, record_property) -> None:
    """Print the leave-one-source-out figures in every run and record them for CI."""
    result = figures()
    with capsys.disabled():
        print("\n" + train_detector.markdown(result))
    overall = result["held_out_independent_sources"]
    for key in ("recall", "recall_with_read_soon", "false_positive_rate", "ordinary_marked_read_soon"):
        record_property(f"held_out_{key}", overall[key])
    for category, tally in result["by_category"].items():
        record_property(f"held_out_recall_{category}", tally["recall"])


def test_recall_on_each_held_out_source() -> None:
    by_source = figures()["by_source"]
    low = {
        source: tally["recall"]
        for source, tally in by_source.items()
        if tally["concern_messages"] >= 20 and tally["recall"] < SOURCE_FLOOR
    }
    assert low == {}, f"held-out recall below {SOURCE_FLOOR}: {low}"
    assert figures()["held_out_independent_sources"]["recall"] >= FAIL_BELOW_RECALL


def test_held_out_targets() -> None:
    overall = figures()["held_out_independent_sources"]
    assert overall["recall"] >= TARGET_RECALL, overall
    assert overall["false_positive_rate"] <= TARGET_FALSE_POSITIVE_RATE, overall
    # "Please read soon" is for the unsure few, not a second inbox.
    assert overall["ordinary_marked_read_soon"] <= 0.10, overall


def test_every_category_is_caught_when_held_out() -> None:
    low = {
        c: t["recall"]
        for c, t in figures()["by_category"].items()
        if c != "none" and t["recall"] < FAIL_BELOW_RECALL - 0.05
    }
    assert low == {}, low


def test_committed_classifier_is_what_make_train_detector_makes() -> None:
    """Reproducible: the same corpus, seed and code give the committed weights."""
    committed = json.loads(train_detector.MODEL_PATH.read_text(encoding="utf-8"))
    trained = train_detector.train()
    assert committed["seed"] == trained["seed"] == train_detector.SEED
    assert committed["thresholds"] == trained["thresholds"]
    assert committed["intercept"] == pytest.approx(trained["intercept"], abs=1e-5)
    assert committed["features"].keys() == trained["features"].keys()
    drift = max(abs(committed["features"][k][1] - v[1]) for k, v in trained["features"].items())
    assert drift < 1e-4, "run make train-detector and commit voice/safeguarding/classifier.json"

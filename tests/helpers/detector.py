"""The concern detector as the tests build it: the phrase lists in content/safeguarding/ with
the committed classifier, or the phrase lists alone. Built once per test run."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

from voice.safeguarding.detector import Detector

PHRASES = Path(__file__).resolve().parents[2] / "content" / "safeguarding"


@cache
def detector() -> Detector:
    return Detector.from_directory(PHRASES)


@cache
def rules_only() -> Detector:
    return Detector.from_directory(PHRASES, classifier=False)


def assert_look_alike_silent_and_twin_raised(ordinary: str, concern: str) -> None:
    """A rule's pair: the ordinary look-alike stays quiet, its twin raises a concern."""
    quiet = rules_only().check(ordinary)
    assert not quiet.concern, (ordinary, quiet)
    loud = rules_only().check(concern)
    assert loud.concern, (concern, loud)


def assert_situation_and_look_alike(ordinary: str, concern: str, category: str) -> None:
    """A situation rule's pair: the look-alike is not put in `category`, its twin is a concern in it."""
    quiet = rules_only().check(ordinary)
    assert category not in quiet.categories, (ordinary, quiet)
    loud = rules_only().check(concern)
    assert loud.concern and category in loud.categories, (concern, loud)


# Words the fixed-score classifier knows (weight 0), so the tests' messages read as English.
KNOWN_WORDS = (
    "my carer never hit me we had pasta for tea and watch a film watched a horror last night it was good"
)


def fixed_score_detector(tmp_path: Path, probability: float) -> Detector:
    """The phrase lists with a classifier that gives every message `probability`."""
    path = tmp_path / f"fixed-{probability}.json"
    path.write_text(
        json.dumps(
            {
                "format": "voice-concern-classifier/1",
                "intercept": math.log(probability / (1 - probability)),
                "thresholds": {"concern": 0.75, "read_soon": 0.5, "set_aside_read_soon": 0.4},
                "features": {f"w:{w}": [1.0, 0.0] for w in sorted(set(KNOWN_WORDS.split()))},
            }
        ),
        encoding="utf-8",
    )
    return Detector.from_directory(PHRASES, classifier=path)

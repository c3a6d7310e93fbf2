"""Screening a child's free text for possible concerns. Fails closed.

Detection only ever raises priority: every submission still has a human-review deadline.
If the detector breaks, the text is treated as a concern, logged, and a person looks.

Three outcomes: a concern (an alert), "please read soon" (`read_soon`: the detector could
not judge the words, e.g. another language, emoji only, too long, or its classifier was
unsure; no alarm, but a worker should read it soon), or nothing found.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app

log = logging.getLogger(__name__)

DETECTOR_ERROR = "detector-error"
# The detector is a few regular expressions and a small linear model: milliseconds. Taking longer
# than this means something is wrong with it, so the words are treated as a concern (fails
# closed, THREATS row 41). Checked after each text: a thread cannot be stopped mid-regex.
TIME_BUDGET_SECONDS = 2.0


class DetectorTimeout(Exception):
    pass


@dataclass(frozen=True)
class Screening:
    concern: bool
    categories: tuple[str, ...] = ()
    read_soon: bool = False  # never True together with concern
    reasons: tuple[str, ...] = ()  # why "please read soon"

    @property
    def failed_closed(self) -> bool:
        return DETECTOR_ERROR in self.categories


def _detector():
    return current_app.extensions["voice_content"]["safeguarding"]


def screen(texts: Iterable[str]) -> Screening:
    categories: set[str] = set()
    reasons: set[str] = set()
    unsure = False
    started = time.monotonic()
    try:
        detector = _detector()
        for text in texts:
            if not text:
                continue
            result = detector.check(text)
            if time.monotonic() - started > TIME_BUDGET_SECONDS:
                raise DetectorTimeout(f"over {TIME_BUDGET_SECONDS} s")
            if result.concern:
                categories.update(result.categories)
            elif result.read_soon:
                unsure = True
                reasons.update(result.reasons)
    except Exception:
        # ERROR level is the operations alarm: the service's log alerting pages on it.
        log.exception("ops: safeguarding detector failed; treating the text as a concern")
        return Screening(concern=True, categories=(DETECTOR_ERROR,))
    if categories:
        return Screening(concern=True, categories=tuple(sorted(categories)))
    return Screening(concern=False, read_soon=unsure, reasons=tuple(sorted(reasons)))

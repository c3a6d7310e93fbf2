"""Screening a child's free text for possible concerns. Fails closed.

Detection only ever raises priority: every submission still has a human-review deadline.
If the detector breaks, the text is treated as a concern, logged, and a person looks.

Three outcomes: a concern (an alert), "please read soon" (`read_soon`: the detector could
not judge the words, e.g. another language, emoji only, too long, or its classifier was
unsure; no alarm, but a worker should read it soon), or nothing found.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app

log = logging.getLogger(__name__)

DETECTOR_ERROR = "detector-error"


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
    try:
        detector = _detector()
        for text in texts:
            if not text:
                continue
            result = detector.check(text)
            if result.concern:
                categories.update(result.categories)
            elif result.read_soon:
                unsure = True
                reasons.update(result.reasons)
    except Exception:
        log.exception("safeguarding detector failed; treating the text as a concern")
        return Screening(concern=True, categories=(DETECTOR_ERROR,))
    if categories:
        return Screening(concern=True, categories=tuple(sorted(categories)))
    return Screening(concern=False, read_soon=unsure, reasons=tuple(sorted(reasons)))

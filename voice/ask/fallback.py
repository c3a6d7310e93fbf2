"""A language's own matcher with English behind it."""

from __future__ import annotations

from voice.ask.matcher import Match, Matcher


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

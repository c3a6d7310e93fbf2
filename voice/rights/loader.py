"""The "quiz" content loader: the rights quiz, checked against the rights it asks about."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from voice.content.registry import loader


@loader("quiz")
def _quiz(content_dir: Path) -> Any:
    from voice.content.rights import load_rights
    from voice.rights.quiz import load_quiz

    return load_quiz(content_dir, load_rights(content_dir))

"""The "safeguarding" content loader: the phrase lists in ``content/safeguarding/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from voice.content.registry import loader


@loader("safeguarding")
def _safeguarding(content_dir: Path) -> Any:
    from voice.safeguarding.detector import Detector

    return Detector.from_directory(content_dir / "safeguarding")

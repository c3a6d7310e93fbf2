"""Holding an uploaded export between its preview and the person's "Import now".

The file waits in the instance folder under a random name, readable only by the service, for
at most an hour; it is deleted once imported. Holding it server-side (not in a hidden field)
means the confirmed import is exactly the previewed file.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from flask import current_app

from voice.auth.secrets import new_token

KEEP_SECONDS = 3600
_NAME = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _folder() -> Path:
    folder = Path(current_app.config["VOICE_INSTANCE_DIR"]) / "review_imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.glob("*.csv"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def keep(data: bytes) -> str:
    folder = _folder()
    _sweep(folder)
    name = new_token(24)
    descriptor = os.open(folder / f"{name}.csv", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return name


def load(name: str) -> bytes | None:
    if not _NAME.fullmatch(name or ""):
        return None
    path = _folder() / f"{name}.csv"
    if not path.exists() or path.stat().st_mtime < time.time() - KEEP_SECONDS:
        return None
    return path.read_bytes()


def discard(name: str) -> None:
    if _NAME.fullmatch(name or ""):
        (_folder() / f"{name}.csv").unlink(missing_ok=True)

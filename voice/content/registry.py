"""Load, validate and cache everything in ``content/`` when the app starts.

A broken file stops start-up with a clear message; it must never become an error page on a
child's phone. Each kind of content registers one loader here, with ``@loader(name)``; the
app factory imports the modules that hold loaders (``voice.register_content``), so this module
imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app


class ContentError(RuntimeError):
    """Content failed validation; the message names the file and the item."""


Loader = Callable[[Path], Any]
LOADERS: dict[str, Loader] = {}


def loader(name: str) -> Callable[[Loader], Loader]:
    def register(fn: Loader) -> Loader:
        LOADERS[name] = fn
        return fn

    return register


def load_all(content_dir: Path) -> dict[str, Any]:
    if not content_dir.is_dir():
        raise ContentError(f"content folder {content_dir} does not exist")
    bundle: dict[str, Any] = {}
    for name, fn in LOADERS.items():
        try:
            bundle[name] = fn(content_dir)
        except (ValueError, OSError) as exc:
            raise ContentError(f"{name}: {exc}") from exc
    return bundle


def get(name: str) -> Any:
    """Content of the live version: ``get("flows")``, ``get("rights")`` …"""
    return current_app.extensions["voice_content"][name]

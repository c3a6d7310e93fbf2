"""Small helpers for content tests: copy the real content, then break one thing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


def copy_content(tmp_path: Path) -> Path:
    """A private copy of content/ (rights, glossary, faq) to break safely."""
    target = tmp_path / "content"
    for rel in ("rights", "faq"):
        shutil.copytree(CONTENT_DIR / rel, target / rel)
    shutil.copy(CONTENT_DIR / "glossary.yaml", target / "glossary.yaml")
    return target


def edit_yaml(path: Path, change) -> None:
    """Load a YAML file, let `change` mutate the data, and write it back."""
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def item(items: list[dict], item_id: str) -> dict:
    return next(i for i in items if i["id"] == item_id)

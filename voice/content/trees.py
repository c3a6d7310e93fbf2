"""Content as a tree of files: relative path -> text. Reading, writing and hashing them.

A content version is a tree; its digest (a hash of the canonical JSON) names it. The
safeguarding phrase lists and the notification templates are *file-owned*: they always come
from the deployed files, never from a version (see ``voice.content.versions``).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

FILE_OWNED = ("safeguarding/*.yaml", "notifications.yaml", "routing.yaml")

Tree = dict[str, str]


def read_tree(directory: str | Path) -> Tree:
    """Every ``*.yaml`` file under ``directory``: relative POSIX path → text."""
    root = Path(directory)
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*.yaml"))
        if not any(part.startswith(".") for part in path.relative_to(root).parts)
    }


def is_file_owned(path: str) -> bool:
    posix = PurePosixPath(path)
    return any(posix.match(pattern) for pattern in FILE_OWNED)


def studio_part(tree: Mapping[str, str]) -> Tree:
    """The files a content version holds: everything except the file-owned ones."""
    return {path: text for path, text in sorted(tree.items()) if not is_file_owned(path)}


def tree_digest(tree: Mapping[str, str]) -> str:
    canonical = json.dumps(dict(sorted(tree.items())), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def write_tree(tree: Mapping[str, str], directory: str | Path) -> list[Path]:
    """Write files under ``directory`` (made if missing); returns the paths written."""
    root = Path(directory)
    written = []
    for rel, text in sorted(tree.items()):
        target = root / PurePosixPath(rel)
        if ".." in PurePosixPath(rel).parts or PurePosixPath(rel).is_absolute():
            raise ValueError(f"refusing to write outside the folder: {rel}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def english_hashes(tree: Mapping[str, str]) -> dict[str, str]:
    """{translation context: short hash of its English} for every translatable string."""
    from voice.content.extract import entries_for

    found: dict[str, str] = {}
    for rel, text in sorted(tree.items()):
        try:
            for entry in entries_for(rel, io.BytesIO(text.encode("utf-8"))):
                found[entry.context] = hashlib.sha256(entry.english.encode("utf-8")).hexdigest()[:16]
        except ValueError:
            continue  # malformed files are reported by the loaders, not here
    return found

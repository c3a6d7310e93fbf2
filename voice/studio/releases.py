"""Versions as a whole: history, what changed, rollback, and the export/import round trip.

A rollback never deletes anything: it publishes a *new* version whose files equal an earlier
one, so the history shows what happened and a rollback can itself be undone.

``export`` writes a version's files to a folder (``content/``, for a git review) with a
``.voice-version`` marker naming the version it came from. ``import`` publishes a folder as a
new version, after the same checks as a proposal. If the live version moved on since that
export, import refuses unless forced, so edits made in git never silently undo newer
studio work.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from voice import audit
from voice.content import versions
from voice.extensions import db
from voice.models import ContentVersion
from voice.studio import checks, people

MARKER = ".voice-version"


class ReleaseError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class FileChange:
    path: str
    status: str  # added, removed, changed
    lines: list[str]  # a unified diff, for people to read


def changes_between(old: dict[str, str], new: dict[str, str], *, context: int = 2) -> list[FileChange]:
    found = []
    for path in sorted(set(old) | set(new)):
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        status = "added" if before is None else "removed" if after is None else "changed"
        lines = list(
            difflib.unified_diff(
                (before or "").splitlines(), (after or "").splitlines(), lineterm="", n=context
            )
        )[2:]
        found.append(FileChange(path, status, lines))
    return found


def changes_in(version: ContentVersion) -> list[FileChange]:
    """What this version changed compared with the one it replaced."""
    try:
        previous = versions.tree_of(version.based_on)
    except LookupError:
        previous = {}
    return changes_between(previous, version.files)


def rollback(version_id: int, person: Any, *, note: str | None = None) -> ContentVersion:
    """Publish the files of an earlier version as a new version. Commits."""
    if not people.can_publish(person) and person != people.SYSTEM:
        raise ReleaseError(["Only the participation officer can roll back."])
    try:
        tree = versions.tree_of(version_id)
    except LookupError:
        raise ReleaseError([f"There is no version {version_id}."]) from None
    live = versions.base_ref()
    if versions.tree_digest(versions.studio_part(tree)) == live.digest:
        raise ReleaseError([f"Version {version_id} is the same as the live content."])
    problems = versions.store().check(tree)
    if problems:
        raise ReleaseError([f"Version {version_id} no longer passes today's checks:", *problems])
    row = _create(
        tree, live.id, "rollback", person, note or f"Back to version {version_id}", copied_from=version_id
    )
    audit.record("studio.rolled_back", actor=_actor(person), object_type="content_version", object_id=row.id)
    db.session.commit()
    return row


def export(directory: str | Path, version_id: int | None = None) -> tuple[int, list[str]]:
    """Write a version (default: live) to ``directory``, with the file-owned files too, so the
    folder is a complete ``content/``. Stale studio files there are removed. Returns the
    version id and the paths removed."""
    root = Path(directory)
    ref = versions.live_ref() if version_id is None else versions.ref_for(version_id)
    if ref is None:
        raise ReleaseError([f"There is no version {version_id}."])
    tree = versions.tree_for(ref)
    removed = []
    if root.is_dir():
        for rel in versions.read_tree(root):
            if rel not in tree and not versions.is_file_owned(rel):
                (root / PurePosixPath(rel)).unlink()
                removed.append(rel)
    versions.write_tree({**versions.store().file_owned, **tree}, root)
    (root / MARKER).write_text(f"{ref.id} {ref.digest}\n", encoding="utf-8")
    return ref.id, removed


def import_directory(
    directory: str | Path, *, note: str | None = None, force: bool = False
) -> ContentVersion | None:
    """Publish ``directory`` as a new version (None when it equals the live one). Commits."""
    root = Path(directory)
    if not root.is_dir():
        raise ReleaseError([f"{root} is not a folder."])
    tree = versions.studio_part(versions.read_tree(root))
    live = versions.base_ref()
    if versions.tree_digest(tree) == live.digest:
        return None
    exported_from = _marker(root)
    if not force and live.id != versions.SEED and exported_from != live.id:
        source = f"version {exported_from}" if exported_from is not None else "no exported version"
        raise ReleaseError(
            [
                f"The live content is version {live.id}, but this folder holds {source}. Importing it "
                "would undo studio changes made since. Export again, redo your edits, then import "
                "(or use --force to replace them anyway)."
            ]
        )
    current = versions.tree_for(live)
    problems = versions.store().check(tree) + checks.readability_problems(current, tree)
    if problems:
        raise ReleaseError(["The folder can't be imported:", *problems])
    row = _create(tree, live.id, "import", people.SYSTEM, note or f"Imported from {root.name or root}")
    audit.record("studio.imported", actor="system", object_type="content_version", object_id=row.id)
    db.session.commit()
    return row


def _create(
    tree: dict[str, str], based_on: int, kind: str, person: Any, note: str, **extra: Any
) -> ContentVersion:
    try:
        return versions.create_version(
            tree, based_on=based_on, kind=kind, by=people.key_of(person), note=note, **extra
        )
    except versions.VersionRace:
        raise ReleaseError(["Someone published a change at the same moment. Please try again."]) from None


def _actor(person: Any) -> Any:
    return "system" if person == people.SYSTEM else person


def _marker(root: Path) -> int | None:
    try:
        first = (root / MARKER).read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError):
        return None
    return int(first) if first.isascii() and first.isdigit() else None

"""Content versions: which words are live, and the words each conversation was pinned to.

Version 0 is the files in ``content/`` the app started with. Every publish, rollback or
import in the studio stores a complete copy of the studio-edited files as a
``ContentVersion`` row; the newest row is live. Because the live version is looked up in the
database (once per request, kept on ``g``), every worker process switches to new words as
soon as they are published, with no restart. Each process loads a version once and keeps it.

Not everything under ``content/`` is versioned. The safeguarding phrase lists and the
notification templates are owned by the safeguarding lead and the service, not the council:
they always come from the deployed files, so a studio rollback can never undo a
safeguarding update (``FILE_OWNED``).

A version is loaded by ``voice.content.store`` (files as trees: ``voice.content.trees``).
This module is the Flask side: the app extension, the live version per request, and the
``ContentVersion`` rows.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, ProgrammingError

from voice.content.registry import ContentError
from voice.content.store import (
    KEEP_BUNDLES,
    LOADER_INPUTS,
    SEED,
    ContentStore,
    LiveRef,
    cross_check,
)
from voice.content.trees import (
    FILE_OWNED,
    Tree,
    english_hashes,
    is_file_owned,
    read_tree,
    studio_part,
    tree_digest,
    write_tree,
)

__all__ = [  # the trees and the store, for callers that reach them through versions
    "FILE_OWNED",
    "LOADER_INPUTS",
    "SEED",
    "ContentStore",
    "LiveRef",
    "Tree",
    "cross_check",
    "is_file_owned",
    "read_tree",
    "studio_part",
    "tree_digest",
    "write_tree",
]

log = logging.getLogger("voice.content")


_G_LIVE = "_voice_content_live"
_EXTENSION = "voice_content_store"
_VERSION_RE_PREFIX = "v"

_UNREACHABLE = (OperationalError, InterfaceError)


class VersionRace(RuntimeError):
    """Someone else published from the same live version a moment ago."""


# --------------------------------------------------------------------------- the app


def install(app: Flask) -> None:
    """Load the files (fail fast), then check the live version from the database (fail
    fast too: a version that today's code can't load must stop start-up, not reach a child)."""
    content_dir = Path(app.config["VOICE_CONTENT_DIR"])
    if not content_dir.is_dir():
        raise ContentError(f"content folder {content_dir} does not exist")
    cache_dir = Path(app.instance_path) / "content-versions"
    store = ContentStore(content_dir, cache_dir)
    app.extensions[_EXTENSION] = store
    app.extensions["voice_content"] = LiveContent(app)
    if _recovering(app):
        log.warning("VOICE_CONTENT_RECOVERY is set: serving content/ files, ignoring published versions")
        return
    with app.app_context():
        try:
            ref = _query_live()
        except _UNREACHABLE:
            log.warning("database not reachable at start-up; the live content version is checked later")
            return
        if ref is None or ref.id == SEED:
            return
        try:
            bundle_for(ref)
        except ContentError as error:
            from voice.extensions import db

            db.session.remove()
            db.engine.dispose()  # start-up stops here: leave no connection behind
            raise ContentError(
                f"the live content version v{ref.id} does not pass today's checks:\n{error}\n"
                "Fix it without the web app: VOICE_CONTENT_RECOVERY=1 flask --app voice content "
                "rollback N (or content export DIR, edit, content import DIR)."
            ) from error


def store() -> ContentStore:
    return current_app.extensions[_EXTENSION]


def _recovering(app: Flask) -> bool:
    # Read from the environment as well as config: recovery must work before config.py knows it.
    flag = app.config.get("VOICE_CONTENT_RECOVERY") or os.environ.get("VOICE_CONTENT_RECOVERY")
    return str(flag).lower() in ("1", "true", "yes")


class LiveContent(MutableMapping[str, Any]):
    """``app.extensions["voice_content"]``: the live bundle, looked up on every access.

    Code written before versions existed reads ``current_app.extensions["voice_content"][name]``
    and gets live content. Assigning an item (tests do, with ``monkeypatch.setitem``) overrides
    it for this app until it is set back to the live value or deleted.
    """

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._overrides: dict[str, Any] = {}

    def _live(self) -> dict[str, Any]:
        if has_app_context():
            return live_bundle()
        with self._app.app_context():  # e.g. a test patching content outside a request
            return live_bundle()

    def __getitem__(self, name: str) -> Any:
        if name in self._overrides:
            return self._overrides[name]
        return self._live()[name]

    def __setitem__(self, name: str, value: Any) -> None:
        if self._live().get(name) is value:
            self._overrides.pop(name, None)
        else:
            self._overrides[name] = value

    def __delitem__(self, name: str) -> None:
        del self._overrides[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._live(), *self._overrides]))

    def __len__(self) -> int:
        return len(set(self._live()) | set(self._overrides))


def _query_live() -> LiveRef | None:
    """The newest published version, or None when there is none (or no table yet)."""
    from voice.extensions import db
    from voice.models import ContentVersion

    query = select(ContentVersion.id, ContentVersion.digest).order_by(ContentVersion.id.desc()).limit(1)
    try:
        with db.session.no_autoflush:
            row = db.session.execute(query).first()
    except (OperationalError, ProgrammingError) as error:
        db.session.rollback()
        try:
            exists = inspect(db.engine).has_table(ContentVersion.__tablename__)
        except _UNREACHABLE:
            raise error from None
        if not exists:
            return None  # the database is older than the studio (e.g. during `db upgrade`)
        raise
    return LiveRef(row.id, row.digest) if row is not None else None


def live_ref() -> LiveRef:
    """The live version, looked up at most once per request (or app context).

    If the database can't be reached, the version this process last saw stays live, so pages
    that need no database (Get help now) keep working through an outage.
    """
    if not has_app_context():
        raise RuntimeError("content versions need an app context")
    found = g.get(_G_LIVE)
    if found is None:
        content = store()
        try:
            found = None if _recovering(current_app) else _query_live()
        except _UNREACHABLE:
            log.warning("database not reachable: serving content version v%s", content.last_live.id)
            found = content.last_live
        found = found or LiveRef(SEED, content.seed_digest)
        content.last_live = found
        setattr(g, _G_LIVE, found)
    return found


def base_ref() -> LiveRef:
    """The version a new one is based on: the live one, or in recovery mode (when the
    web app serves the files) the newest in the database."""
    if not _recovering(current_app):
        return live_ref()
    return _query_live() or LiveRef(SEED, store().seed_digest)


def set_live(ref: LiveRef) -> None:
    """After publishing, the rest of this request sees the new version."""
    setattr(g, _G_LIVE, ref)


def forget_live() -> None:
    g.pop(_G_LIVE, None)


def live_bundle() -> dict[str, Any]:
    return bundle_for(live_ref())


def bundle_for(ref: LiveRef, names: tuple[str, ...] | None = None) -> dict[str, Any]:
    content = store()
    if ref.digest == content.seed_digest:
        return content.seed if names is None else {n: content.seed[n] for n in names}
    return content.load(tree_for(ref), names=names)


def tree_of(version_id: int) -> Tree:
    """The studio files of a version (0: the files the app started with). Raises LookupError."""
    ref = ref_for(version_id)
    if ref is None:
        raise LookupError(f"no content version {version_id}")
    return tree_for(ref)


def tree_for(ref: LiveRef) -> Tree:
    """The files of a version, kept per process (they never change once published)."""
    content = store()
    if ref.digest == content.seed_digest:
        return dict(content.seed_tree)
    with content._lock:
        cached = content._trees.get(ref.digest)
    if cached is None:
        row = _row(ref.id)
        if row is None:
            raise LookupError(f"no content version {ref.id}")
        cached = row.files
        with content._lock:
            content._trees[ref.digest] = cached
            while len(content._trees) > KEEP_BUNDLES:
                content._trees.popitem(last=False)
    return dict(cached)


def live_tree() -> Tree:
    return tree_for(live_ref())


def ref_for(version_id: int) -> LiveRef | None:
    if version_id == SEED:
        return LiveRef(SEED, store().seed_digest)
    row = _row(version_id)
    return LiveRef(row.id, row.digest) if row is not None else None


def _row(version_id: int) -> Any:
    from voice.extensions import db
    from voice.models import ContentVersion

    return db.session.get(ContentVersion, version_id)


# --------------------------------------------------------------------------- pinning


def version_string(version_id: int, flow_id: str, flow_version: int) -> str:
    """What a conversation and a submission record: ``v3:pre-review@1``."""
    return f"{_VERSION_RE_PREFIX}{version_id}:{flow_id}@{flow_version}"


def parse_version(value: str | None) -> int | None:
    """The content version id in a pinned string, or None for strings from before versions."""
    if not value or not value.startswith(_VERSION_RE_PREFIX) or ":" not in value:
        return None
    number = value[1 : value.index(":")]
    return int(number) if number.isascii() and number.isdigit() else None


def flows_for_version(version_id: int | None) -> Mapping[str, Any]:
    """The flows a pinned conversation uses. An unknown or unloadable version falls back to
    the live flows (logged): a child mid-chat must never see an error page for it."""
    live = live_ref()
    if version_id is None or version_id == live.id:
        return live_bundle()["flows"]
    ref = ref_for(version_id)
    if ref is None:
        log.warning("content version v%s is gone; using the live flows", version_id)
        return live_bundle()["flows"]
    try:
        return bundle_for(ref, names=("flows",))["flows"]
    except ContentError:
        log.exception("content version v%s no longer loads; using the live flows", version_id)
        return live_bundle()["flows"]


def version_of_flow(flow: Any) -> int | None:
    """The live version id when ``flow`` is the live flow object (how a conversation starts);
    None for any other flow object, whose version can't be told from the object alone."""
    live = live_ref()
    return live.id if live_bundle()["flows"].get(flow.id) is flow else None


# --------------------------------------------------------------------------- publishing


def create_version(
    tree: Mapping[str, str],
    *,
    based_on: int,
    kind: str,
    by: str,
    note: str | None = None,
    proposal_id: int | None = None,
    copied_from: int | None = None,
) -> Any:
    """Store ``tree`` as the new live version. The caller has checked it, and commits.

    ``based_on`` is the live version the change was made against. Only one version can ever
    be based on a given one, so of two racing publishes the second raises
    :class:`VersionRace` instead of silently dropping the first one's change.
    """
    from voice.extensions import db
    from voice.models import ContentVersion

    studio = studio_part(tree)
    row = ContentVersion(
        based_on=based_on,
        kind=kind,
        copied_from=copied_from,
        digest=tree_digest(studio),
        files_json=json.dumps(studio, ensure_ascii=False, sort_keys=True),
        english_json=json.dumps(english_hashes(studio), sort_keys=True),
        note=(note or None) and note[:500],
        published_by=by,
        proposal_id=proposal_id,
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        forget_live()
        raise VersionRace("someone published a change at the same moment") from None
    set_live(LiveRef(row.id, row.digest))
    return row


def history() -> list[Any]:
    from voice.extensions import db
    from voice.models import ContentVersion

    return list(db.session.scalars(select(ContentVersion).order_by(ContentVersion.id.desc())))


# --------------------------------------------------------------------------- translations


def stale_contexts(version_id: int | None = None) -> set[str]:
    """Translation contexts whose English in this version (default: live) differs from the
    English in the files the translations were made from (``content/`` as deployed).

    ``voice.content.translate`` already refuses a translation made for other English (the
    English is part of the gettext key), so these fall back to English on their own; this
    set is what the studio and ``content check`` report as "needs a translator".
    """
    content = store()
    version_id = live_ref().id if version_id is None else version_id
    seed = content.seed_english()
    if version_id == SEED:
        return set()
    row = _row(version_id)
    if row is None:
        return set()
    current = row.english_hashes
    return {context for context, digest in current.items() if context in seed and seed[context] != digest}

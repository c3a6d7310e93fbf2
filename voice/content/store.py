"""The content store: loads a tree of content files into a bundle, once, and keeps it.

A tree is loaded by writing its files to a folder named after their hash (under the
instance folder) and running the ordinary loaders on it, so published content goes through
exactly the same checks as the files in git. Loaders whose input files did not change are not
run again: their objects are shared with the version before (``LOADER_INPUTS``).
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from voice.content.registry import LOADERS, ContentError
from voice.content.trees import (
    Tree,
    english_hashes,
    is_file_owned,
    read_tree,
    studio_part,
    tree_digest,
    write_tree,
)

SEED = 0
"""Version 0: the files in ``content/`` the app started with."""

# Which files each loader reads, so a loader runs again only when one of them changed.
# A loader missing here is treated as reading every file (always correct, just slower).
LOADER_INPUTS: dict[str, tuple[str, ...]] = {
    "pages": ("pages/*.yaml",),
    "topics": ("flows/topics.yaml",),
    "flows": ("flows/*.yaml", "symbols.yaml"),
    "symbols": ("symbols.yaml",),
    "safeguarding": ("safeguarding/*.yaml",),
    "rights": ("rights/*.yaml", "glossary.yaml"),
    "faq": ("faq/*.yaml", "rights/*.yaml", "glossary.yaml"),
    "matcher": ("faq/*.yaml", "rights/*.yaml", "glossary.yaml"),
    "quiz": ("rights/*.yaml", "glossary.yaml"),
    "routing": ("routing.yaml",),
}
KEEP_BUNDLES = 6
KEEP_ITEMS = 6


@dataclass(frozen=True)
class LiveRef:
    id: int
    digest: str


class ContentStore:
    """Loads and keeps content bundles for one app. Safe to share between threads."""

    def __init__(self, content_dir: Path, cache_dir: Path):
        self.content_dir = content_dir
        self.cache_dir = cache_dir
        files = read_tree(content_dir)
        self.file_owned: Tree = {p: t for p, t in files.items() if is_file_owned(p)}
        self.seed_tree: Tree = studio_part(files)
        self.seed_digest = tree_digest(self.seed_tree)
        self._items: dict[str, OrderedDict[str, Any]] = {}
        self._bundles: OrderedDict[tuple[str, tuple[str, ...]], dict[str, Any]] = OrderedDict()
        self._lock = threading.RLock()
        self._seed_english: dict[str, str] | None = None
        self._trees: OrderedDict[str, Tree] = OrderedDict()
        self.last_live = LiveRef(SEED, self.seed_digest)
        self._pinned: set[tuple[str, str]] = set()
        self.seed = self.load(self.seed_tree, directory=content_dir)
        # The seed's objects live as long as the store (``self.seed``): keep their cache entries
        # too, so a version that shares the seed's inputs shares its objects, however many
        # candidate versions the studio has checked since.
        seed_full = {**self.file_owned, **self.seed_tree}
        self._pinned = {(name, _inputs_digest(seed_full, name)) for name in LOADERS}

    # -- loading

    def load(
        self, tree: Mapping[str, str], *, names: tuple[str, ...] | None = None, directory: Path | None = None
    ) -> dict[str, Any]:
        """The bundle for ``tree`` (studio files; the file-owned ones are added). Raises
        :class:`ContentError` naming the loader and the problem."""
        full = {**self.file_owned, **studio_part(tree)}
        digest = tree_digest(full)
        wanted = names or tuple(LOADERS)
        key = (digest, wanted)
        with self._lock:
            if key in self._bundles:
                self._bundles.move_to_end(key)
                return self._bundles[key]
            bundle: dict[str, Any] = {}
            for name in wanted:
                bundle[name] = self._load_one(name, full, digest, directory)
            self._bundles[key] = bundle
            while len(self._bundles) > KEEP_BUNDLES:
                self._bundles.popitem(last=False)
            return bundle

    def check(self, tree: Mapping[str, str]) -> list[str]:
        """Every problem with ``tree``, loader by loader (empty when it can be published)."""
        full = {**self.file_owned, **studio_part(tree)}
        digest = tree_digest(full)
        problems: list[str] = []
        loaded: dict[str, Any] = {}
        for name in LOADERS:
            try:
                loaded[name] = self._load_one(name, full, digest, None)
            except ContentError as error:
                problems.extend(str(error).splitlines())
        problems.extend(cross_check(loaded))
        return problems

    def _load_one(self, name: str, full: Tree, digest: str, directory: Path | None) -> Any:
        key = _inputs_digest(full, name)
        with self._lock:
            cache = self._items.setdefault(name, OrderedDict())
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
            where = directory or self._materialise(full, digest)
            try:
                value = LOADERS[name](where)
            except (ValueError, OSError) as exc:
                raise ContentError(f"{name}: {exc}") from exc
            cache[key] = value
            spare = [k for k in cache if (name, k) not in self._pinned]
            while len(cache) > KEEP_ITEMS and spare:
                del cache[spare.pop(0)]
            return value

    def _materialise(self, full: Tree, digest: str) -> Path:
        """Write the files once into a folder named by their hash; loaders read from it."""
        final = self.cache_dir / digest[:32]
        if (final / ".complete").exists():
            return final
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = self.cache_dir / f".tmp-{uuid.uuid4().hex}"
        write_tree(full, temporary)
        (temporary / ".complete").write_text(digest, encoding="utf-8")
        try:
            os.replace(temporary, final)
        except OSError:  # another process got there first; theirs is identical
            shutil.rmtree(temporary, ignore_errors=True)
        return final

    # -- translations

    def seed_english(self) -> dict[str, str]:
        if self._seed_english is None:
            self._seed_english = english_hashes(self.seed_tree)
        return self._seed_english


def _inputs_digest(full: Tree, name: str) -> str:
    patterns = LOADER_INPUTS.get(name)
    if patterns is None:
        return tree_digest(full)
    chosen = {p: t for p, t in full.items() if any(PurePosixPath(p).match(pat) for pat in patterns)}
    return tree_digest(chosen)


def cross_check(bundle: Mapping[str, Any]) -> list[str]:
    """Checks across kinds of content: a flow's rights links must name real explainers, and
    each scenario in routing.yaml must name a flow that exists."""
    flows, rights, topics = bundle.get("flows"), bundle.get("rights"), bundle.get("topics")
    routing = bundle.get("routing")
    missing = [
        f"routing.yaml: the scenario '{rule.flow}' has no flow file content/flows/{rule.flow}.yaml"
        for rule in getattr(routing, "scenarios", ())
        if flows is not None and rule.flow not in flows
    ]
    if flows is None or rights is None:
        return missing
    from voice.content.flows import validate_flow

    link_ids = rights.link_ids() if hasattr(rights, "link_ids") else None
    problems: list[str] = list(missing)
    for flow in flows.values():
        problems.extend(validate_flow(flow, rights_ids=link_ids, topic_ids=set(topics or {}) or None))
    return problems

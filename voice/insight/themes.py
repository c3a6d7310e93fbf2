"""What a submission was about, as counts: its topics, the UNCRC articles its questions are
linked to, and the questions answered "really bad" (the lowest of the five faces).

Only content ids are kept (topic ids, article ids, question ids): never the child's words.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from flask import current_app

from voice.content import registry, versions

THEME, ARTICLE, REALLY_BAD = "theme", "article", "really_bad"
REALLY_BAD_CHOICE = "1"  # the first of the five faces in every flow's scale


@lru_cache(maxsize=256)
def _pinned_rights(content_version: str | None, flow_id: str | None) -> dict[str, tuple[str, ...]]:
    pinned = versions.flows_for_version(versions.parse_version(content_version)) if content_version else {}
    flow = pinned.get(flow_id) if flow_id else None
    if flow is None:
        flow = current_app.extensions["voice_content"]["flows"].get(flow_id or "")
    if flow is None:
        return {}
    return {node.id: tuple(node.rights) for node in flow.nodes}


def keys_for(
    flow_id: str | None,
    content_version: str | None,
    answers: Iterable[tuple[str, str, str, bool, str | None]],
) -> list[tuple[str, str]]:
    """(metric, key) pairs for one submission's answers, each given as (node id, topic, answer
    type, skipped, choices). A topic or article counts once per submission."""
    rights = _pinned_rights(content_version, flow_id)
    out: dict[tuple[str, str], None] = {}
    for node_id, topic, answer_type, skipped, choices in answers:
        if skipped:
            continue
        out[(THEME, topic)] = None
        for article in rights.get(node_id, ()):
            out[(ARTICLE, article)] = None
        if answer_type == "scale" and choices == REALLY_BAD_CHOICE:
            out[(REALLY_BAD, node_id)] = None
    return list(out)


def principles_of(article_id: str) -> tuple[str, ...]:
    """The child-rights principles an article is tagged with (from content/rights)."""
    catalogue = registry.get("rights")
    try:
        return tuple(catalogue.article(article_id).principles)
    except KeyError:
        return ()

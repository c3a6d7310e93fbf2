"""Previews: each item drawn as a child sees it on a phone, in any language, from any version.

The phone frame is rendered with the child-side macros and the same content functions the
child pages use (``components/answers.html``, the rights explorer, the FAQ answer), inside
``force_locale`` so the words come out in the chosen language while the studio around them
stays in the officer's. Each kind has one builder in ``BUILDERS``; a kind whose loader isn't
installed falls back to showing its fields (Markdown through the same sanitiser).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from markupsafe import Markup

from voice import i18n
from voice.content import versions
from voice.content.text import render_markdown
from voice.studio import checks, items

Builder = Callable[[items.Item, Mapping[str, Any]], dict[str, Any] | None]


def phone(item: items.Item, bundle: Mapping[str, Any], *, language: str = "en") -> Markup:
    """The item inside a phone-shaped frame, as HTML."""
    builder = BUILDERS.get(item.kind)
    with force_locale(language):
        context = _safe(builder, item, bundle) if builder else None
        if context is None:
            context = {"template": "generic", "fields": _generic_fields(item)}
        info = i18n.locale_info(language)
        html = render_template(
            f"studio/phone/{context.pop('template')}.html", item=item, lang=info, **context
        )
    return Markup(html)  # noqa: S704 - rendered by Jinja with autoescape on


def bundle_for_tree(tree: Mapping[str, str], kind_name: str) -> dict[str, Any]:
    """The loaded content a preview needs, for files that may not be published yet."""
    kind = items.kind(kind_name)
    names = tuple(name for name in (kind.loaders if kind else ()) if name in _loader_names())
    if not names:
        return {}
    return versions.store().load(tree, names=names)


def _loader_names() -> set[str]:
    from voice.content.registry import LOADERS

    return set(LOADERS)


def _safe(builder: Builder, item: items.Item, bundle: Mapping[str, Any]) -> dict[str, Any] | None:
    try:
        return builder(item, bundle)
    except (KeyError, LookupError, AttributeError, ImportError):
        return None  # a preview must never break the studio page


def _generic_fields(item: items.Item) -> list[tuple[str, Any]]:
    return [(f.label, render_markdown(f.value) if f.markdown else f.value) for f in item.fields if f.value]


def _node(item: items.Item, bundle: Mapping[str, Any]) -> dict[str, Any] | None:
    flow = bundle["flows"][item.extra["flow_id"]]
    return {"template": "node", "flow": flow, "node": flow.node(item.extra["node_id"])}


def _flow(item: items.Item, bundle: Mapping[str, Any]) -> dict[str, Any] | None:
    flow = bundle["flows"][item.id]
    steps = [flow.node(raw_id) for raw_id in _outline_ids(flow)]
    return {"template": "flow", "flow": flow, "steps": steps}


def _outline_ids(flow: Any) -> list[str]:
    seen: list[str] = []
    todo = [flow.start]
    while todo:
        current = todo.pop(0)
        node = flow.get(current)
        if node is None or current in seen:
            continue
        seen.append(current)
        todo = list(node.targets()) + todo
    return [node_id for node_id in seen if flow.node(node_id).type != "branch"]


def _linker(rights: Any) -> Any:
    from voice.rights.explorer import GlossaryLinker

    return GlossaryLinker(rights.glossary, lambda term_id: _rights_url("rights.words", _anchor=term_id))


def _rights_url(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else "#"


def _explainer(item: items.Item, bundle: Mapping[str, Any]) -> dict[str, Any] | None:
    from voice.rights import explorer

    rights = bundle["rights"]
    page = explorer.explainer(rights, item.id, _linker(rights))
    return {"template": "explainer", "page": page} if page is not None else None


def _glossary(item: items.Item, bundle: Mapping[str, Any]) -> dict[str, Any] | None:
    from voice.chat.present import ct

    rights = bundle["rights"]
    term = rights.term(item.id)
    definition = _linker(rights).link(render_markdown(ct(f"glossary:{term.id}:definition", term.definition)))
    return {
        "template": "glossary",
        "term": ct(f"glossary:{term.id}:term", term.term),
        "definition": definition,
    }


def _faq(item: items.Item, bundle: Mapping[str, Any]) -> dict[str, Any] | None:
    from voice.ask import answers as ask

    rights = bundle["rights"]
    return {"template": "faq", "best": ask.topic_answer(bundle["faq"][item.id], rights, _linker(rights))}


def _page(item: items.Item, bundle: Mapping[str, Any]) -> dict[str, Any] | None:
    from voice.chat.present import ct

    page = bundle["pages"][item.id]
    facts = {"out_of_hours_phone": str(current_app.config.get("VOICE_OUT_OF_HOURS_PHONE", ""))}
    body = ct(f"page:{page.id}:body", page.body)
    for name, value in facts.items():
        body = body.replace("{" + name + "}", value)
    return {
        "template": "page",
        "title": ct(f"page:{page.id}:title", page.title),
        "body": render_markdown(body),
    }


BUILDERS: dict[str, Builder] = {
    "node": _node,
    "flow": _flow,
    "article": _explainer,
    "principle": _explainer,
    "glossary": _glossary,
    "faq": _faq,
    "page": _page,
}


# --------------------------------------------------------------------------- alongside


@dataclass(frozen=True)
class Translation:
    code: str
    name: str
    translated: int
    total: int
    stale: int

    @property
    def complete(self) -> bool:
        return self.translated == self.total


def translations(item: items.Item) -> list[Translation]:
    """For each language, how many of this item's texts have a translation for *these*
    English words. The rest fall back to English until a translator updates them."""
    try:
        from voice.content.translate import content_text
    except ImportError:
        return []
    stale = versions.stale_contexts()
    texts = [f for f in item.fields if f.value]
    found = []
    for loc in i18n.locales():
        if loc.code == "en":
            continue
        done = sum(1 for f in texts if not content_text(f.context, f.value, loc.code).fallback)
        found.append(
            Translation(loc.code, loc.name, done, len(texts), sum(1 for f in texts if f.context in stale))
        )
    return found


def feedback() -> dict[str, tuple[int, int]]:
    """ "Did this help?" counts per rights page, when the rights feedback module exists."""
    try:
        from voice.rights.feedback import feedback_summary
    except ImportError:
        return {}
    return feedback_summary()


def feedback_for(item: items.Item, summary: Mapping[str, tuple[int, int]]) -> tuple[int, int] | None:
    page_id = "words" if item.kind == "glossary" else item.id
    if item.kind not in ("article", "principle", "glossary"):
        return None
    return summary.get(page_id, (0, 0))


def score(item: items.Item) -> checks.Score:
    return checks.score(item.readable_text)

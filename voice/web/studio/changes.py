"""From a propose form to a *change*: the JSON a proposal stores and ``items`` applies.

One entry per operation in ``OPS`` (form class, how to set it up, how to read it), so the
propose view is the same few lines for every kind of change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm

from voice.studio import items
from voice.web.studio import forms


@dataclass(frozen=True)
class Op:
    form: type[FlaskForm]
    setup: Callable[[Any, items.Item, Mapping[str, str], str], bool]
    read: Callable[[Any], dict[str, Any]]


def _setup_set(form: Any, item: items.Item, tree: Mapping[str, str], field_name: str) -> bool:
    found = item.field(field_name)
    if found is None:
        return False
    form.field_name = field_name
    if not form.is_submitted():
        form.value.data = found.value
    return True


def _setup_move(form: Any, item: items.Item, tree: Mapping[str, str], field_name: str) -> bool:
    this = item.extra["node_id"]
    steps = [forms.choice(node_id, text) for node_id, text in _steps(item, tree) if node_id != this]
    form.after.choices = [forms.PICK, *steps]
    return bool(steps)


def _setup_add_question(form: Any, item: items.Item, tree: Mapping[str, str], field_name: str) -> bool:
    form.topic.choices = [forms.PICK] + [
        forms.choice(t.id, t.title) for t in items.KINDS["topic"].items(tree)
    ]
    return len(form.topic.choices) > 1


def _always(form: Any, item: items.Item, tree: Mapping[str, str], field_name: str) -> bool:
    return True


def _steps(item: items.Item, tree: Mapping[str, str]) -> list[tuple[str, str]]:
    data = items.parsed(tree, items.flow_path(tree, item.extra["flow_id"])) or {}
    return [
        (str(raw["id"]), f"{str(raw.get('text') or '')[:90]}")
        for raw in items.outline_nodes(data)
        if raw.get("type") in ("question", "message")
    ]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


OPS: dict[str, Op] = {
    "set": Op(
        forms.WordingForm, _setup_set, lambda f: {"op": "set", "field": f.field_name, "value": f.value.data}
    ),
    "add-option": Op(
        forms.AddOptionForm,
        _always,
        lambda f: {"op": "add-option", "label": f.label.data, "icon": f.icon.data or None},
    ),
    "add-example": Op(forms.AddExampleForm, _always, lambda f: {"op": "add-example", "value": f.value.data}),
    "move": Op(forms.MoveForm, _setup_move, lambda f: {"op": "move", "after": f.after.data}),
    "add-question": Op(
        forms.AddQuestionForm,
        _setup_add_question,
        lambda f: {
            "op": "add-question",
            "node": {
                "text": f.text.data,
                "answer": f.answer.data,
                "options": _lines(f.options.data),
                "topic": f.topic.data,
                "icon": f.icon.data or None,
            },
        },
    ),
}


def form_for(op: str, item: items.Item, tree: Mapping[str, str], field_name: str) -> Any:
    """The form for ``op`` on ``item``, set up; None when it doesn't apply."""
    spec = OPS.get(op)
    if spec is None:
        return None
    form = spec.form()
    return form if spec.setup(form, item, tree, field_name) else None


def change_from(op: str, form: Any) -> dict[str, Any]:
    return OPS[op].read(form)


def field_of(form: Any, item: items.Item) -> items.Field | None:
    name = getattr(form, "field_name", None)
    return item.field(name) if name else None


def new_faq(form: Any, tree: Mapping[str, str]) -> dict[str, Any]:
    taken = {i.id for i in items.KINDS["faq"].items(tree)}
    links = [part.strip() for part in (form.links.data or "").split(",") if part.strip()]
    return {
        "op": "add-faq",
        "topic": {
            "id": items.slug(form.title.data, taken=taken, fallback="question"),
            "title": form.title.data.strip(),
            "answer": form.answer.data.strip(),
            "links": links,
            "examples": _lines(form.examples.data),
        },
    }

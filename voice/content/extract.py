"""Every translatable string in ``content/``, with the item id as gettext context.

Two ways in, one walk of the YAML:

- ``extract_content`` is a Babel extraction method, named in ``babel.cfg``
  (``[voice.content.extract:extract_content: content/**.yaml]``), so ``pybabel extract``
  and ``make i18n-extract`` build ``translations/content.pot`` with it.
- ``iter_content(content_dir)`` yields the same entries for code that needs them at run time
  (``voice.content.translate.translation_status``, ``content check``, the studio).

The msgctxt scheme is the lookup key for :func:`voice.content.translate.content_text`::

    flow:{flow}:title  flow:{flow}:intro  flow:{flow}:default:{answer_type}:{option}
    flow:{flow}:{node}:text|hint|placeholder  flow:{flow}:{node}:option:{option}
    topic:{id}:title   page:{id}:title|body
    principle:{id}:{field}  article:{id}:{field}  glossary:{id}:{field}
    quiz:{id}:question|explanation  quiz:{id}:option:{option}
    faq:{id}:title|answer|examples   (examples: the example questions, one per line)
    symbol:{id}:name

Which file holds what is the ``RULES`` table below. A file under ``content/`` that no rule
covers and ``NOT_TRANSLATED`` does not list fails ``tests/i18n``, so a new kind of content
can't silently stay English-only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from voice import strict_yaml

# Babel asks an extractor for (lineno, funcname, messages, comments); "pgettext" makes it
# read messages as (context, msgid), which is how the item id reaches the .pot.
_PGETTEXT = "pgettext"
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@dataclass(frozen=True)
class Entry:
    context: str
    english: str
    lineno: int = 0
    comment: str = ""


@dataclass(frozen=True)
class Rule:
    """How to read one kind of content file.

    ``kind`` starts every context; ``list_key`` names the list of items in the file (None when
    the whole file is one item); ``joined`` fields are lists given to translators one per line.
    """

    kind: str
    list_key: str | None
    fields: tuple[str, ...]
    joined: frozenset[str] = frozenset()
    notes: tuple[tuple[str, str], ...] = ()  # (field, note for translators)
    options: str | None = None  # a field holding [{id, label}] answer choices


_TOPIC_NOTE = "A heading: a child's answers about this are grouped under it."
_SYMBOL_NOTE = "What a picture shows, said aloud to a child and read by screen readers: a word or two."
_EXAMPLES_NOTE = (
    "Questions a child might type, one per line, used to match what they ask. Write how "
    "children would ask these in your language; they need not match line for line."
)

# Matched against the end of a file's path, first match wins (so specific names come first).
RULES: tuple[tuple[str, Rule | None], ...] = (
    ("faq/synonyms.yaml", None),
    ("flows/topics.yaml", Rule("topic", "topics", ("title",), notes=(("title", _TOPIC_NOTE),))),
    ("flows/*.yaml", Rule("flow", None, ())),  # special shape: see _flow_entries
    ("pages/*.yaml", Rule("page", None, ("title", "body"))),
    ("rights/principles.yaml", Rule("principle", "principles", ("title", "promise", "summary", "body"))),
    (
        "rights/articles.yaml",
        Rule("article", "articles", ("title", "summary", "means", "example", "if_not_happening")),
    ),
    ("rights/quiz.yaml", Rule("quiz", "questions", ("question", "explanation"), options="options")),
    ("glossary.yaml", Rule("glossary", "terms", ("term", "definition"))),
    (
        "symbols.yaml",
        Rule("symbol", "symbols", ("name",), notes=(("name", _SYMBOL_NOTE),)),
    ),
    (
        "faq/*.yaml",
        Rule(
            "faq", None, ("title", "answer", "examples"), joined=frozenset({"examples"}),
            notes=(("examples", _EXAMPLES_NOTE),),
        ),
    ),
)  # fmt: skip

NOT_TRANSLATED: tuple[str, ...] = (
    "faq/synonyms.yaml",  # English text-speak for the matcher; each language needs its own list
    "faq/phrasings/*.yaml",  # questions written natively in each language, one file per language
    "safeguarding/*.yaml",  # detection patterns, reviewed by the safeguarding lead, never shown
    "notifications.yaml",  # emails to staff, who work in English
    "routing.yaml",  # who receives what, by role: no words anyone reads
)

_MARKDOWN_NOTE = "Markdown: keep **bold**, links and the blank lines between paragraphs."


def rule_for(path: str | Path) -> Rule | None:
    """The rule for a content file, or None for a file that is not translated."""
    posix = PurePosixPath(Path(path).as_posix())
    for pattern, rule in RULES:
        if posix.match(pattern):
            return rule
    return None


def is_covered(path: str | Path) -> bool:
    posix = PurePosixPath(Path(path).as_posix())
    return any(posix.match(pattern) for pattern, _ in RULES) or any(
        posix.match(pattern) for pattern in NOT_TRANSLATED
    )


def iter_content(content_dir: str | Path) -> Iterator[Entry]:
    """Every translatable entry under ``content_dir``, files in sorted order."""
    root = Path(content_dir)
    for path in sorted(root.rglob("*.yaml")):
        with path.open("rb") as fileobj:
            yield from entries_for(path, fileobj)


def entries_for(path: str | Path, fileobj: BinaryIO) -> Iterator[Entry]:
    rule = rule_for(path)
    if rule is None:
        return
    data = strict_yaml.parse(fileobj.read().decode("utf-8"), source=str(path))
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: expected a mapping at the top")
    entries = _flow_entries(data) if rule.kind == "flow" else _item_entries(rule, data, path)
    for entry in entries:
        english = normalise(entry.english)
        if english:
            yield Entry(entry.context, english, entry.lineno, entry.comment)


def normalise(english: str) -> str:
    """The msgid for a piece of English: YAML block text ends in a newline, which translators
    would have to copy exactly, so it is dropped here and when looking a translation up."""
    return english.strip()


def extract_content(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Mapping[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extraction method (see the module docstring)."""
    path = getattr(fileobj, "name", "")
    for entry in entries_for(path, fileobj):
        comments = [entry.comment] if entry.comment else []
        yield entry.lineno, _PGETTEXT, (entry.context, entry.english), comments


# --------------------------------------------------------------------------- the shapes


def _item_entries(rule: Rule, data: Mapping[str, Any], path: str | Path) -> Iterator[Entry]:
    if rule.list_key is None:
        items: list[Any] = [data]
    else:
        items = data.get(rule.list_key) or []
        if not isinstance(items, list):
            raise ValueError(f"{path}: '{rule.list_key}' should be a list")
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            continue  # the content loaders report malformed items; extraction just skips them
        for name in rule.fields:
            value = item.get(name)
            if name in rule.joined and isinstance(value, list):
                value = "\n".join(str(line) for line in value)
            if isinstance(value, str):
                note = dict(rule.notes).get(name, "")
                yield Entry(f"{rule.kind}:{item['id']}:{name}", value, comment=_comment(value, note))
        if rule.options:
            for option_id, label in _options(item.get(rule.options)):
                context = f"{rule.kind}:{item['id']}:option:{option_id}"
                yield Entry(context, label, comment="An answer button.")


def _flow_entries(data: Mapping[str, Any]) -> Iterator[Entry]:
    flow = as_id(data.get("id")) or "?"
    title = data.get("title") or flow
    for name in ("title", "intro"):
        if isinstance(data.get(name), str):
            yield Entry(f"flow:{flow}:{name}", data[name], comment=f"The {name} of the chat '{title}'.")
    defaults = data.get("default_options")
    if isinstance(defaults, Mapping):
        for answer_type, options in defaults.items():
            for option_id, label in _options(options):
                yield Entry(
                    f"flow:{flow}:default:{answer_type}:{option_id}",
                    label,
                    comment=f"An answer button used by every '{answer_type}' question in this chat.",
                )
    for node in data.get("nodes") or []:
        node_id = as_id(node.get("id")) if isinstance(node, Mapping) else None
        if node_id is None:
            continue
        kind = str(node.get("type"))
        for name in ("text", "hint", "placeholder"):
            value = node.get(name)
            if isinstance(value, str):
                yield Entry(
                    f"flow:{flow}:{node_id}:{name}",
                    value,
                    comment=_comment(value, _NODE_NOTES.get((kind, name), "")),
                )
        for option_id, label in _options(node.get("options")):
            yield Entry(f"flow:{flow}:{node_id}:option:{option_id}", label, comment="An answer button.")


_NODE_NOTES: dict[tuple[str, str], str] = {
    ("message", "text"): "The chat says this.",
    ("question", "text"): "The chat asks this. Every question can be skipped.",
    ("end", "text"): "The chat's last words.",
    ("question", "hint"): "A small line under the question.",
    ("question", "placeholder"): "Faint text in an empty answer box.",
}


def _options(options: Any) -> Iterator[tuple[str, str]]:
    for option in options if isinstance(options, list) else []:
        if isinstance(option, Mapping):
            option_id = as_id(option.get("id"))
            if option_id is not None and isinstance(option.get("label"), str):
                yield option_id, option["label"]


def as_id(value: Any) -> str | None:
    """YAML reads unquoted yes/no as booleans and 1 as an int; ids are always text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (str, int)):
        return str(value)
    return None


def _comment(text: str, note: str) -> str:
    parts = [note] if note else []
    found = sorted(set(_PLACEHOLDER.findall(text)))
    if found:
        parts.append(f"Keep {', '.join(found)} exactly as written: it is filled in later.")
    if "**" in text or "\n\n" in text.strip():
        parts.append(_MARKDOWN_NOTE)
    return " ".join(parts)

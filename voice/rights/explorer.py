"""What the rights pages show: principle cards, one explainer, the glossary, and the
glossary words inside any text linked to their meaning.

Everything here is built from the content loaded at start-up, in the child's language
(``ct``) where a translation exists. Headings and other UI words live in the templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from voice.chat.present import ct
from voice.content.rights import Article, GlossaryTerm, Principle, RightsCatalogue
from voice.content.text import render_markdown

# Page ids a content id can never take, because they are routes of their own.
RESERVED_IDS = frozenset({"words", "quiz", "ask", "answers"})
WORDS_PAGE = "words"


@dataclass(frozen=True)
class Card:
    id: str
    title: str
    summary: str
    numbers: tuple[int, ...] = ()  # article numbers; empty for a principle


@dataclass(frozen=True)
class Explainer:
    id: str
    kind: str  # "principle" or "article"
    title: str
    lead: str  # the principle's promise, or the article's one-line summary
    sections: tuple[tuple[str, Markup], ...]  # (section key, html); templates name the keys
    articles: tuple[Card, ...] = ()
    principles: tuple[Card, ...] = ()
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Entry:
    id: str
    term: str
    definition: Markup


def principle_card(p: Principle) -> Card:
    return Card(p.id, ct(f"principle:{p.id}:title", p.title), ct(f"principle:{p.id}:summary", p.summary))


def article_card(a: Article) -> Card:
    return Card(
        a.id, ct(f"article:{a.id}:title", a.title), ct(f"article:{a.id}:summary", a.summary), a.numbers
    )


def principle_cards(rights: RightsCatalogue) -> list[Card]:
    return [principle_card(p) for p in rights.principles]


def article_cards(rights: RightsCatalogue) -> list[Card]:
    return [article_card(a) for a in sorted(rights.articles, key=lambda a: a.number)]


def explainer(rights: RightsCatalogue, item_id: str, linker: GlossaryLinker) -> Explainer | None:
    """The page for a principle or an article id, or None when there is no such page."""
    seen: set[str] = set()  # each glossary word is linked once a page, where it first appears
    principle = _find(rights.principles, item_id)
    if principle is not None:
        body = ct(f"principle:{item_id}:body", principle.body)
        return Explainer(
            id=item_id,
            kind="principle",
            title=ct(f"principle:{item_id}:title", principle.title),
            lead=ct(f"principle:{item_id}:promise", principle.promise),
            sections=(("body", linker.link(render_markdown(body), seen)),),
            articles=tuple(article_card(a) for a in rights.articles_for(item_id)),
        )
    article = _find(rights.articles, item_id)
    if article is None:
        return None
    sections = tuple(
        (name, linker.link(render_markdown(ct(f"article:{item_id}:{name}", getattr(article, name))), seen))
        for name in ("means", "example", "if_not_happening")
    )
    return Explainer(
        id=item_id,
        kind="article",
        title=ct(f"article:{item_id}:title", article.title),
        lead=ct(f"article:{item_id}:summary", article.summary),
        sections=sections,
        principles=tuple(principle_card(rights.principle(pid)) for pid in article.principles),
        numbers=article.numbers,
    )


def _find(items: Iterable[Principle] | Iterable[Article], item_id: str):
    return next((item for item in items if item.id == item_id), None)


def glossary(rights: RightsCatalogue) -> list[Entry]:
    """The words page, A to Z. Definitions are not linked: they are the page linked to."""
    entries = [
        Entry(
            t.id,
            ct(f"glossary:{t.id}:term", t.term),
            render_markdown(ct(f"glossary:{t.id}:definition", t.definition)),
        )
        for t in rights.glossary
    ]
    return sorted(entries, key=lambda e: e.term.casefold())


def page_exists(rights: RightsCatalogue, page_id: str) -> bool:
    """Whether "Did this help?" may be counted for `page_id`."""
    if page_id == WORDS_PAGE:
        return True
    return any(p.id == page_id for p in rights.principles) or any(a.id == page_id for a in rights.articles)


# --- linking glossary words ------------------------------------------------------------


def _is_short_form(name: str) -> bool:
    """'IRO', 'PEPs', 'CiCC': matched with their capitals only, so 'pa' or 'sw' inside a
    sentence, or 'Pep' as a name, never turn into links."""
    return " " not in name and sum(1 for c in name if c.isupper()) >= 2


def _name_pattern(name: str) -> str:
    parts = []
    for word in name.split():
        parts.append(re.escape(word).replace("'", "(?:'|’|&#x27;|&#39;)"))
    body = r"\s+".join(parts)
    return f"(?-i:{body})" if _is_short_form(name) else body


_TAG = re.compile(r"(<[^>]*>)")


@dataclass
class GlossaryLinker:
    """Turns glossary words in sanitised HTML into links to the words page.

    Whole words only; the longest name wins ("care plan" before "care"); short forms in
    capitals match only in capitals. Text already inside a link is left alone.
    """

    terms: Iterable[GlossaryTerm]
    href: Callable[[str], str]
    _exact: dict[str, str] = field(init=False, default_factory=dict)
    _folded: dict[str, str] = field(init=False, default_factory=dict)
    _pattern: re.Pattern[str] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        names: list[str] = []
        for term in self.terms:
            for name in term.names:
                names.append(name)
                if _is_short_form(name):
                    self._exact[name] = term.id
                else:
                    self._folded.setdefault(_fold(name), term.id)
        if names:
            alternatives = "|".join(_name_pattern(n) for n in sorted(set(names), key=len, reverse=True))
            self._pattern = re.compile(rf"(?<![\w&#-])(?:{alternatives})(?![\w-])", re.IGNORECASE)

    def term_for(self, text: str) -> str | None:
        return self._exact.get(text) or self._folded.get(_fold(text))

    def link(self, html: Markup, seen: set[str] | None = None) -> Markup:
        """`html` with the first mention of each glossary word (not yet in `seen`) linked."""
        if self._pattern is None:
            return html
        seen = set() if seen is None else seen
        out: list[str] = []
        in_link = 0
        for chunk in _TAG.split(str(html)):
            if chunk.startswith("<"):
                tag = chunk[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if len(chunk) > 2 else ""
                if tag == "a":
                    in_link += -1 if chunk.startswith("</") else 1
                out.append(chunk)
            elif in_link or not chunk:
                out.append(chunk)
            else:
                out.append(self._pattern.sub(lambda m: self._replace(m, seen), chunk))
        return Markup("".join(out))  # noqa: S704 - sanitised input; only our own links added

    def _replace(self, match: re.Match[str], seen: set[str]) -> str:
        text = match.group(0)
        term_id = self.term_for(_unescape_apostrophe(text))
        if term_id is None or term_id in seen:
            return text
        seen.add(term_id)
        return f'<a class="term" href="{escape(self.href(term_id))}">{text}</a>'


def _fold(name: str) -> str:
    return " ".join(_unescape_apostrophe(name).replace("’", "'").casefold().split())


def _unescape_apostrophe(text: str) -> str:
    return text.replace("&#x27;", "'").replace("&#39;", "'")

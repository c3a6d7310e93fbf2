"""Rights content: the seven principles, the UNCRC article explainers and the glossary.

Loaded once at start-up from `content/`. Every problem found is reported in one
`ValueError` whose lines each name the file and the item, so a Children in Care
Council editor can fix them all in one go; a broken file must stop boot rather
than become an error page on a child's phone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from voice.content.fields import ContentErrors, Fields, check_unique, display_path, read_yaml_list

PRINCIPLES_FILE = Path("rights/principles.yaml")
ARTICLES_FILE = Path("rights/articles.yaml")
GLOSSARY_FILE = Path("glossary.yaml")

REQUIRED_PRINCIPLES = (
    "dignity",
    "participation",
    "life-survival-development",
    "non-discrimination",
    "transparency-accountability",
    "best-interests",
    "interdependence",
)
# The articles DOMAIN.md lists as mattering most to children in care.
REQUIRED_ARTICLE_NUMBERS = (
    2,
    3,
    8,
    9,
    12,
    13,
    14,
    16,
    17,
    19,
    20,
    22,
    23,
    24,
    25,
    27,
    28,
    29,
    30,
    31,
    34,
    35,
    36,
    39,
    42,
)


@dataclass(frozen=True)
class Principle:
    id: str
    title: str
    promise: str
    summary: str
    body: str
    articles: tuple[int, ...]
    covers_all: bool = False


@dataclass(frozen=True)
class Article:
    id: str
    numbers: tuple[int, ...]
    title: str
    summary: str
    principles: tuple[str, ...]
    means: str
    example: str
    if_not_happening: str

    @property
    def number(self) -> int:
        return self.numbers[0]

    @property
    def label(self) -> str:
        """'Article 12', or 'Articles 28 and 29' / 'Articles 34 to 36' for combined entries."""
        if len(self.numbers) == 1:
            return f"Article {self.numbers[0]}"
        if len(self.numbers) == 2:
            return f"Articles {self.numbers[0]} and {self.numbers[1]}"
        return f"Articles {self.numbers[0]} to {self.numbers[-1]}"


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    term: str
    also: tuple[str, ...]
    definition: str

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that should link to this entry, the main term first."""
        return (self.term, *self.also)


@dataclass(frozen=True)
class RightsCatalogue:
    principles: tuple[Principle, ...]
    articles: tuple[Article, ...]
    glossary: tuple[GlossaryTerm, ...]

    def principle(self, principle_id: str) -> Principle:
        for p in self.principles:
            if p.id == principle_id:
                return p
        raise KeyError(principle_id)

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def article_for_number(self, number: int) -> Article:
        """The explainer covering an article number (29 gives the combined 28–29 entry)."""
        for a in self.articles:
            if number in a.numbers:
                return a
        raise KeyError(number)

    def articles_for(self, principle_id: str) -> list[Article]:
        """Articles for a principle's page: its own first, then others tagged with it.

        A principle that covers all rights (interdependence) lists every article.
        """
        principle = self.principle(principle_id)
        first = [self.article_for_number(n) for n in principle.articles]
        rest = [a for a in self.articles if principle.covers_all or principle_id in a.principles]
        return list(dict.fromkeys([*first, *rest]))

    def term(self, term_id: str) -> GlossaryTerm:
        for t in self.glossary:
            if t.id == term_id:
                return t
        raise KeyError(term_id)

    def link_ids(self) -> set[str]:
        """Every id another page may link to: principles, articles and glossary terms."""
        return {p.id for p in self.principles} | {a.id for a in self.articles} | {t.id for t in self.glossary}


def load_rights(content_dir: Path) -> RightsCatalogue:
    """Load and validate principles, articles and glossary from `content_dir`.

    Raises ValueError listing every problem, each naming the file and item.
    """
    content_dir = Path(content_dir)
    errors = ContentErrors()
    principles = list(_load_principles(content_dir, errors))
    articles = list(_load_articles(content_dir, errors))
    glossary = list(_load_glossary(content_dir, errors))
    _cross_check(content_dir, principles, articles, glossary, errors)
    errors.raise_if_any()
    return RightsCatalogue(tuple(principles), tuple(articles), tuple(glossary))


_PRINCIPLE_FIELDS = ("id", "title", "promise", "summary", "body", "articles", "covers_all")
_ARTICLE_FIELDS = (
    "id",
    "number",
    "numbers",
    "title",
    "summary",
    "principles",
    "means",
    "example",
    "if_not_happening",
)
_TERM_FIELDS = ("id", "term", "also", "definition")


def _load_principles(content_dir: Path, errors: ContentErrors) -> Iterator[Principle]:
    for where, item in read_yaml_list(content_dir, PRINCIPLES_FILE, "principles", errors):
        f = Fields(where, item, errors, _PRINCIPLE_FIELDS)
        yield Principle(
            id=f.ident(),
            title=f.text("title"),
            promise=f.text("promise"),
            summary=f.text("summary"),
            body=f.text("body"),
            articles=f.int_list("articles"),
            covers_all=f.flag("covers_all"),
        )


def _load_articles(content_dir: Path, errors: ContentErrors) -> Iterator[Article]:
    for where, item in read_yaml_list(content_dir, ARTICLES_FILE, "articles", errors):
        f = Fields(where, item, errors, _ARTICLE_FIELDS)
        article_id = f.ident()
        numbers = _article_numbers(f)
        if numbers and article_id and article_id != f"article-{numbers[0]}":
            errors.add(where, f"id should be 'article-{numbers[0]}' to match its number")
        principles = f.str_list("principles")
        if "principles" in item and not principles:
            errors.add(where, "must be tagged with at least one principle")
        yield Article(
            id=article_id,
            numbers=numbers,
            title=f.text("title"),
            summary=f.text("summary"),
            principles=principles,
            means=f.text("means"),
            example=f.text("example"),
            if_not_happening=f.text("if_not_happening"),
        )


def _article_numbers(f: Fields) -> tuple[int, ...]:
    if "number" in f.item and "numbers" in f.item:
        f.errors.add(f.where, "give 'number' or 'numbers', not both")
        return ()
    if "number" in f.item:
        n = f.item["number"]
        if not isinstance(n, int) or isinstance(n, bool):
            f.errors.add(f.where, "field 'number' must be a whole number")
            return ()
        return (n,)
    if "numbers" in f.item:
        return f.int_list("numbers")
    f.errors.add(f.where, "missing field 'number'")
    return ()


def _load_glossary(content_dir: Path, errors: ContentErrors) -> Iterator[GlossaryTerm]:
    for where, item in read_yaml_list(content_dir, GLOSSARY_FILE, "terms", errors):
        f = Fields(where, item, errors, _TERM_FIELDS)
        yield GlossaryTerm(
            id=f.ident(),
            term=f.text("term"),
            also=f.str_list("also", required=False),
            definition=f.text("definition"),
        )


def _cross_check(
    content_dir: Path,
    principles: list[Principle],
    articles: list[Article],
    glossary: list[GlossaryTerm],
    errors: ContentErrors,
) -> None:
    p_file = display_path(content_dir, PRINCIPLES_FILE)
    a_file = display_path(content_dir, ARTICLES_FILE)
    g_file = display_path(content_dir, GLOSSARY_FILE)
    check_unique(((f"{p_file}: {p.id}", p.id) for p in principles), errors, "principle")
    check_unique(((f"{a_file}: {a.id}", a.id) for a in articles), errors, "article")
    check_unique(((f"{g_file}: {t.id}", t.id) for t in glossary), errors, "glossary")

    principle_ids = {p.id for p in principles}
    by_number = _check_articles(a_file, articles, principle_ids, errors)
    for pid in REQUIRED_PRINCIPLES:
        if pid not in principle_ids:
            errors.add(p_file, f"required principle '{pid}' is missing")
    _check_principle_links(p_file, a_file, principles, by_number, errors)

    _check_glossary_names(g_file, glossary, errors)
    clash = (principle_ids | {a.id for a in articles}) & {t.id for t in glossary}
    for link_id in sorted(clash):
        errors.add(g_file, f"id '{link_id}' is also a principle or article id")


def _check_articles(
    a_file: str, articles: list[Article], principle_ids: set[str], errors: ContentErrors
) -> dict[int, Article]:
    """Each article number has one explainer, tags are known, required ones exist."""
    by_number: dict[int, Article] = {}
    for a in articles:
        for n in a.numbers:
            if n in by_number:
                errors.add(f"{a_file}: {a.id}", f"article {n} is also covered by {by_number[n].id}")
            by_number.setdefault(n, a)
        for pid in a.principles:
            if pid not in principle_ids:
                errors.add(f"{a_file}: {a.id}", f"unknown principle id '{pid}'")
    for n in REQUIRED_ARTICLE_NUMBERS:
        if n not in by_number:
            errors.add(a_file, f"required article {n} has no explainer")
    return by_number


def _check_principle_links(
    p_file: str,
    a_file: str,
    principles: list[Principle],
    by_number: dict[int, Article],
    errors: ContentErrors,
) -> None:
    """A principle's articles exist, and are tagged with the principle in return."""
    for p in principles:
        for n in p.articles:
            article = by_number.get(n)
            if article is None:
                errors.add(f"{p_file}: {p.id}", f"links to article {n}, which has no explainer")
            elif p.id not in article.principles:
                errors.add(
                    f"{a_file}: {article.id}",
                    f"is listed by principle '{p.id}' but not tagged with it",
                )


def _check_glossary_names(g_file: str, glossary: list[GlossaryTerm], errors: ContentErrors) -> None:
    """The same spelling cannot link to two entries."""
    owner: dict[str, str] = {}
    for t in glossary:
        for name in t.names:
            key = name.casefold()
            if key in owner and owner[key] != t.id:
                errors.add(f"{g_file}: {t.id}", f"'{name}' is already used by '{owner[key]}'")
            owner.setdefault(key, t.id)

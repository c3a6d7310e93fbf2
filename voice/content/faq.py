"""FAQ topics for "Ask a question", and the child-words synonym list.

One topic per file in `content/faq/<id>.yaml`; `synonyms.yaml` in the same folder
is not a topic. Topics link to rights content (principles, articles) and glossary
terms, so loading checks every link against the rights catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from voice.content.fields import ContentErrors, Fields, check_unique, display_path, read_yaml_mapping
from voice.content.rights import RightsCatalogue, load_rights

FAQ_DIR = Path("faq")
SYNONYMS_FILE = FAQ_DIR / "synonyms.yaml"

REQUIRED_TOPICS = (
    "review",
    "review-when",
    "review-who",
    "review-chair",
    "review-not-attend",
    "iro",
    "care-plan",
    "social-worker",
    "social-worker-change",
    "advocate",
    "complaint",
    "records",
    "family-time",
    "siblings",
    "placement-move",
    "school",
    "health",
    "money",
    "sleepovers",
    "phone-online",
    "leaving-care",
    "privacy",
    "rights",
    "be-heard",
    "discrimination",
    "religion-culture",
    "why-in-care",
    "life-story",
    "get-help-now",
    "children-in-care-council",
    "independent-visitor",
    "how-this-works",
    # Issue 22: what children in care ask that the first topics did not cover.
    "childrens-home",
    "court-orders",
    "former-carers",
    "going-missing",
    "passport-travel",
    "immigration",
    "young-parent",
    "telling-school",
    "house-rules",
    "leaving-care-money",
    "review-where",
)
# The matcher learns a topic from its examples; fewer than this and it guesses.
MIN_EXAMPLES = 10
MAX_EXAMPLES = 30

_TOPIC_FIELDS = ("id", "title", "answer", "links", "keywords", "examples")


@dataclass(frozen=True)
class FaqTopic:
    id: str
    title: str
    answer: str
    links: tuple[str, ...]
    examples: tuple[str, ...]
    keywords: tuple[str, ...] = ()


def surface_key(text: str) -> str:
    """Lower-case letters and digits only, for spotting duplicate phrasings."""
    return " ".join(re.findall(r"\w+", text.casefold().replace("'", "").replace("’", "")))


def load_faq(content_dir: Path, rights: RightsCatalogue | None = None) -> list[FaqTopic]:
    """Load and validate every topic in `content_dir/faq/`, sorted by id.

    `rights` is the catalogue links are checked against; it is loaded when not given.
    Raises ValueError listing every problem, each naming the file and topic.
    """
    content_dir = Path(content_dir)
    if rights is None:
        rights = load_rights(content_dir)
    errors = ContentErrors()
    topics: list[tuple[str, FaqTopic]] = []
    faq_dir = content_dir / FAQ_DIR
    paths = sorted(p for p in faq_dir.glob("*.yaml") if p.name != SYNONYMS_FILE.name)
    if not paths:
        errors.add(display_path(content_dir, FAQ_DIR), "no FAQ topics found")
    for path in paths:
        where = display_path(content_dir, FAQ_DIR / path.name)
        data = read_yaml_mapping(path, where, errors)
        if data is None:
            continue
        if isinstance(data.get("id"), str):
            where = f"{where}: {data['id']}"
        topic = _topic(where, data, errors)
        if topic.id and topic.id != path.stem:
            errors.add(where, f"id '{topic.id}' should match the file name '{path.stem}'")
        topics.append((where, topic))

    _cross_check(content_dir, topics, rights, errors)
    errors.raise_if_any()
    return [t for _, t in sorted(topics, key=lambda pair: pair[1].id)]


def _topic(where: str, data: dict, errors: ContentErrors) -> FaqTopic:
    f = Fields(where, data, errors, _TOPIC_FIELDS)
    examples = f.str_list("examples")
    if "examples" in data and examples and not MIN_EXAMPLES <= len(examples) <= MAX_EXAMPLES:
        errors.add(
            where,
            f"has {len(examples)} examples; give {MIN_EXAMPLES} to {MAX_EXAMPLES} ways a child might ask",
        )
    return FaqTopic(
        id=f.ident(),
        title=f.text("title"),
        answer=f.text("answer"),
        links=f.str_list("links"),
        examples=examples,
        keywords=f.str_list("keywords", required=False),
    )


def _cross_check(
    content_dir: Path,
    topics: list[tuple[str, FaqTopic]],
    rights: RightsCatalogue,
    errors: ContentErrors,
) -> None:
    check_unique(((where, t.id) for where, t in topics), errors, "topic")
    present = {t.id for _, t in topics}
    faq_where = display_path(content_dir, FAQ_DIR)
    for topic_id in REQUIRED_TOPICS:
        if topic_id not in present:
            errors.add(faq_where, f"required topic '{topic_id}' is missing")

    link_ids = rights.link_ids()
    seen_examples: dict[str, str] = {}
    for where, t in topics:
        for link in t.links:
            if link not in link_ids:
                errors.add(
                    where,
                    f"link '{link}' is not a principle, article or glossary id",
                )
        for example in t.examples:
            key = surface_key(example)
            other = seen_examples.get(key)
            if other is not None and other != t.id:
                errors.add(where, f"example '{example}' is also an example of '{other}'")
            seen_examples.setdefault(key, t.id)


def load_synonyms(content_dir: Path) -> dict[str, str]:
    """Map each child spelling to its canonical words, both normalised by `surface_key`.

    The file lists `canonical: [variant, ...]`; this turns it round for lookup.
    """
    content_dir = Path(content_dir)
    errors = ContentErrors()
    where = display_path(content_dir, SYNONYMS_FILE)
    data = read_yaml_mapping(content_dir / SYNONYMS_FILE, where, errors)
    mapping: dict[str, str] = {}
    table = data.get("synonyms") if data is not None else None
    if data is not None and not isinstance(table, dict):
        errors.add(where, "expected a mapping under 'synonyms:'")
    for canonical, variants in (table or {}).items():
        canon = surface_key(str(canonical))
        if not canon or not isinstance(variants, list):
            errors.add(f"{where}: {canonical}", "expected a list of spellings")
            continue
        for variant in variants:
            key = surface_key(str(variant))
            if not key or key == canon:
                errors.add(f"{where}: {canonical}", f"'{variant}' is the same as the word itself")
            elif key in mapping and mapping[key] != canon:
                errors.add(
                    f"{where}: {canonical}",
                    f"'{variant}' is already listed under '{mapping[key]}'",
                )
            else:
                mapping[key] = canon
    errors.raise_if_any()
    return mapping


PHRASINGS_DIR = FAQ_DIR / "phrasings"


def load_phrasings(content_dir: Path, locale: str, topic_ids: set[str]) -> dict[str, tuple[str, ...]]:
    """Extra example questions for one language, written natively (not translated from the
    English examples) in `content/faq/phrasings/<locale>.yaml`: ``status: draft`` until a
    translator reviews them, and ``phrasings:`` mapping each topic id to its questions.

    A language without the file has none. An unknown topic id or a non-list is an error
    naming the file, so a typo cannot quietly drop a topic's questions.
    """
    path = Path(content_dir) / PHRASINGS_DIR / f"{locale}.yaml"
    if not path.is_file():
        return {}
    errors = ContentErrors()
    where = display_path(Path(content_dir), PHRASINGS_DIR / path.name)
    data = read_yaml_mapping(path, where, errors)
    table = data.get("phrasings") if data is not None else None
    if data is not None and data.get("status") not in ("draft", "reviewed"):
        errors.add(where, "expected 'status: draft' or 'status: reviewed'")
    if data is not None and not isinstance(table, dict):
        errors.add(where, "expected a mapping under 'phrasings:'")
    found: dict[str, tuple[str, ...]] = {}
    for topic_id, questions in (table or {}).items():
        if topic_id not in topic_ids:
            errors.add(f"{where}: {topic_id}", "is not a topic id in content/faq/")
        elif not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
            errors.add(f"{where}: {topic_id}", "expected a list of questions")
        else:
            found[topic_id] = tuple(q.strip() for q in questions)
    errors.raise_if_any()
    return found

"""Aggregate figures for the participation officer and the Children in Care Council.

Built only from the running counts (topic, article and question ids) and the anonymous quiz
table: no child's words, name, reference or team reaches these tables, whatever the filters.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from voice.content import registry
from voice.content.translate import display_text
from voice.extensions import db
from voice.insight import counts as c
from voice.insight import themes
from voice.insight.response import summed
from voice.insight.scope import Scope
from voice.insight.suppression import share, suppress_line
from voice.insight.tables import Label, Share, Table
from voice.models import QuizResponse

TOP = 10


def topic_words(topic_id: str) -> str:
    """A topic's title in the page's language, as the chat shows it; the id if unknown."""
    topic = registry.get("topics").get(topic_id)
    if topic is None or not topic.title:
        return topic_id
    return display_text(f"topic:{topic.id}:title", topic.title)


def _totals(scope: Scope, metric: str) -> dict[str, int]:
    return dict(summed(scope, (metric,), by_staff=False).get((None, metric), {}))


def _ranked(
    key: str,
    title,
    definition,
    what,
    counts: dict[str, int],
    *,
    label=lambda k: k,
    measure=None,
    limit: int | None = None,
) -> Table:
    """A council table of ``counts`` by ``what``, most first, small counts hidden; ``measure``
    names the count column ("Times raised" unless said)."""
    columns = [what, measure or _l("Times raised")]
    table = Table(key, title, definition, columns, chart=(0, 1), audience="council")
    items = sorted(counts, key=lambda k: (-counts[k], k))[:limit]
    cells, _ = suppress_line([counts[k] for k in items])
    for item, cell in zip(items, cells, strict=True):
        table.rows.append([Label(label(item)), cell])
    return table


def by_topic(scope: Scope) -> Table:
    return _ranked(
        "themes_by_topic",
        _l("What children talked about, by topic"),
        _l(
            "Things sent in the period that answered at least one question on the topic (each counted "
            "once a topic)."
        ),
        _l("Topic"),
        _totals(scope, themes.THEME),
        label=topic_words,
    )


def by_article(scope: Scope) -> Table:
    return _ranked(
        "themes_by_article",
        _l("Themes by UNCRC article"),
        _l(
            "Things sent in the period that answered a question linked to the article (each counted "
            "once an article)."
        ),
        _l("Article"),
        _totals(scope, themes.ARTICLE),
        label=lambda k: f"{_l('Article')} {k.removeprefix('article-')}",
    )


def by_principle(scope: Scope) -> Table:
    articles = _totals(scope, themes.ARTICLE)
    principles: dict[str, int] = defaultdict(int)
    for article, n in articles.items():
        for principle in themes.principles_of(article):
            principles[principle] += n
    return _ranked(
        "themes_by_principle",
        _l("Themes by child-rights principle"),
        _l("The article counts, added up by the principles each article is tagged with in the rights pages."),
        _l("Principle"),
        dict(principles),
        label=lambda k: k.replace("-", " "),
    )


def really_bad(scope: Scope) -> Table:
    return _ranked(
        "really_bad",
        _l("What children rated 'really bad' most often"),
        _l("Questions answered with the lowest of the five faces, in things sent in the period."),
        _l("Question"),
        _totals(scope, themes.REALLY_BAD),
        label=lambda k: k.replace("-", " "),
        measure=_l("Times rated really bad"),
        limit=TOP,
    )


def decisions(scope: Scope) -> Table:
    """You said, we did: decisions recorded against each topic, beside how often it was raised."""
    raised, decided = _totals(scope, themes.THEME), _totals(scope, c.DECISION)
    keys = sorted(set(raised) | set(decided), key=lambda k: (-decided.get(k, 0), k))
    said, _ = suppress_line([raised.get(k, 0) for k in keys])
    did, _ = suppress_line([decided.get(k, 0) for k in keys])
    table = Table(
        "you_said_we_did",
        _l("You said, we did"),
        _l(
            "For each topic: how often children raised it in the period, and how many decisions "
            "staff recorded against it in the period (a decision is written to the child)."
        ),
        [_l("Topic"), _l("Times raised"), _l("Decisions recorded")],
        chart=(0, 2),
        audience="council",
    )
    for key, s, d in zip(keys, said, did, strict=True):
        table.rows.append([Label(topic_words(key) if key else _l("No topic given")), s, d])
    return table


def quiz(scope: Scope) -> Table:
    """Rights-quiz understanding by month. The quiz is anonymous and has no team."""
    month = func.substr(func.cast(QuizResponse.answered_on, db.String), 1, 7)
    rows = db.session.execute(
        select(month, func.count(QuizResponse.id), func.count().filter(QuizResponse.correct.is_(True)))
        .where(QuizResponse.answered_on >= scope.period.start, QuizResponse.answered_on <= scope.period.end)
        .group_by(month)
        .order_by(month)
    ).all()
    table = Table(
        "quiz_by_month",
        _l("Rights quiz: answers right, by month"),
        _l(
            "Answers to the 'Do you know your rights?' quiz in the month, and the share answered right. "
            "The quiz is anonymous."
        ),
        [_l("Month"), _l("Answers"), _l("Answered right"), _l("Share right")],
        chart=(0, 3),
        audience="council",
    )
    for label, total, right in rows:
        part, whole, fraction = share(int(right), int(total))
        table.rows.append([Label(label), whole, part, Share(fraction)])
    return table


def council_tables(scope: Scope) -> list[Table]:
    return [
        by_topic(scope),
        by_article(scope),
        by_principle(scope),
        really_bad(scope),
        decisions(scope),
        quiz(scope),
    ]

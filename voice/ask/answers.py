"""'Ask a question': a child's own words in, an approved answer (or honest help) out.

Order matters. The words are screened for safeguarding concerns first: a question like
"what do I do if my carer hits me" gets help, and an alert when the child is signed in,
never just an FAQ answer. Otherwise the matcher picks approved topics, or says it doesn't
know and offers to send the question to the child's worker through normal routing.

The question text never goes in a URL, a title or a log. Between the form and the answer
page it is kept only for a signed-in child (so they can send it on), sealed with the data
key inside the signed session cookie.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from voice import audit, crypto
from voice.ask.fallback import FallbackMatcher
from voice.ask.matcher import Matcher
from voice.chat import sending
from voice.chat.present import ct
from voice.chat.sending import review_deadline
from voice.content import registry
from voice.content.faq import FaqTopic
from voice.content.rights import RightsCatalogue
from voice.content.text import render_markdown
from voice.extensions import db
from voice.models import Child, Submission, SubmissionAnswer
from voice.references import new_reference
from voice.safeguarding import alerts
from voice.safeguarding.screening import screen

MAX_QUESTION_CHARS = 500
# A turned-away (too long) question is still screened, up to this much of it.
_MAX_SCREENED_CHARS = 64 * 1024
# The sealed question rides in the session cookie, which browsers cap at 4 KB.
_MAX_SEALED_BYTES = 1500
ANSWERED = "answered"
UNKNOWN = "unknown"
CONCERN = "concern"
SENT = "sent"
QUESTION_LABEL = "A question from Ask a question"  # stored with the answer, like a flow question

# Controls, zero-width and bidi overrides: invisible, and a way to make text read backwards.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_question(text: Any) -> str:
    """What the child typed, made safe to store and show: no lone surrogates, no control
    or direction-override characters, tidy spaces. Never raises."""
    if not isinstance(text, str):
        return ""
    text = text.encode("utf-8", "ignore").decode("utf-8")
    text = _INVISIBLE.sub(" ", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


# --- asking ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AskResult:
    """What happened to one question. Holds topic ids, never the words (except sealed)."""

    kind: str
    topics: tuple[str, ...] = ()  # best first; for UNKNOWN, the nearest misses
    alerted: bool = False
    sealed: str | None = None  # the question, encrypted, for a signed-in child to send on
    reference: str | None = None  # the submission reference it will have, once sent

    def to_session(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "topics": list(self.topics),
            "alerted": self.alerted,
            "sealed": self.sealed,
            "reference": self.reference,
        }

    @classmethod
    def from_session(cls, data: Any, known_topics: Iterable[str]) -> AskResult | None:
        """Rebuild from the session, dropping anything that doesn't fit (old or edited data)."""
        if not isinstance(data, dict) or data.get("kind") not in (ANSWERED, UNKNOWN, CONCERN, SENT):
            return None
        known = set(known_topics)
        topics = data.get("topics")
        topics = (
            tuple(t for t in topics if isinstance(t, str) and t in known) if isinstance(topics, list) else ()
        )
        if data["kind"] == ANSWERED and not topics:
            return None
        sealed, reference = data.get("sealed"), data.get("reference")
        return cls(
            kind=data["kind"],
            topics=topics[:3],
            alerted=data.get("alerted") is True,
            sealed=sealed if isinstance(sealed, str) else None,
            reference=reference if isinstance(reference, str) else None,
        )

    @property
    def best(self) -> str | None:
        return self.topics[0] if self.kind == ANSWERED and self.topics else None

    @property
    def others(self) -> tuple[str, ...]:
        """'That's not what I meant': the runner-up topics."""
        return self.topics[1:] if self.kind == ANSWERED else self.topics

    def question_for(self, child: Child | None) -> str | None:
        """The sealed question, only for the child who asked it."""
        if child is None or self.sealed is None:
            return None
        return _unseal(self.sealed, child)

    def sent(self, reference: str) -> AskResult:
        return replace(self, kind=SENT, sealed=None, reference=reference)


def answer_question(text: str, *, child: Child | None, matcher: Matcher | FallbackMatcher) -> AskResult:
    """Screen, then match. Raises an alert (and commits) when a signed-in child's words
    are a concern; a child who is not signed in is shown help, and no alert is possible."""
    screening = screen([text])
    if screening.concern:
        return _concern(text, child, screening.categories)
    ranked = tuple(m.topic_id for m in matcher.match_all(text, k=3))
    kind = ANSWERED if matcher.match(text) is not None else UNKNOWN
    if child is None:
        return AskResult(kind, ranked)
    return AskResult(kind, ranked, sealed=_seal(text, child), reference=new_reference("S"))


def _concern(text: str, child: Child | None, categories: tuple[str, ...]) -> AskResult:
    alerted = False
    if child is not None:
        alert = alerts.raise_alert(child, source="ask", categories=categories, words=text)
        audit.record(
            "alert.raised", actor=child, child_ref=child.ref, object_type="alert", object_id=alert.id
        )
        db.session.commit()
        alerted = True
    return AskResult(CONCERN, alerted=alerted)


def screen_turned_away(text: Any, *, child: Child | None) -> AskResult | None:
    """A question the form turned away (too long) is still screened, as a chat answer of any
    length is: if its words are a concern the child gets help and, signed in, an alert.
    Returns None when there is nothing to act on (the form's kind message stands)."""
    cleaned = clean_question(text)[:_MAX_SCREENED_CHARS]
    if not cleaned:
        return None
    screening = screen([cleaned])
    if not screening.concern:
        return None
    return _concern(cleaned, child, screening.categories)


def _seal(text: str, child: Child) -> str | None:
    if len(text.encode("utf-8")) > _MAX_SEALED_BYTES:
        return None  # too big for the cookie: the page says to tell the worker in the chat
    return crypto.keyring().encrypt(json.dumps({"c": str(child.id), "q": text}, ensure_ascii=False))


def _unseal(sealed: str, child: Child) -> str | None:
    try:
        data = json.loads(crypto.keyring().decrypt(sealed))
    except (crypto.KeyringError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("c") != str(child.id) or not isinstance(data.get("q"), str):
        return None
    return clean_question(data["q"]) or None


# --- sending to the worker ---------------------------------------------------------------


def send_question(
    child: Child, text: str, *, reference: str | None = None, language: str = "en"
) -> Submission:
    """Send a question to the child's worker: a Submission of kind "question", routed,
    notified and (if its words are a concern) alerted in ONE transaction, as
    `voice.chat.sending.send` does for a conversation. Commits.

    `reference` makes a double tap safe: the second insert hits the unique reference and
    the first submission is returned.
    """
    reference = reference or new_reference("S")
    existing = _submission_by_reference(reference)
    if existing is not None:
        return _own(existing, child)
    screening = screen([text])
    submission = Submission(
        child_id=child.id,
        kind="question",
        language=language,
        concern=screening.concern,
        read_soon=screening.read_soon,
        review_by=review_deadline(screening.concern, screening.read_soon),
        reference=reference,
        answers=[
            SubmissionAnswer(
                position=0,
                node_id="question",
                topic="question",
                answer_type="text",
                question=QUESTION_LABEL,
                skipped=False,
                answer_text=text,
                share="worker",
            )
        ],
    )
    stored = sending.store(
        submission,
        child,
        screening,
        alert_source="ask",
        find_existing=lambda: _submission_by_reference(reference),
    )
    return _own(stored, child)


def _submission_by_reference(reference: str) -> Submission | None:
    return db.session.scalar(select(Submission).where(Submission.reference == reference))


def _own(submission: Submission, child: Child) -> Submission:
    if submission.child_id != child.id:
        raise PermissionError("that reference belongs to another child")
    return submission


# --- what the answer page shows --------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    id: str
    kind: str  # "principle", "article" or "glossary"
    title: str
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class TopicAnswer:
    id: str
    title: str
    answer: Any  # Markup
    links: tuple[Link, ...]


def topic_answer(topic: FaqTopic, rights: RightsCatalogue, linker: Any) -> TopicAnswer:
    """One approved answer, in the child's language, with its rights links."""
    html = linker.link(render_markdown(ct(f"faq:{topic.id}:answer", topic.answer)))
    return TopicAnswer(topic.id, topic_title(topic), html, tuple(_links(topic.links, rights)))


def topic_title(topic: FaqTopic) -> str:
    return ct(f"faq:{topic.id}:title", topic.title)


def _links(ids: Iterable[str], rights: RightsCatalogue) -> Iterable[Link]:
    principles = {p.id: p for p in rights.principles}
    articles = {a.id: a for a in rights.articles}
    terms = {t.id: t for t in rights.glossary}
    for link_id in ids:
        if link_id in principles:
            yield Link(link_id, "principle", ct(f"principle:{link_id}:title", principles[link_id].title))
        elif link_id in articles:
            a = articles[link_id]
            yield Link(link_id, "article", ct(f"article:{link_id}:title", a.title), a.numbers)
        elif link_id in terms:
            yield Link(link_id, "glossary", ct(f"glossary:{link_id}:term", terms[link_id].term))


def matcher_for(
    language: str, matchers: Mapping[str, Matcher | FallbackMatcher] | None = None
) -> Matcher | FallbackMatcher:
    """The matcher for a language: its own translated examples with English behind them
    (children often type English on a translated page); English alone for English."""
    matchers = matchers if matchers is not None else registry.get("matcher")
    return matchers.get(language) or matchers["en"]


def link_for(link_id: str, rights: RightsCatalogue) -> Link | None:
    return next(iter(_links([link_id], rights)), None)

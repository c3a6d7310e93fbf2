"""Exports for the council's case record: structured JSON, a print page and a PDF, and CSV.

The case-management system is the record of truth; these let a worker file what the child said
without retyping it. Every export is audited by the caller. The JSON shape is documented in
docs/export-schema.md and docs/export-schema.json (``schema: "voice.submission/2"``).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

from voice import clock, dates
from voice.content import registry
from voice.i18n import locale_info
from voice.inbox import words
from voice.inbox.queries import ExportRow
from voice.inbox.reading import alerts_with
from voice.inbox.record import CaseRecord
from voice.inbox.words import topic_title
from voice.models import Reply, StaffMember, SubmissionAnswer

SCHEMA = "voice.submission/2"
MARKING = "OFFICIAL-SENSITIVE"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _staff(person: StaffMember | None) -> dict[str, Any] | None:
    return None if person is None else {"name": person.name, "email": person.email}


def _answer(a: SubmissionAnswer) -> dict[str, Any]:
    return {
        "topic": a.topic,
        "topic_title": topic_title(registry.get("topics"), a.topic),
        "question_id": a.node_id,
        "question": a.question,
        "answer_type": a.answer_type,
        "skipped": a.skipped,
        "choices": a.choices.split(",") if a.choices else [],
        "answer": None if a.skipped else a.answer_text,
        "shared_with": a.share,
        "shared_with_words": words.share(a.share),
    }


def _entry(r: Reply) -> dict[str, Any]:
    return {
        "kind": r.kind,
        "topic": r.topic,
        "topic_title": topic_title(registry.get("topics"), r.topic) if r.topic else None,
        "at": _iso(clock.as_utc(r.created_at)),
        "at_text": dates.staff_when(r.created_at),
        "author": r.author.name,
        "text": r.body,
    }


def as_json(record: CaseRecord) -> dict[str, Any]:
    """The case record as data. The shape is published in docs/export-schema.json; times are
    ISO 8601 in UTC for machines, with ``*_text`` twins in British form for people."""
    submission = record.submission
    child = submission.child
    review = submission.review
    summary = record.summary
    return {
        "schema": SCHEMA,
        "marking": MARKING,
        "reference": submission.reference,
        "exported_by": _staff(record.exported_by),
        "exported_at": _iso(clock.as_utc(record.exported_at)),
        "exported_at_text": dates.staff_when(record.exported_at),
        "child": {
            "ref": child.ref,
            "case_id": child.case_id,
            "first_name": child.first_name,
            "last_name": child.last_name,
            "full_name": child.full_name,
            "date_of_birth": _iso(child.date_of_birth),
            "date_of_birth_text": dates.staff_day(child.date_of_birth),
            "allocated_worker": _staff(child.social_worker),
            "iro": _staff(child.iro),
        },
        "review": None
        if review is None
        else {
            "sequence": review.sequence,
            "due_on": _iso(review.due_on),
            "due_on_text": dates.staff_day(review.due_on),
            "held_on": _iso(review.held_on),
        },
        "review_due_on": _iso(review.due_on) if review is not None else None,
        "kind": submission.kind,
        "sent_at": _iso(clock.as_utc(submission.sent_at)),
        "sent_at_text": dates.staff_when(submission.sent_at),
        "language": submission.language,
        "content_version": submission.content_version,
        "questions_version_text": words.questions_version(submission.content_version, submission.flow_id),
        "status": submission.status,
        "status_text": words.status(submission.status),
        "read_at": _iso(clock.as_utc(submission.read_at)) if submission.read_at else None,
        "concern": submission.concern,
        "summary": {
            "concern": summary.concern,
            "wants": [_answer(a) for a in summary.wants],
            "worries": [_answer(a) for a in summary.worries],
            "other": [_answer(a) for a in summary.other],
        },
        "answers": [_answer(a) for group in record.topics.values() for a in group],
        "replies": [_entry(r) for r in record.replies],
        "decisions": [_entry(r) for r in record.decisions],
        # Words the child added to a safeguarding alert raised from this, or while writing it.
        "child_added_words": [
            {"alert_reference": a.reference, "raised_at": _iso(clock.as_utc(a.raised_at)), "text": a.words}
            for a in alerts_with(submission)
            if a.words
        ],
    }


def safe_cell(value: Any) -> str:
    """Stop spreadsheets treating a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


CSV_COLUMNS = (
    "Reference",
    "Child",
    "Child reference",
    "Case-system ID",
    "Kind",
    "Sent",
    "Status",
    "Possible concern",
    "Language",
    "Review due",
    "Read",
    "First reply",
    "First decision",
    "Latest decision",
    "Answer by",
)


def inbox_csv(rows: list[ExportRow], *, exported_by: StaffMember) -> str:
    """Metadata only, never the child's words. British dates (Europe/London), words for codes;
    the first line is the protective marking, as on every page of the PDF."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(
        [MARKING, safe_cell(f"Exported by {exported_by.name} on {dates.staff_when(clock.now())}")]
    )
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        s = row.submission
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    s.reference,
                    s.child.full_name,
                    s.child.ref,
                    s.child.case_id or "",
                    words.kind(s.kind),
                    dates.staff_when(s.sent_at),
                    words.status(s.status),
                    "Yes" if s.concern else "No",
                    locale_info(s.language).name if s.language else "",
                    dates.staff_day(s.review.due_on) if s.review is not None else "",
                    dates.staff_when(s.read_at),
                    dates.staff_when(row.first_reply_at),
                    dates.staff_when(row.first_decision_at),
                    dates.staff_when(row.last_decision_at),
                    dates.staff_when(s.review_by),
                )
            ]
        )
    return out.getvalue()


def pdf_from_html(html: str) -> bytes:
    """Render a print page to PDF. Nothing is fetched from anywhere while rendering."""
    from weasyprint import HTML

    def no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError("external resources are not loaded in exports")

    # PDF/UA-1: tagged, with a title and language, so screen readers and archive checks accept it.
    return HTML(string=html, url_fetcher=no_fetch).write_pdf(pdf_variant="pdf/ua-1")

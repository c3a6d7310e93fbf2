"""Exports for the council's case record: structured JSON, a print page and a PDF, and CSV.

The case-management system is the record of truth; these let a worker file what the child said
without retyping it. Every export is audited by the caller. The JSON shape is documented in
docs/export-schema.md (``schema: "voice.submission/1"``).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from voice.inbox.reading import alerts_with
from voice.inbox.scope import answers_for
from voice.models import Reply, StaffMember, Submission

SCHEMA = "voice.submission/1"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_json(staff: StaffMember, submission: Submission, replies: list[Reply]) -> dict[str, Any]:
    review = submission.review
    return {
        "schema": SCHEMA,
        "reference": submission.reference,
        "child": {"ref": submission.child.ref, "first_name": submission.child.first_name},
        "review_due_on": review.due_on.isoformat() if review is not None else None,
        "kind": submission.kind,
        "sent_at": submission.sent_at.isoformat(),
        "language": submission.language,
        "content_version": submission.content_version,
        "status": submission.status,
        "read_at": submission.read_at.isoformat() if submission.read_at else None,
        "concern": submission.concern,
        "answers": [
            {
                "topic": a.topic,
                "question_id": a.node_id,
                "question": a.question,
                "answer_type": a.answer_type,
                "skipped": a.skipped,
                "choices": a.choices.split(",") if a.choices else [],
                "answer": None if a.skipped else a.answer_text,
                "shared_with": a.share,
            }
            for a in answers_for(staff, submission)
        ],
        # Words the child added to a safeguarding alert raised from this, or while writing it.
        "child_added_words": [
            {"alert_reference": a.reference, "raised_at": a.raised_at.isoformat(), "text": a.words}
            for a in alerts_with(submission)
            if a.words
        ],
        "replies": [
            {
                "kind": r.kind,
                "topic": r.topic,
                "at": r.created_at.isoformat(),
                "author": r.author.name,
                "text": r.body,
            }
            for r in replies
        ],
    }


def safe_cell(value: Any) -> str:
    """Stop spreadsheets treating a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def inbox_csv(submissions: list[Submission]) -> str:
    """Metadata only: never the child's words."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(["reference", "child_ref", "child_first_name", "sent_at", "status", "concern", "read_at"])
    for s in submissions:
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    s.reference,
                    s.child.ref,
                    s.child.first_name,
                    s.sent_at.isoformat(),
                    s.status,
                    "yes" if s.concern else "no",
                    s.read_at.isoformat() if s.read_at else "",
                )
            ]
        )
    return out.getvalue()


def pdf_from_html(html: str) -> bytes:
    """Render a print page to PDF. Nothing is fetched from anywhere while rendering."""
    from weasyprint import HTML

    def no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError("external resources are not loaded in exports")

    return HTML(string=html, url_fetcher=no_fetch).write_pdf()

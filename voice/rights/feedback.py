"""'Did this help?' on rights pages: anonymous by design, counted for the studio.

Only the page, yes or no, the language and the day are kept. Not the child, even when one
is signed in, and not the time: a time could be matched to a sign-in and name them.
"""

from __future__ import annotations

from sqlalchemy import func, select

from voice.extensions import db
from voice.models import RightsFeedback


def record_feedback(page_id: str, helpful: bool, language: str) -> None:
    """Store one vote and commit. The caller has checked `page_id` is a real page."""
    db.session.add(RightsFeedback(page_id=page_id[:80], helpful=helpful, language=language[:16]))
    db.session.commit()


def feedback_summary() -> dict[str, tuple[int, int]]:
    """{page id: (yes, no)} over all feedback, for the studio."""
    query = select(RightsFeedback.page_id, RightsFeedback.helpful, func.count()).group_by(
        RightsFeedback.page_id, RightsFeedback.helpful
    )
    summary: dict[str, list[int]] = {}
    for page_id, helpful, count in db.session.execute(query):
        summary.setdefault(page_id, [0, 0])[0 if helpful else 1] += count
    return {page_id: (yes, no) for page_id, (yes, no) in sorted(summary.items())}

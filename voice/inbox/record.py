"""What a submission looks like as a record for the case file: who it is about, what the child
most wants said, every answer with who may see it, and the replies and decisions apart.

One builder feeds the submission page, the print page, the PDF and the JSON export, so they
never disagree. The summary is keyed on topic ids from ``content/flows/topics.yaml``, which are
stable (answers and exports refer to them), so rewording or shortening a flow keeps it working:

- ``next`` and ``review-topics``, and every answer the child wrote in their own words under
  another topic (the short chat asks "what would make it better?" under home, family, worker):
  what the child wants to happen;
- ``worries``: what is worrying them (with the concern flag Voice raised, if any);
- ``other``: anything else they wanted their worker or review to know.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime

from voice import clock
from voice.models import Reply, StaffMember, Submission, SubmissionAnswer

WANTS_TOPICS = ("next", "review-topics")
WORRY_TOPICS = ("worries",)
OTHER_TOPICS = ("other",)
SUMMARY_TOPICS = WANTS_TOPICS + WORRY_TOPICS + OTHER_TOPICS


@dataclass(frozen=True)
class Summary:
    concern: bool
    wants: list[SubmissionAnswer]
    worries: list[SubmissionAnswer]
    other: list[SubmissionAnswer]

    @property
    def empty(self) -> bool:
        return not (self.concern or self.wants or self.worries or self.other)


@dataclass(frozen=True)
class CaseRecord:
    submission: Submission
    summary: Summary
    topics: OrderedDict[str, list[SubmissionAnswer]]
    replies: list[Reply]
    decisions: list[Reply]
    exported_by: StaffMember
    exported_at: datetime = field(default_factory=clock.now)

    @property
    def child_name(self) -> str:
        return self.submission.child.full_name

    @property
    def date_of_birth(self) -> date:
        return self.submission.child.date_of_birth

    @property
    def allocated_worker(self) -> StaffMember | None:
        return self.submission.child.social_worker


def _said(answers: list[SubmissionAnswer], topics: tuple[str, ...]) -> list[SubmissionAnswer]:
    return [a for a in answers if a.topic in topics and not a.skipped and a.answer_text]


def _own_words(answers: list[SubmissionAnswer]) -> list[SubmissionAnswer]:
    """Typed answers outside the worries and "anything else" topics: what the child would change."""
    return [
        a
        for a in answers
        if a.answer_type == "text" and a.topic not in SUMMARY_TOPICS and not a.skipped and a.answer_text
    ]


def summarise(submission: Submission, topics: OrderedDict[str, list[SubmissionAnswer]]) -> Summary:
    answers = [a for group in topics.values() for a in group]
    return Summary(
        concern=submission.concern,
        wants=_said(answers, WANTS_TOPICS) + _own_words(answers),
        worries=_said(answers, WORRY_TOPICS),
        other=_said(answers, OTHER_TOPICS),
    )


def build(
    staff: StaffMember,
    submission: Submission,
    topics: OrderedDict[str, list[SubmissionAnswer]],
    replies: list[Reply],
) -> CaseRecord:
    """``topics`` are the answers this person may see (an IRO sees only what was shared)."""
    return CaseRecord(
        submission=submission,
        summary=summarise(submission, topics),
        topics=topics,
        replies=[r for r in replies if r.kind != "outcome"],
        decisions=[r for r in replies if r.kind == "outcome"],
        exported_by=staff,
    )

"""The one call ``voice.chat.sending`` makes for a submission, inside its transaction."""

from __future__ import annotations

from voice.content import registry
from voice.models import Submission
from voice.scenarios import missing, visits


def is_scenario(flow_id: str | None) -> bool:
    return bool(flow_id) and registry.get("routing").is_scenario(flow_id)


def urgent(flow_id: str | None) -> bool:
    """Does this flow's routing rule mark what the child sends urgent for the worker?"""
    return bool(flow_id) and registry.get("routing").for_flow(flow_id).urgent


def after_send(submission: Submission) -> None:
    """Keep what a scenario's submission starts: a planned visit, or the link to a missing
    episode. Adds rows to the caller's transaction; never commits."""
    if submission.flow_id == visits.VISIT_FLOW:
        visits.record(submission)
    elif submission.flow_id == missing.MISSING_FLOW:
        missing.attach(submission)

"""``flask --app voice safeguarding …``: check texts, reconcile, escalate."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from voice.routing.working_time import LONDON
from voice.safeguarding import escalation, reconcile
from voice.safeguarding.screening import screen

safeguarding_group = AppGroup("safeguarding", help="Safeguarding checks and escalation.")


@safeguarding_group.command("check")
@click.option(
    "--jsonl", is_flag=True, required=True, help="Read a text per line; write a JSON object per line."
)
def check_command(jsonl: bool) -> None:
    """Screen texts on stdin for possible concerns.

    Each output line has "text", "concern" and "categories" (the fixed interface), plus
    "level" ("concern", "uncertain" = please read soon, or "none"), "reasons" for an
    uncertain level, and "explanation": the rules (with their phrases) or the classifier's
    words that led to the result."""
    for line in sys.stdin:
        text = line.rstrip("\n")
        result = screen([text])
        row = {
            "text": text,
            "concern": result.concern,
            "categories": list(result.categories),
            "level": "concern" if result.concern else "uncertain" if result.read_soon else "none",
            "reasons": list(result.reasons),
        }
        row["explanation"] = explain(text)
        click.echo(json.dumps(row, ensure_ascii=False))


def explain(text: str) -> list[str]:
    """What led to the result, for the safeguarding lead: rule ids with their phrases, or
    the classifier's strongest words. Never raises."""
    try:
        detector = current_app.extensions["voice_content"]["safeguarding"]
        result = detector.check(text)
        out = []
        for rule_id in result.rules:
            info = detector.explain(rule_id)
            out.append(f"{info.id}: {info.phrase}")
        if result.evidence:
            out.append("words: " + ", ".join(result.evidence))
        if result.probability is not None:
            out.append(f"classifier probability {result.probability}")
        for rule_id in result.cancelled:
            info = detector.explain(rule_id)
            out.append(f"set aside {info.id}: {info.phrase}")
        if result.contexts:
            out.append("benign context: " + ", ".join(result.contexts))
        return out
    except Exception:
        return ["detector-error"]


@safeguarding_group.command("reconcile")
def reconcile_command() -> None:
    """Exit non-zero, saying what is wrong, if anything a child sent may have been missed."""
    found = reconcile.problems()
    for problem in found:
        click.echo(f"PROBLEM: {problem}", err=True)
    if found:
        sys.exit(1)
    click.echo(
        "ok: every submission has a recipient, every concern an alert, alerts and urgent messages on time"
    )


def _moment(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use ISO 8601, such as 2026-12-25T02:00 or 2026-12-25T02:00+00:00") from None
    # No offset given: the time on a London clock, as a duty worker would say it.
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


@safeguarding_group.command("escalate")
@click.option(
    "--at",
    "at",
    callback=_moment,
    metavar="ISO-8601",
    help="Run the pass as of this moment (London time unless an offset is given). Default: now.",
)
def escalate_command(at: datetime | None) -> None:
    """Run one escalation pass: every overdue, unacknowledged alert is brought up to date
    (the delivery worker also does this on every loop)."""
    click.echo(f"escalated {escalation.escalate_due(at)}")

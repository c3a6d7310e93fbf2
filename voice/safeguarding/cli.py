"""``flask --app voice safeguarding …``: check texts, reconcile, escalate."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

from voice.safeguarding import escalation, reconcile
from voice.safeguarding.screening import screen

safeguarding_group = AppGroup("safeguarding", help="Safeguarding checks and escalation.")


@safeguarding_group.command("check")
@click.option(
    "--jsonl", is_flag=True, required=True, help="Read a text per line; write a JSON object per line."
)
def check_command(jsonl: bool) -> None:
    """Screen texts on stdin for possible concerns."""
    for line in sys.stdin:
        text = line.rstrip("\n")
        result = screen([text])
        click.echo(
            json.dumps(
                {"text": text, "concern": result.concern, "categories": list(result.categories)},
                ensure_ascii=False,
            )
        )


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


@safeguarding_group.command("escalate")
def escalate_command() -> None:
    """Escalate overdue alerts (the delivery worker also does this on every loop)."""
    click.echo(f"escalated {escalation.escalate_due()}")

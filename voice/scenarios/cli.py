"""``flask --app voice scenarios visits``: the purposeful visits figure, reachable now.

Insight (another branch) can call ``voice.scenarios.visits.purposeful_visits`` directly;
this command prints the same counts, as JSON for scripts or as one line for a person.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import click
from flask.cli import AppGroup

from voice import clock

scenarios_group = AppGroup("scenarios", help="Scenarios beyond the review (see voice/scenarios).")


def _day(value: str | None, default: date) -> date:
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-12-01") from None


@scenarios_group.command("visits")
@click.option("--from", "start", help="First visit day, YYYY-MM-DD (default: 90 days ago).")
@click.option("--to", "end", help="Last visit day, YYYY-MM-DD (default: today).")
@click.option("--team", type=int, help="Only one team (its id).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def visits_command(start: str | None, end: str | None, team: int | None, as_json: bool) -> None:
    """Purposeful visits: how many children said they talked about what they wanted."""
    from voice.extensions import db
    from voice.scenarios.visits import purposeful_visits

    today = clock.now().date()
    first, last = _day(start, today - timedelta(days=90)), _day(end, today)
    if first > last:
        raise click.BadParameter("--from is after --to")
    figure = purposeful_visits(db.session, first, last, team=team)
    if as_json:
        click.echo(json.dumps({"purposeful_visits": figure.as_dict()}, indent=2))
        return
    share = (
        "no answers yet" if figure.purposeful_percent is None else f"{figure.purposeful_percent}% said yes"
    )
    click.echo(
        f"Visits {figure.start} to {figure.end}: {figure.planned} planned by children, "
        f"{figure.answered} answered afterwards "
        f"({figure.yes} yes, {figure.some} some, {figure.no} no); {share}"
    )

"""``flask --app voice insight``: the Insight figures as JSON, and ``insight rebuild``."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext


def _team_ids(team: str | None) -> tuple[int, ...] | None:
    if not team:
        return None
    from sqlalchemy import select

    from voice.extensions import db
    from voice.models import Team

    found = db.session.scalar(select(Team.id).where((Team.name == team) | (Team.id == _int_or_none(team))))
    if found is None:
        raise click.ClickException(f"no team called {team!r}")
    return (found,)


def _int_or_none(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@click.group("insight", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON (suppression applied).")
@click.option("--from", "start", default=None, help="First day, YYYY-MM-DD (default: a year before --to).")
@click.option("--to", "end", default=None, help="Last day, YYYY-MM-DD (default: today).")
@click.option("--team", default=None, help="One team, by name or id (default: every team).")
@click.pass_context
@with_appcontext
def insight_group(
    ctx: click.Context, as_json: bool, start: str | None, end: str | None, team: str | None
) -> None:
    """Management information (issue 21). ``insight rebuild`` recomputes the running counts."""
    if ctx.invoked_subcommand is not None:
        return
    if not as_json:
        click.echo(ctx.get_help())
        return
    from flask import current_app

    from voice.insight import period, report

    with current_app.test_request_context():  # staff words in English, as for any script
        try:
            chosen = period.make(start, end)
        except period.PeriodError as error:
            raise click.ClickException(str(error)) from None
        for note in chosen.notes:
            click.echo(str(note), err=True)
        document = report.as_document(chosen, _team_ids(team))
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@insight_group.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Recompute the Insight counts from the raw tables (after the migration or a restore)."""
    from voice.insight import rebuild

    written = rebuild.rebuild()
    click.echo(f"insight counts rebuilt: {written} rows")

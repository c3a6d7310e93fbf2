"""``flask --app voice insight``: the Insight figures as JSON, and ``insight rebuild``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("insight", invoke_without_command=True)
@click.pass_context
@with_appcontext
def insight_group(ctx: click.Context) -> None:
    """Management information (issue 21). ``insight rebuild`` recomputes the running counts."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@insight_group.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Recompute the Insight counts from the raw tables (after the migration or a restore)."""
    from voice.insight import rebuild

    written = rebuild.rebuild()
    click.echo(f"insight counts rebuilt: {written} rows")

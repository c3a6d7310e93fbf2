"""``flask --app voice reviews …``: import from the case system, schedule, list upcoming."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

reviews_group = AppGroup("reviews", help="The review calendar (see voice/reviews).")


@reviews_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report every row; change nothing.")
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A YAML column mapping for another council's export (default: config/review_import_mapping.yaml).",
)
def import_command(csv_file: Path, dry_run: bool, mapping: Path | None) -> None:
    """Upsert children and review dates from a case-system CSV export, by child_id."""
    from voice.reviews import importer

    limit = current_app.config["VOICE_IMPORT_MAX_BYTES"]
    try:
        if csv_file.stat().st_size > limit:  # refuse before reading a huge file into memory
            raise importer.ImportRefused(importer.too_big_message(csv_file.stat().st_size, limit))
        report = importer.run(
            csv_file.read_bytes(),
            dry_run=dry_run,
            by=None,
            max_bytes=limit,
            mapping=importer.load_mapping(mapping) if mapping else None,
        )
    except importer.ImportRefused as exc:
        raise click.ClickException(str(exc)) from None
    for warning in report.warnings:
        click.echo(f"warning: {warning}")
    for row in report.results:
        detail = row.reason or ", ".join(row.changes)
        suffix = f": {detail}" if detail else ""
        click.echo(f"line {row.line}: {row.child_id or '(no child_id)'}: {row.outcome}{suffix}")
        for warning in row.warnings:
            click.echo(f"line {row.line}: warning: {warning}")
    if report.missing:
        click.echo("Not in this file (close them in Voice if they have left care; nothing was deleted):")
        for child in report.missing:
            click.echo(f"  {child.case_id} ({child.ref})")
    click.echo(report.summary())


@reviews_group.command("schedule")
@click.option(
    "--at", "at", type=click.DateTime(formats=["%Y-%m-%d"]), help="Run as of this day (for checks)."
)
def schedule_command(at) -> None:
    """Open consultations that are due, send invitations and reminders, tell staff. Run daily."""
    from voice.reviews import schedule

    report = schedule.run(at.date() if at else None)
    click.echo(report.summary())


@reviews_group.command("upcoming")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
@click.option("--days", type=click.IntRange(min=0, max=3660), default=56, show_default=True)
def upcoming_command(as_json: bool, days: int) -> None:
    """Reviews due in the next N days (and overdue ones), with where each child's views are."""
    from voice.reviews import calendar

    rows = calendar.upcoming(days=days)
    if as_json:
        click.echo(json.dumps(calendar.as_json(rows), indent=2))
        return
    for item in calendar.as_json(rows):
        flags = " OVERDUE" if item["overdue"] else ""
        flags += " BEYOND STATUTORY DATE" if item["beyond_statutory"] else ""
        click.echo(f"{item['review_on']}  {item['child_id']}  {item['state']}{flags}")

"""``flask --app voice content …``: check, export, import, history and rollback.

``content check`` is the fixed interface: it validates every file in ``content/`` (each
loader, the flow validator with rights links, reading age) and reports how far each language
is translated, then exits non-zero when anything must be fixed. Missing translations are
reported, not failed: a child sees English until a translator catches up, by design.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from voice import i18n_status
from voice.content import versions
from voice.content.readability import MAX_READING_AGE
from voice.content.registry import LOADERS, ContentError
from voice.studio import checks, releases

content_group = AppGroup("content", help="Check, export and import the content children read.")


@content_group.command("check")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The content folder to check (default: VOICE_CONTENT_DIR).")  # fmt: skip
@click.option("--min-translated", type=float, default=None, metavar="PCT",
              help=f"Fail when a locale's UI or content is under PCT per cent translated "
                   f"(the goal is {i18n_status.THRESHOLD:g}).")  # fmt: skip
@with_appcontext
def check_command(directory: Path | None, min_translated: float | None) -> None:
    """Validate all content and its translations; exit 1 with clear messages if broken."""
    root = directory or Path(current_app.config["VOICE_CONTENT_DIR"])
    if not root.is_dir():
        raise click.ClickException(f"{root} is not a folder")
    tree = versions.read_tree(root)
    started_with = root.resolve() == Path(current_app.config["VOICE_CONTENT_DIR"]).resolve()
    problems = versions.store().check(tree) if started_with else _validate(root)
    report = checks.readability_report(tree)
    click.echo(f"Content in {root}: {len(tree)} files, loaders: {', '.join(LOADERS)}")
    click.echo(
        f"Reading age: median {report.median:.1f} over {report.count} items "
        f"(target {report.target:.0f}, limit {MAX_READING_AGE:.0f})"
    )
    for label, age in report.too_hard:
        problems.append(f"{label}: reading age {age:.1f} is above {MAX_READING_AGE:.0f}")
    _translations(root)
    _routing_warnings()
    problems += _percentages(min_translated)
    _live_note(tree)
    if problems:
        click.echo(f"\ncontent check FAILED: {len(problems)} problem(s)", err=True)
        for problem in problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1)
    click.echo("content check: ok")


def _validate(root: Path) -> list[str]:
    problems: list[str] = []
    loaded = {}
    for name, load in LOADERS.items():
        try:
            loaded[name] = load(root)
        except (ValueError, OSError) as error:
            problems.extend(f"{name}: {line.strip()}" for line in str(error).splitlines() if line.strip())
    problems.extend(versions.cross_check(loaded))
    return problems


def _routing_warnings() -> None:
    """Per-child roles with nobody set for some children: a warning, since their answers
    still reach the allocated worker and the team manager (content/routing.yaml)."""
    from voice.content import registry
    from voice.routing.rules import unset_roles

    try:
        warnings = unset_roles(registry.get("routing"))
    except SQLAlchemyError:
        click.echo("Routing: could not read the children to check who is set (no database?)")
        return
    for warning in warnings:
        click.echo(f"warning: {warning}")


def _translations(root: Path) -> None:
    try:
        from voice.content.translate import translation_status
    except ImportError:
        click.echo("Translations: not set up yet (voice.content.translate is missing)")
        return
    from voice import i18n

    click.echo("Translations (missing ones show in English):")
    for loc in i18n.locales():
        if loc.code == "en":
            continue
        status = translation_status(loc.code, content_dir=root)
        kinds = ", ".join(
            f"{kind} {n['translated']}/{n['total']}" for kind, n in sorted(status["by_kind"].items())
        )
        review = "" if status["reviewed"] else " (draft, not reviewed)"
        click.echo(f"  {loc.code}: {status['translated']}/{status['total']}{review}  [{kinds}]")


def _percentages(minimum: float | None) -> list[str]:
    """UI and content, per cent translated and reviewed, for every offered locale."""
    click.echo("Per locale (UI = the messages catalogue; reviewed = checked by a qualified translator):")
    problems = []
    for status in i18n_status.all_status(current_app.config["BABEL_TRANSLATION_DIRECTORIES"]):
        low = minimum is not None and min(status.ui.translated_pct, status.content.translated_pct) < minimum
        click.echo(f"  {status.line()}{'  << below ' + format(minimum, 'g') + '%' if low else ''}")
        if low:
            problems.append(f"{status.locale.code}: under {minimum:g}% translated ({status.line().strip()})")
    return problems


def _live_note(tree: dict[str, str]) -> None:
    try:
        live = versions.live_ref()
    except SQLAlchemyError:  # no database is fine for a files-only check
        return
    if live.id != versions.SEED and versions.tree_digest(versions.studio_part(tree)) != live.digest:
        click.echo(
            f"Note: version {live.id} published in the studio is live, and differs from these files. "
            "`flask --app voice content export DIR` writes it out."
        )


@content_group.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--version", "version_id", type=int, default=None, help="Default: the live version.")
@with_appcontext
def export_command(directory: Path, version_id: int | None) -> None:
    """Write the published content to DIRECTORY as YAML files (for review in git)."""
    try:
        exported, removed = releases.export(directory, version_id)
    except releases.ReleaseError as error:
        raise click.ClickException(str(error)) from None
    for rel in removed:
        click.echo(f"removed {rel} (not in version {exported})")
    click.echo(f"exported version {exported} to {directory}")


@content_group.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--note", default=None, help="A note for the version history.")
@click.option("--force", is_flag=True, help="Import even if the live version changed since the export.")
@with_appcontext
def import_command(directory: Path, note: str | None, force: bool) -> None:
    """Check DIRECTORY and publish it as a new content version."""
    try:
        made = releases.import_directory(directory, note=note, force=force)
    except (releases.ReleaseError, ContentError) as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    if made is None:
        click.echo(f"nothing to import: {directory} is the same as live version {versions.live_ref().id}")
    else:
        click.echo(f"imported {directory} as version {made.id}; it is live now")


@content_group.command("history")
@with_appcontext
def history_command() -> None:
    """List published content versions, newest first."""
    live = versions.live_ref()
    for row in versions.history():
        mark = " (live)" if row.id == live.id else ""
        click.echo(f"v{row.id}{mark}\t{row.published_at:%Y-%m-%d %H:%M}\t{row.kind}\t{row.note or ''}")
    click.echo(f"v0{' (live)' if live.id == versions.SEED else ''}\tthe content files")


@content_group.command("rollback")
@click.argument("version_id", type=int)
@click.option("--note", default=None)
@with_appcontext
def rollback_command(version_id: int, note: str | None) -> None:
    """Publish the words of an earlier VERSION_ID again, as a new version."""
    versions.forget_live()
    try:
        made = releases.rollback(version_id, "system", note=note)
    except releases.ReleaseError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    click.echo(f"version {made.id} is live, with the words of version {version_id}")

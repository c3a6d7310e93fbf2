"""``flask --app voice …`` commands. They call the same domain functions as the web pages."""

from __future__ import annotations

import json

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from voice import demo
from voice.insight import cli as insight_cli
from voice.rights import cli as rights_cli


@click.command("demo")
@with_appcontext
@click.option("--json", "as_json", is_flag=True, help="Print the demo accounts and links as JSON.")
@click.option("--if-empty", is_flag=True, help="Load only into an empty database; else just mint links.")
def demo_command(as_json: bool, if_empty: bool) -> None:
    """Load fictional demo data (idempotent) and mint fresh invite links."""
    if current_app.config["VOICE_ENV"] == "production":
        raise click.ClickException(
            "demo refuses to run in production: it creates accounts with a published password."
        )
    if if_empty and not demo.database_is_empty() and not demo.is_demo_database():
        click.echo("This database already holds data that is not the demo: demo data not loaded.")
        return
    info = demo.load(base_url=current_app.config["VOICE_BASE_URL"])
    if as_json:
        click.echo(json.dumps(info, indent=2))
    else:
        click.echo(demo.describe(info))


@click.command("invite")
@with_appcontext
@click.argument("child_ref")
def invite_command(child_ref: str) -> None:
    """Print a fresh single-use invite link for a child."""
    from voice.models import Child
    from voice.people import invitations

    child = Child.by_ref(child_ref)
    if child is None:
        raise click.ClickException(f"no child with ref {child_ref!r}")
    click.echo(invitations.mint_link(child, created_by=None))


@click.command("reminders")
@with_appcontext
def reminders_command() -> None:
    """Queue reminders for unread items past their deadline, then tell managers."""
    from voice.inbox import reminders

    report = reminders.send_due()
    click.echo(f"reminded {report.reminded}, escalated {report.escalated}")


keys_group = AppGroup("keys", help="Data keys for the encrypted free text (see voice/keys.py).")


@keys_group.command("status")
def keys_status_command() -> None:
    """How many stored values each data key holds, per encrypted column."""
    from voice import crypto, keys

    click.echo(f"active key: {crypto.keyring().active_kid}")
    unbound = 0
    for report in keys.status():
        unbound += report.unbound
        counts = ", ".join(f"{kid}: {n}" for kid, n in sorted(report.by_key.items())) or "empty"
        click.echo(f"  {report.name}: {counts}; not yet bound to their row: {report.unbound}")
    if unbound:
        click.echo(f"{unbound} values are not bound to their row yet: run `keys rotate`.")
    elif crypto.keyring().bound_fields_only:
        click.echo("every value is bound to its row, and unbound values are refused.")
    else:
        click.echo("every value is bound to its row: set VOICE_BOUND_FIELDS_ONLY=1 to refuse unbound ones.")


@keys_group.command("rotate")
def keys_rotate_command() -> None:
    """Re-encrypt every value under an older key or not yet bound to its row, with the active key."""
    from voice import crypto, keys

    click.echo(f"re-encrypting with key {crypto.keyring().active_kid}")
    unreadable = 0
    for report in keys.rotate():
        unreadable += report.unreadable
        click.echo(
            f"  {report.name}: {report.rewritten} re-encrypted ({report.bound} newly bound to their row), "
            f"{report.unreadable} unreadable (left as they "
            f"are), {report.changed_meanwhile} saved by someone meanwhile (already under the new key)"
        )
    if unreadable:
        raise click.ClickException(
            f"{unreadable} values could not be read: keep every old key until they are looked into"
        )


@keys_group.command("retire")
@click.argument("kid")
def keys_retire_command(kid: str) -> None:
    """Forget a data key id once nothing stored is under it, so production can start without it."""
    from voice import keys

    left = keys.retire(kid)
    if left:
        raise click.ClickException(
            f"{left} stored values are still under key {kid!r}: run `keys rotate` first"
        )
    click.echo(f"key {kid!r} retired: remove it from VOICE_DATA_KEYS")


audit_group = AppGroup("audit", help="The audit trail's hash chain (see voice/audit_chain.py).")


@audit_group.command("seal")
def audit_seal_command() -> None:
    """Seal audit events written since the last run (the worker does this every round)."""
    from voice import audit_chain

    total = 0
    while sealed := audit_chain.seal():
        total += sealed
    click.echo(f"sealed {total} audit events")


@audit_group.command("verify")
def audit_verify_command() -> None:
    """Check the hash chain over the audit trail; exits non-zero at the first broken link."""
    from voice import audit_chain

    verdict = audit_chain.verify()
    if not verdict.ok:
        raise click.ClickException(
            f"audit trail broken after {verdict.checked} good events: {verdict.problem}"
        )
    click.echo(f"audit trail intact: {verdict.checked} events, chain head {verdict.head}")


@click.command("unlock")
@with_appcontext
@click.argument("email")
def unlock_command(email: str) -> None:
    """Clear the sign-in locks on a staff or council account at once (audited)."""
    from voice.auth import staff as staff_auth
    from voice.extensions import db

    if not staff_auth.unlock(email, by="system"):
        raise click.ClickException(f"no staff or council account has the email {email!r}")
    db.session.commit()
    click.echo(f"{email}: sign-in unlocked")


@click.command("reset-second-factor")
@with_appcontext
@click.argument("email")
@click.option("--by", "admin_email", required=True, help="Your own email: an active admin account.")
def reset_second_factor_command(email: str, admin_email: str) -> None:
    """A staff member lost their phone: forget their sign-in code and recovery codes (audited).

    They are signed out and emailed; at their next sign-in the password leads them to set up an
    authenticator app again. Check it is really them asking before you run this.
    """
    from voice.models import StaffMember
    from voice.people import second_factor

    admin, person = StaffMember.by_email(admin_email), StaffMember.by_email(email)
    if person is None:
        raise click.ClickException(f"no staff member has the email {email!r}")
    try:
        outcome = second_factor.reset(admin, person.id)
    except second_factor.NotAnAdmin:
        raise click.ClickException(f"{admin_email!r} is not an active admin account") from None
    if not outcome.done:
        raise click.ClickException(f"{email} has no sign-in code set up: nothing to reset")
    click.echo(f"{email}: sign-in code reset; they have been signed out and emailed")


roles_group = AppGroup("roles", help="Database roles (PostgreSQL; see docs/deployment.md).")


@roles_group.command("grant-app")
@click.argument("role")
def roles_grant_app_command(role: str) -> None:
    """Give ROLE what the running app needs, and no more (run as the schema owner)."""
    from voice import database_roles
    from voice.extensions import db

    with db.engine.begin() as conn:
        if conn.dialect.name != "postgresql":
            raise click.ClickException("roles are a PostgreSQL feature; SQLite has none")
        for statement in database_roles.grants(conn, role):
            conn.exec_driver_sql(statement)
    click.echo(f"{role} may now run Voice; it cannot change the schema or the audit trail")


privacy_group = AppGroup("privacy", help="Subject access (see voice/privacy.py).")


@privacy_group.command("export")
@click.argument("child_ref")
@click.option(
    "--received",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day the request arrived (YYYY-MM-DD); the answer is due one calendar month later.",
)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="File to write (JSON).")
def privacy_export_command(child_ref: str, received, out: str) -> None:
    """Write everything held about one child, for the data protection officer to review."""
    import os

    from voice import privacy

    try:
        text = privacy.export(child_ref, received=received.date())
    except LookupError:
        raise click.ClickException(f"no child with ref {child_ref!r}") from None
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    answer_by = privacy.due_by(received.date()).isoformat()
    click.echo(f"wrote {out} (readable only by you). Review it before release; answer by {answer_by}.")


retention_group = AppGroup("retention", help="Deleting what Voice no longer needs (see voice/retention.py).")


@retention_group.command("run")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
def retention_run_command(dry_run: bool) -> None:
    """Delete drafts nobody has touched for VOICE_DRAFT_RETENTION_DAYS and submissions filed in
    the case record VOICE_FILED_RETENTION_DAYS ago; tell workers about submissions still not
    filed after VOICE_FILING_DUE_DAYS. Run daily."""
    from voice import retention

    report = retention.run(dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"{verb} {report.drafts_deleted} drafts untouched since {report.cutoff:%Y-%m-%d %H:%M} UTC")
    click.echo(f"{verb} {report.filed_deleted} submissions filed in the case record")
    told = "would tell" if dry_run else "told"
    click.echo(f"{told} workers about {report.overdue_notices} submissions not filed in time")


def init_app(app: Flask) -> None:
    app.cli.add_command(retention_group)
    app.cli.add_command(privacy_group)
    app.cli.add_command(keys_group)
    app.cli.add_command(reminders_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(audit_group)
    app.cli.add_command(roles_group)
    app.cli.add_command(unlock_command)
    app.cli.add_command(reset_second_factor_command)
    app.cli.add_command(invite_command)
    app.cli.add_command(insight_cli.insight_group)
    app.cli.add_command(rights_cli.ask_command)
    from voice.worker import deliver_command  # the outbox worker (voice/worker.py)

    app.cli.add_command(deliver_command)
    from voice.safeguarding.cli import safeguarding_group

    app.cli.add_command(safeguarding_group)
    from voice.studio.cli import content_group  # content check/export/import (voice/studio)

    app.cli.add_command(content_group)
    from voice.reviews.cli import reviews_group  # the review calendar (voice/reviews)

    app.cli.add_command(reviews_group)
    from voice.scenarios.cli import scenarios_group  # purposeful visits (voice/scenarios)

    app.cli.add_command(scenarios_group)
    for group in COMMAND_GROUPS:
        app.cli.add_command(group)


COMMAND_GROUPS: list[AppGroup] = []

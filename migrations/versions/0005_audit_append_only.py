"""audit events are append-only: the database refuses UPDATE and DELETE on them

Revision ID: 0005_audit_append_only
Revises: 0004_studio
Create Date: 2026-11-23 03:05:00

THREATS row 20: whoever reaches the database through the application (a bug, an injection)
must not be able to rewrite or remove who looked at a child's records. A trigger refuses it on
both databases. Someone with the owner's rights can still drop the trigger; that needs the
migration role, which the running app should not have.

If a later migration rebuilds ``audit_events`` in SQLite batch mode, the triggers go with the
old table and must be created again there.
"""
from alembic import op


revision = '0005_audit_append_only'
down_revision = '0004_studio'
branch_labels = None
depends_on = None

MESSAGE = "audit_events is append-only"

SQLITE = [
    f"""CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]

POSTGRESQL = [
    f"""CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$""",
    """CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()""",
]


def upgrade():
    statements = POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE
    for statement in statements:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")

"""audit trail hash chain: append-only seals over audit events

Revision ID: 0006_hardening
Revises: 0005_audit_append_only
Create Date: 2026-12-06 20:30:00

Issue 25 / THREATS 20: ``audit_seals`` chains a hash over every audit event, so an edited or
deleted event (by someone able to drop the append-only triggers) is found by
``flask --app voice audit verify``. The seals are append-only too.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_hardening'
down_revision = '0005_audit_append_only'
branch_labels = None
depends_on = None

MESSAGE = "audit_seals is append-only"

SQLITE = [
    f"""CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]

POSTGRESQL = [
    f"""CREATE FUNCTION audit_seals_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$""",
    """CREATE TRIGGER audit_seals_no_change BEFORE UPDATE OR DELETE ON audit_seals
        FOR EACH ROW EXECUTE FUNCTION audit_seals_append_only()""",
    """CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
        FOR EACH STATEMENT EXECUTE FUNCTION audit_seals_append_only()""",
]


def upgrade():
    op.create_table(
        'audit_seals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('prev_hash', sa.String(length=64), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.Column('sealed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_seals')),
        sa.UniqueConstraint('event_id', name=op.f('uq_audit_seals_event_id')),
    )
    statements = POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE
    for statement in statements:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_seals_no_truncate ON audit_seals")
        op.execute("DROP TRIGGER IF EXISTS audit_seals_no_change ON audit_seals")
        op.execute("DROP FUNCTION IF EXISTS audit_seals_append_only()")
    op.drop_table('audit_seals')

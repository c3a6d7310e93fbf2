"""Threat rows 10, 36, 45 and 46: filing in the case record, autosave, idempotency keys,
provider re-checks

Revision ID: 0019_threats
Revises: 0018_totpadmin
Create Date: 2026-12-07 02:00:00

- submissions.transferred_at / transferred_by_id: when a worker marked a submission as filed
  in the council's case record (retention counts from then); transfer_overdue_at: when the
  overdue-filing notice went out (so it goes once).
- conversations.autosave_encrypted / autosaved_at: the half-typed answer the chat page saves
  while the child types (encrypted like the rest of the draft).
- auth_sessions.provider_token / provider_checked_at: for staff signed in through the council's
  provider, the tokens Voice re-checks the account with, and when it last did.
- idempotency_keys: one row per Idempotency-Key a JSON post carried, with the answer given.
"""
import sqlalchemy as sa
from alembic import op


revision = '0019_threats'
down_revision = '0018_totpadmin'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions') as batch_op:
        batch_op.add_column(sa.Column('transferred_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('transferred_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('transfer_overdue_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            op.f('fk_submissions_transferred_by_id_staff_members'), 'staff_members', ['transferred_by_id'], ['id']
        )
        batch_op.create_index('ix_submissions_transferred_at', ['transferred_at'], unique=False)
    with op.batch_alter_table('conversations') as batch_op:
        batch_op.add_column(sa.Column('autosave_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('autosaved_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('auth_sessions') as batch_op:
        batch_op.add_column(sa.Column('provider_token', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('provider_checked_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'idempotency_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=80), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
        sa.UniqueConstraint('scope', 'key', name=op.f('uq_idempotency_keys_scope_key')),
    )
    op.create_index('ix_idempotency_keys_created_at', 'idempotency_keys', ['created_at'], unique=False)


def downgrade():
    op.drop_index('ix_idempotency_keys_created_at', table_name='idempotency_keys')
    op.drop_table('idempotency_keys')
    with op.batch_alter_table('auth_sessions') as batch_op:
        batch_op.drop_column('provider_checked_at')
        batch_op.drop_column('provider_token')
    with op.batch_alter_table('conversations') as batch_op:
        batch_op.drop_column('autosaved_at')
        batch_op.drop_column('autosave_encrypted')
    with op.batch_alter_table('submissions') as batch_op:
        batch_op.drop_index('ix_submissions_transferred_at')
        batch_op.drop_constraint(op.f('fk_submissions_transferred_by_id_staff_members'), type_='foreignkey')
        batch_op.drop_column('transfer_overdue_at')
        batch_op.drop_column('transferred_by_id')
        batch_op.drop_column('transferred_at')

"""staff TOTP second factor and recovery codes; form keys on alert actions and missing episodes

Revision ID: 0016_hardening2
Revises: 0015_picture
Create Date: 2026-12-07 00:10:00

Issue 25 (staff identity): staff who sign in with a password confirm it with a code from an
authenticator app (docs/adr/0023). The secret is encrypted; recovery codes are stored hashed.
An alert acknowledgement and a "came back from missing" record carry the key of the form that
was posted (unique), as replies do since 0012, so a double post stores one row.
The lead re-chains ``down_revision`` at merge (RULES.md names 0012_lows; this branch's head is
0014_insight).
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_hardening2'
down_revision = '0015_picture'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staff_totp',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.Text(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_step', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_members.id'], name=op.f('fk_staff_totp_staff_id_staff_members')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_totp')),
        sa.UniqueConstraint('staff_id', name=op.f('uq_staff_totp_staff_id')),
    )
    op.create_table(
        'staff_recovery_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['staff_id'], ['staff_members.id'], name=op.f('fk_staff_recovery_codes_staff_id_staff_members')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_recovery_codes')),
        sa.UniqueConstraint('code_hash', name=op.f('uq_staff_recovery_codes_code_hash')),
    )
    with op.batch_alter_table('staff_recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_recovery_codes_staff_id'), ['staff_id'], unique=False)
    for table in ('alert_actions', 'missing_episodes'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('key', sa.Uuid(), nullable=True))
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_key'), ['key'])


def downgrade():
    for table in ('missing_episodes', 'alert_actions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_key'), type_='unique')
            batch_op.drop_column('key')
    with op.batch_alter_table('staff_recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_recovery_codes_staff_id'))
    op.drop_table('staff_recovery_codes')
    op.drop_table('staff_totp')

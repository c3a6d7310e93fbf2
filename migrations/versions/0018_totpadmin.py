"""staff_factor_resets: an admin's reset of a staff member's second factor, keyed by its form

Revision ID: 0018_totpadmin
Revises: 0017_flat
Create Date: 2026-12-07 02:30:00

A staff member who has lost their phone is reset by an admin (page or CLI). Their TOTP secret
and recovery codes are deleted; this row says who reset whom and when, and holds the posted
form's key (unique) so a double post resets once and sends one email.
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_totpadmin'
down_revision = '0017_flat'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staff_factor_resets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('reset_by_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.Uuid(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['staff_id'], ['staff_members.id'], name=op.f('fk_staff_factor_resets_staff_id_staff_members')
        ),
        sa.ForeignKeyConstraint(
            ['reset_by_id'], ['staff_members.id'], name=op.f('fk_staff_factor_resets_reset_by_id_staff_members')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_factor_resets')),
        sa.UniqueConstraint('key', name=op.f('uq_staff_factor_resets_key')),
    )
    with op.batch_alter_table('staff_factor_resets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_factor_resets_staff_id'), ['staff_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_factor_resets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_factor_resets_staff_id'))
    op.drop_table('staff_factor_resets')

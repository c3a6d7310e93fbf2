"""a staff reply or decision carries the key of the form that was posted

Revision ID: 0012_lows
Revises: 0011_journey2
Create Date: 2026-12-06 22:00:00

Issue 25 (low findings): two posts of the same reply form store one reply. ``replies.key`` is
unique; rows written before this have none.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_lows'
down_revision = '0011_journey2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.Uuid(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_replies_key'), ['key'])


def downgrade():
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_replies_key'), type_='unique')
        batch_op.drop_column('key')

"""submissions indexed by the review they were for (issue 19)

Revision ID: 0010_staffside
Revises: 0009_calendar
Create Date: 2026-12-06 20:20:00

The case-system id and last name came with the review calendar (0009);
the inbox sorts and filters by the review a submission was for, through an index.
"""
import sqlalchemy as sa
from alembic import op


revision = '0010_staffside'
down_revision = '0009_calendar'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_review_id'), ['review_id'], unique=False)


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_review_id'))

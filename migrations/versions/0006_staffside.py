"""children: last name and case-system id; submissions indexed by review (issue 19)

Revision ID: 0006_staffside
Revises: 0005_audit_append_only
Create Date: 2026-12-06 20:20:00

The case-file export names the child in full and carries the council's case-management id;
the inbox sorts and filters by the review a submission was for, through an index.
"""
import sqlalchemy as sa
from alembic import op


revision = '0006_staffside'
down_revision = '0005_audit_append_only'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('case_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_children_case_id'), ['case_id'])
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_review_id'), ['review_id'], unique=False)


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_review_id'))
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_children_case_id'), type_='unique')
        batch_op.drop_column('case_id')
        batch_op.drop_column('last_name')

"""Insight: a table of running counts, and equality-monitoring fields on a child

Revision ID: 0014_insight
Revises: 0013_scenarios
Create Date: 2026-12-06 22:50:00

Issue 21. ``insight_counts`` is filled in the same transaction as each send, read, reply,
decision and alert; ``flask --app voice insight rebuild`` fills it from the raw tables (run
it once after this migration on a database that already holds submissions).
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_insight'
down_revision = '0013_scenarios'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'insight_counts',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('metric', sa.String(length=32), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'team_id', 'staff_id', 'metric', 'key', name=op.f('pk_insight_counts')),
    )
    op.create_index('ix_insight_counts_metric_team_day', 'insight_counts', ['metric', 'team_id', 'day'])
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ethnicity', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('gender', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('disability', sa.String(length=32), nullable=True))
    op.create_index(
        'ix_children_team_equality', 'children', ['team_id', 'date_of_birth', 'ethnicity', 'gender', 'disability']
    )
    # Uptake reads the reviews held in a period.
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_held_on'), ['held_on'], unique=False)


def downgrade():
    op.drop_index('ix_children_team_equality', table_name='children')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_held_on'))
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_column('disability')
        batch_op.drop_column('gender')
        batch_op.drop_column('ethnicity')
    op.drop_index('ix_insight_counts_metric_team_day', table_name='insight_counts')
    op.drop_table('insight_counts')

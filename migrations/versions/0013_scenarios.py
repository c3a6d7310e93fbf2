"""scenarios beyond the review: per-child contacts, urgent submissions, scenario links,
missing episodes and visits

Revision ID: 0013_scenarios
Revises: 0012_lows
Create Date: 2026-12-06 23:00:00

Issue 27. Every new column is nullable or has a server default, so existing rows need no
backfill.
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_scenarios'
down_revision = '0012_lows'
branch_labels = None
depends_on = None

CONTACTS = ('return_home_worker_id', 'designated_teacher_id', 'virtual_school_id')


def upgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        for column in CONTACTS:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f'fk_children_{column}_staff_members'), 'staff_members', [column], ['id']
            )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgent', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flow_id', sa.String(length=64), nullable=True))
    op.create_table(
        'missing_episodes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Uuid(), nullable=False),
        sa.Column('returned_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('interview_due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('submission_id', sa.Uuid(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_missing_episodes_child_id_children')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_members.id'], name=op.f('fk_missing_episodes_recorded_by_id_staff_members')),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_missing_episodes_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_missing_episodes')),
    )
    op.create_index(op.f('ix_missing_episodes_child_id'), 'missing_episodes', ['child_id'], unique=False)
    op.create_table(
        'visits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Uuid(), nullable=False),
        sa.Column('submission_id', sa.Uuid(), nullable=False),
        sa.Column('visit_on', sa.Date(), nullable=False),
        sa.Column('talked_about', sa.String(length=8), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("talked_about IN ('yes','some','no')", name=op.f('ck_visits_talked_about_known')),
        sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_visits_child_id_children')),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_visits_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_visits')),
        sa.UniqueConstraint('submission_id', name=op.f('uq_visits_submission_id')),
    )
    op.create_index(op.f('ix_visits_child_id'), 'visits', ['child_id'], unique=False)
    op.create_index(op.f('ix_visits_visit_on'), 'visits', ['visit_on'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_visits_visit_on'), table_name='visits')
    op.drop_index(op.f('ix_visits_child_id'), table_name='visits')
    op.drop_table('visits')
    op.drop_index(op.f('ix_missing_episodes_child_id'), table_name='missing_episodes')
    op.drop_table('missing_episodes')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('flow_id')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('urgent')
    with op.batch_alter_table('children', schema=None) as batch_op:
        for column in CONTACTS:
            batch_op.drop_constraint(batch_op.f(f'fk_children_{column}_staff_members'), type_='foreignkey')
            batch_op.drop_column(column)

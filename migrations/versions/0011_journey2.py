"""children can answer a reply: child_replies; a mobile number and consent for reply texts

Revision ID: 0011_journey2
Revises: 0010_staffside
Create Date: 2026-12-06 20:20:00

Issue 16 (two-way): a child's answer to a worker's reply is stored encrypted in its thread,
with a key that makes a double tap one row. ``children.reply_texts_consent`` (with the
``mobile`` the review calendar added in 0009) allows a content-free text saying there is a reply.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_journey2'
down_revision = '0010_staffside'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('child_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.Uuid(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('concern', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_child_replies_child_id_children')),
    sa.ForeignKeyConstraint(['read_by_id'], ['staff_members.id'], name=op.f('fk_child_replies_read_by_id_staff_members')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_child_replies_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_replies')),
    sa.UniqueConstraint('key', name=op.f('uq_child_replies_key'))
    )
    with op.batch_alter_table('child_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_replies_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_replies_read_at'), ['read_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_replies_submission_id'), ['submission_id'], unique=False)

    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_texts_consent', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_column('reply_texts_consent')

    with op.batch_alter_table('child_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_replies_submission_id'))
        batch_op.drop_index(batch_op.f('ix_child_replies_read_at'))
        batch_op.drop_index(batch_op.f('ix_child_replies_child_id'))

    op.drop_table('child_replies')

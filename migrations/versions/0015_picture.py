"""child_media: drawings and voice notes from the picture journey, encrypted

Revision ID: 0015_picture
Revises: 0014_insight
Create Date: 2026-12-06 23:10:00

Issue 26: the picture journey ("All about me") keeps a child's drawing or voice note as an
encrypted blob beside the draft, then beside what was sent.
"""
from alembic import op
import sqlalchemy as sa


revision = '0015_picture'
down_revision = '0014_insight'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'child_media',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('conversation_id', sa.Uuid(), nullable=False),
        sa.Column('submission_id', sa.Uuid(), nullable=True),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('node_id', sa.String(length=64), nullable=False),
        sa.Column('mime', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('seconds', sa.Integer(), nullable=True),
        sa.Column('data_encrypted', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('drawing','voice')", name=op.f('ck_child_media_kind_known')),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_child_media_conversation_id_conversations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_child_media_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_child_media')),
    )
    with op.batch_alter_table('child_media', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_media_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_media_submission_id'), ['submission_id'], unique=False)


def downgrade():
    with op.batch_alter_table('child_media', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_media_submission_id'))
        batch_op.drop_index(batch_op.f('ix_child_media_conversation_id'))
    op.drop_table('child_media')

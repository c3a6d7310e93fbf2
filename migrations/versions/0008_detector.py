"""submissions.read_soon: "please read soon" when the concern detector cannot judge the words

Revision ID: 0008_detector
Revises: 0007_alerts
Create Date: 2026-12-06 20:30:00

Issue 18: a message the detector is unsure about (another language, emoji only, too long to
screen, or its classifier in the middle band) is not an alarm and not ordinary: the staff
inbox and the submission page say "Please read soon".
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_detector'
down_revision = '0007_alerts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('read_soon', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('read_soon')

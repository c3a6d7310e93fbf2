"""submissions (status, concern, sent_at): the inbox's unread stream in index order

Revision ID: 0017_flat
Revises: 0016_hardening2
Create Date: 2026-12-07 00:30:00

The manager's inbox takes its first page from short ORDER BY ... LIMIT streams
(voice/inbox/first_page.py). The unread one is "status = 'sent', concerns first, newest
first", which this index answers without sorting the team's submissions.
"""
from alembic import op


revision = '0017_flat'
down_revision = '0016_hardening2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_submissions_status_concern_sent', 'submissions', ['status', 'concern', 'sent_at'], unique=False
    )


def downgrade():
    op.drop_index('ix_submissions_status_concern_sent', table_name='submissions')

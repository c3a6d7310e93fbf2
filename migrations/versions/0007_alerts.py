"""alerts end with a person who can act: the emergency duty role, what was done, the basic record

Revision ID: 0007_alerts
Revises: 0006_hardening
Create Date: 2026-12-06 20:20:00

- ``staff_members.role`` may be ``emergency_duty`` (the out-of-hours service);
- ``alerts.edt_notified_at``: when the emergency duty team was first told;
- ``alert_actions``: what each person who acknowledged an alert did, with an encrypted note;
- ``children.placement_address`` and ``children.carer_phone`` (encrypted, nullable): the basic
  record an out-of-hours worker needs, when the council holds it.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_alerts'
down_revision = '0006_hardening'
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('social_worker','team_manager','iro','duty','participation_officer','admin')"
NEW_ROLES = (
    "role IN ('social_worker','team_manager','iro','duty','participation_officer','admin',"
    "'emergency_duty')"
)


def _roles(check: str) -> None:
    with op.batch_alter_table('staff_members', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_staff_members_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', check)


def upgrade():
    _roles(NEW_ROLES)
    op.create_table('alert_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Uuid(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint(
        "action IN ('spoke_to_child','contacted_carer','police','strategy_discussion',"
        "'no_further_action','other')",
        name=op.f('ck_alert_actions_action_known'),
    ),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_actions_alert_id_alerts')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_members.id'], name=op.f('fk_alert_actions_staff_id_staff_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_actions'))
    )
    with op.batch_alter_table('alert_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_actions_alert_id'), ['alert_id'], unique=False)
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edt_notified_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('placement_address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('carer_phone', sa.Text(), nullable=True))
    # Escalation used to stop after its second step. An alert still open there starts repeating.
    op.execute(
        "UPDATE alerts SET next_escalation_at = CURRENT_TIMESTAMP "
        "WHERE status <> 'acknowledged' AND next_escalation_at IS NULL"
    )


def downgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_column('carer_phone')
        batch_op.drop_column('placement_address')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('edt_notified_at')
    with op.batch_alter_table('alert_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_actions_alert_id'))
    op.drop_table('alert_actions')
    op.execute("DELETE FROM staff_members WHERE role = 'emergency_duty'")
    _roles(OLD_ROLES)

"""lists: the audit log filtered by an action prefix reads only the matching entries

Revision ID: lists_0003
Revises: lists_0002
Create Date: 2026-12-03 14:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'lists_0003'
down_revision = 'lists_0002'
branch_labels = None
depends_on = None

PATTERN_OPS = {'action': 'varchar_pattern_ops'}


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        # Replaced by the wider index below, of which it is the first column.
        batch_op.drop_index('ix_audit_events_action')
        batch_op.create_index('ix_audit_events_action_order', ['action', 'at', 'id'],
                              unique=False, postgresql_ops=PATTERN_OPS)


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_action_order', postgresql_ops=PATTERN_OPS)
        batch_op.create_index('ix_audit_events_action', ['action'], unique=False)

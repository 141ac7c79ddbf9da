"""lists: staff lists walk indexes in their order (accounts, calls, texts, flagged, closed posts)

Revision ID: lists_0002
Revises: lists_0001
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'lists_0002'
down_revision = 'lists_0001'
branch_labels = None
depends_on = None

CLOSED_WHERE = "status IN ('fulfilled', 'expired')"


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_created_order', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_users_role_created_order', ['role', 'created_at', 'id'],
                              unique=False)
    with op.batch_alter_table('board_posts', schema=None) as batch_op:
        # Replaced by the wider index below, of which it is the first column.
        batch_op.drop_index('ix_board_posts_flag_count')
        batch_op.create_index('ix_board_posts_flag_order', ['flag_count', 'id'], unique=False)
        batch_op.create_index('ix_board_posts_closed_order', ['created_at', 'id'], unique=False,
                              postgresql_where=sa.text(CLOSED_WHERE),
                              sqlite_where=sa.text(CLOSED_WHERE))
    with op.batch_alter_table('sms_outbound', schema=None) as batch_op:
        batch_op.create_index('ix_sms_outbound_status_order', ['status', 'id'], unique=False)
    with op.batch_alter_table('voice_calls', schema=None) as batch_op:
        # Replaced by the wider index below, of which it is the first column.
        batch_op.drop_index('ix_voice_calls_started_at')
        batch_op.create_index('ix_voice_calls_started_order', ['started_at', 'id', 'outcome'],
                              unique=False)
        batch_op.create_index('ix_voice_calls_outcome_order', ['outcome', 'started_at', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('voice_calls', schema=None) as batch_op:
        batch_op.drop_index('ix_voice_calls_outcome_order')
        batch_op.drop_index('ix_voice_calls_started_order')
        batch_op.create_index('ix_voice_calls_started_at', ['started_at'], unique=False)
    with op.batch_alter_table('sms_outbound', schema=None) as batch_op:
        batch_op.drop_index('ix_sms_outbound_status_order')
    with op.batch_alter_table('board_posts', schema=None) as batch_op:
        batch_op.drop_index('ix_board_posts_closed_order', postgresql_where=sa.text(CLOSED_WHERE),
                            sqlite_where=sa.text(CLOSED_WHERE))
        batch_op.drop_index('ix_board_posts_flag_order')
        batch_op.create_index('ix_board_posts_flag_count', ['flag_count'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_role_created_order')
        batch_op.drop_index('ix_users_created_order')

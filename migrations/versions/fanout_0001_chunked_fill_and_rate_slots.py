"""fanout: alert deliveries written in chunks (a watermark, one row per subscriber), and
the shared send-rate slots used without Redis

Revision ID: fanout_0001
Revises: workspace_0002
Create Date: 2026-12-02 14:12:05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fanout_0001'
down_revision = 'workspace_0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sms_rate_slots',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('next_at', sa.Float(), nullable=False),
    sa.Column('head', sa.Integer(), nullable=False),
    sa.Column('last_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_sms_rate_slots'))
    )
    op.create_table('sms_rate_starts',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('pos', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'pos', name=op.f('pk_sms_rate_starts'))
    )
    with op.batch_alter_table('alert_deliveries', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_alert_deliveries_alert_id'), ['alert_id', 'subscriber_id'])

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filled_to', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('filled_to')

    with op.batch_alter_table('alert_deliveries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_alert_deliveries_alert_id'), type_='unique')

    op.drop_table('sms_rate_starts')
    op.drop_table('sms_rate_slots')

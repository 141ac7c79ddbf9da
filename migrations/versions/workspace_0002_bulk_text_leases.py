"""workspace: a lease on bulk texts being sent, so an interrupted one is resumed

Revision ID: workspace_0002
Revises: dashboard_0001
Create Date: 2026-12-02 06:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'workspace_0002'
down_revision = 'dashboard_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bulk_texts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('bulk_text_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sending_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('bulk_text_messages', schema=None) as batch_op:
        batch_op.drop_column('sending_at')
    with op.batch_alter_table('bulk_texts', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claim_token')

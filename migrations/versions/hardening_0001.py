"""countries that may be texted a code; the hotline surge switch

Revision ID: hardening_0001
Revises: alerts_0002
Create Date: 2026-12-01 20:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "hardening_0001"
down_revision = 'alerts_0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('network_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_countries', sa.String(length=120), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('surge', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('network_settings', schema=None) as batch_op:
        batch_op.drop_column('surge')
        batch_op.drop_column('code_countries')

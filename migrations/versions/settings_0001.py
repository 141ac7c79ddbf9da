"""network settings: time zone, code of conduct in Spanish

Revision ID: settings_0001
Revises: hardening_0001
Create Date: 2026-12-01 20:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = "settings_0001"
down_revision = "hardening_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("network_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code_of_conduct_es", sa.Text(), server_default="",
                                      nullable=False))
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), server_default="",
                                      nullable=False))


def downgrade():
    with op.batch_alter_table("network_settings", schema=None) as batch_op:
        batch_op.drop_column("timezone")
        batch_op.drop_column("code_of_conduct_es")

"""lists: the open queue filtered by category or area, in the queue's order

Revision ID: lists_0001
Revises: fanout_0001
Create Date: 2026-12-02 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'lists_0001'
down_revision = 'fanout_0001'
branch_labels = None
depends_on = None

OPEN_WHERE = "status IN ('new', 'triaged', 'assigned', 'in_progress', 'waiting')"
INDEXES = (("ix_help_requests_open_category_order", "category"),
           ("ix_help_requests_open_area_order", "area_id"))


def upgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        for name, column in INDEXES:
            batch_op.create_index(name, [column, 'urgency', 'created_at', 'id'], unique=False,
                                  postgresql_where=sa.text(OPEN_WHERE),
                                  sqlite_where=sa.text(OPEN_WHERE))


def downgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        for name, _column in INDEXES:
            batch_op.drop_index(name, postgresql_where=sa.text(OPEN_WHERE),
                                sqlite_where=sa.text(OPEN_WHERE))

"""dashboard: saved replies for requester texts

Revision ID: dashboard_0001
Revises: notify_0001
Create Date: 2026-12-01 23:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dashboard_0001'
down_revision = 'perf_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saved_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('title', sa.LargeBinary(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                            name=op.f('fk_saved_replies_created_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_replies'))
    )
    with op.batch_alter_table('saved_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_replies_language'), ['language'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('saved_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_replies_language'))
    op.drop_table('saved_replies')

"""workspace: request search words

Revision ID: workspace_0001
Revises: notify_0001
Create Date: 2026-12-01 23:37:19.576202

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'workspace_0001'
down_revision = 'notify_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('request_words',
    sa.Column('word', sa.String(length=64), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'], name=op.f('fk_request_words_request_id_help_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('word', 'request_id', name=op.f('pk_request_words'))
    )
    with op.batch_alter_table('request_words', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_words_request_id'), ['request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('request_words', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_words_request_id'))

    op.drop_table('request_words')

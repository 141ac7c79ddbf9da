"""reports: structured reports, photos, verdicts by several people, texted drafts

Reports made before this keep no expiry (expires_at NULL) and their state; the kinds list
starts with the usual six.

Revision ID: reports_0001
Revises: notify_0001
Create Date: 2026-12-01 23:40:04.337427

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'reports_0001'
down_revision = 'workspace_0001'
branch_labels = None
depends_on = None


def upgrade():
    kinds = op.create_table('alert_report_kinds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('name_es', sa.String(length=60), nullable=False),
    sa.Column('topic', sa.String(length=24), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_report_kinds')),
    sa.UniqueConstraint('code', name=op.f('uq_alert_report_kinds_code'))
    )
    op.bulk_insert(kinds, [
        {"code": code, "name": name, "name_es": name_es, "topic": "enforcement",
         "active": True, "position": i}
        for i, (code, name, name_es) in enumerate((
            ("checkpoint", "Checkpoint", "Retén"),
            ("home_raid", "Home raid", "Redada en una casa"),
            ("workplace", "Workplace raid", "Redada en un lugar de trabajo"),
            ("vehicle_stop", "Vehicle stop", "Parada de vehículo"),
            ("courthouse", "At a courthouse", "En un juzgado"),
            ("other", "Other", "Otro")))])
    op.create_table('alert_sms_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone_index', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('step', sa.String(length=12), nullable=False),
    sa.Column('answers', sa.LargeBinary(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_sms_drafts')),
    sa.UniqueConstraint('phone_index', name=op.f('uq_alert_sms_drafts_phone_index'))
    )
    with op.batch_alter_table('alert_sms_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_sms_drafts_expires_at'), ['expires_at'], unique=False)

    op.create_table('alert_report_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['alert_reports.id'], name=op.f('fk_alert_report_photos_report_id_alert_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_report_photos'))
    )
    with op.batch_alter_table('alert_report_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_report_photos_report_id'), ['report_id'], unique=False)

    op.create_table('alert_verdicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('note', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['alert_reports.id'], name=op.f('fk_alert_verdicts_report_id_alert_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_alert_verdicts_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_verdicts')),
    sa.UniqueConstraint('report_id', 'user_id', name=op.f('uq_alert_verdicts_report_id'))
    )
    with op.batch_alter_table('alert_verdicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_verdicts_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_verdicts_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('alert_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activity', sa.String(length=24), server_default='other', nullable=False))
        batch_op.add_column(sa.Column('officers', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('vehicles', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('agency', sa.String(length=16), server_default='', nullable=False))
        batch_op.add_column(sa.Column('vehicle_info', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_alert_reports_expires_at'), ['expires_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_alert_reports_merged_into_id_alert_reports'), 'alert_reports', ['merged_into_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_level', sa.String(length=24), nullable=True))

    with op.batch_alter_table('network_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verifiers_needed', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('report_hours', sa.Integer(), server_default='4', nullable=False))
        batch_op.add_column(sa.Column('merge_minutes', sa.Integer(), server_default='60', nullable=False))

    with op.batch_alter_table('retention_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reports', sa.Integer(), server_default='90', nullable=False))



def downgrade():
    with op.batch_alter_table('retention_settings', schema=None) as batch_op:
        batch_op.drop_column('reports')

    with op.batch_alter_table('network_settings', schema=None) as batch_op:
        batch_op.drop_column('merge_minutes')
        batch_op.drop_column('report_hours')
        batch_op.drop_column('verifiers_needed')

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('report_level')

    with op.batch_alter_table('alert_reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_alert_reports_merged_into_id_alert_reports'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_alert_reports_expires_at'))
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('vehicle_info')
        batch_op.drop_column('agency')
        batch_op.drop_column('vehicles')
        batch_op.drop_column('officers')
        batch_op.drop_column('activity')

    with op.batch_alter_table('alert_verdicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_verdicts_user_id'))
        batch_op.drop_index(batch_op.f('ix_alert_verdicts_report_id'))

    op.drop_table('alert_verdicts')
    with op.batch_alter_table('alert_report_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_report_photos_report_id'))

    op.drop_table('alert_report_photos')
    with op.batch_alter_table('alert_sms_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_sms_drafts_expires_at'))

    op.drop_table('alert_sms_drafts')
    op.drop_table('alert_report_kinds')

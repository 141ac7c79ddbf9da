"""voice hotline: calls, voicemails, blocked numbers, settings; calls retention

Revision ID: voice_0001
Revises: notify_0001
Create Date: 2026-12-01 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = "voice_0001"
down_revision = "notify_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("retention_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calls", sa.Integer(), nullable=False,
                                      server_default="90"))

    op.create_table(
        "voice_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_sid", sa.String(length=64), nullable=True),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("phone", sa.LargeBinary(), nullable=True),
        sa.Column("phone_index", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["help_requests.id"],
                                name=op.f("fk_voice_calls_request_id_help_requests"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["staff_id"], ["users.id"],
                                name=op.f("fk_voice_calls_staff_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voice_calls")),
        sa.UniqueConstraint("call_sid", name=op.f("uq_voice_calls_call_sid")),
    )
    with op.batch_alter_table("voice_calls", schema=None) as batch_op:
        batch_op.create_index("ix_voice_calls_started_at", ["started_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_voice_calls_outcome"), ["outcome"], unique=False)
        batch_op.create_index(batch_op.f("ix_voice_calls_phone_index"), ["phone_index"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_voice_calls_request_id"), ["request_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_voice_calls_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "voice_voicemails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("recording_sid", sa.String(length=64), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("audio_b64", sa.LargeBinary(), nullable=True),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_at_twilio", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["voice_calls.id"],
                                name=op.f("fk_voice_voicemails_call_id_voice_calls"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["request_id"], ["help_requests.id"],
                                name=op.f("fk_voice_voicemails_request_id_help_requests"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voice_voicemails")),
        sa.UniqueConstraint("recording_sid", name=op.f("uq_voice_voicemails_recording_sid")),
    )
    with op.batch_alter_table("voice_voicemails", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voice_voicemails_call_id"), ["call_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_voice_voicemails_request_id"), ["request_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_voice_voicemails_state"), ["state"], unique=False)

    op.create_table(
        "voice_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.LargeBinary(), nullable=False),
        sa.Column("phone_index", sa.String(length=64), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["voice_calls.id"],
                                name=op.f("fk_voice_blocks_call_id_voice_calls"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_voice_blocks_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voice_blocks")),
    )
    with op.batch_alter_table("voice_blocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voice_blocks_expires_at"), ["expires_at"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_voice_blocks_phone_index"), ["phone_index"],
                              unique=False)

    op.create_table(
        "voice_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("greeting_en", sa.Text(), server_default="", nullable=False),
        sa.Column("greeting_es", sa.Text(), server_default="", nullable=False),
        sa.Column("ring_seconds", sa.Integer(), server_default="20", nullable=False),
        sa.Column("voicemail_seconds", sa.Integer(), server_default="120", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voice_settings")),
    )


def downgrade():
    op.drop_table("voice_settings")
    with op.batch_alter_table("voice_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voice_blocks_phone_index"))
        batch_op.drop_index(batch_op.f("ix_voice_blocks_expires_at"))
    op.drop_table("voice_blocks")
    with op.batch_alter_table("voice_voicemails", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voice_voicemails_state"))
        batch_op.drop_index(batch_op.f("ix_voice_voicemails_request_id"))
        batch_op.drop_index(batch_op.f("ix_voice_voicemails_call_id"))
    op.drop_table("voice_voicemails")
    with op.batch_alter_table("voice_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voice_calls_staff_id"))
        batch_op.drop_index(batch_op.f("ix_voice_calls_request_id"))
        batch_op.drop_index(batch_op.f("ix_voice_calls_phone_index"))
        batch_op.drop_index(batch_op.f("ix_voice_calls_outcome"))
        batch_op.drop_index("ix_voice_calls_started_at")
    op.drop_table("voice_calls")
    with op.batch_alter_table("retention_settings", schema=None) as batch_op:
        batch_op.drop_column("calls")

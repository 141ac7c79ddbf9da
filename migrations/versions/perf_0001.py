"""perf: exact per-status request counts kept by triggers, indexes in the queue's order

Revision ID: perf_0001
Revises: notify_0001
Create Date: 2026-12-01 23:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'perf_0001'
down_revision = 'reports_0001'
branch_labels = None
depends_on = None

STATES = ("new", "triaged", "assigned", "in_progress", "waiting", "resolved",
          "closed_duplicate", "closed_spam", "closed_withdrawn")
OPEN_WHERE = "status IN ('new', 'triaged', 'assigned', 'in_progress', 'waiting')"

# Triggers rather than application code: a bulk DELETE (retention purge, area wipe) or a
# hand-run UPDATE changes the counts too, in the same transaction, so they cannot drift.
# An upsert, so a status the table has not seen yet still counts.
SQLITE_TRIGGERS = (
    """CREATE TRIGGER help_request_counts_insert AFTER INSERT ON help_requests
    BEGIN
        INSERT INTO help_request_counts (status, n) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
    END""",
    """CREATE TRIGGER help_request_counts_delete AFTER DELETE ON help_requests
    BEGIN
        UPDATE help_request_counts SET n = n - 1 WHERE status = OLD.status;
    END""",
    """CREATE TRIGGER help_request_counts_update AFTER UPDATE OF status ON help_requests
    WHEN OLD.status IS NOT NEW.status
    BEGIN
        UPDATE help_request_counts SET n = n - 1 WHERE status = OLD.status;
        INSERT INTO help_request_counts (status, n) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
    END""",
)

PG_FUNCTION = """
CREATE FUNCTION help_request_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE help_request_counts SET n = n - 1 WHERE status = OLD.status;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO help_request_counts (status, n) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = help_request_counts.n + 1;
    END IF;
    RETURN NULL;
END $$"""
PG_TRIGGERS = (
    """CREATE TRIGGER help_request_counts_insert_delete AFTER INSERT OR DELETE ON help_requests
    FOR EACH ROW EXECUTE FUNCTION help_request_counts_keep()""",
    """CREATE TRIGGER help_request_counts_update AFTER UPDATE OF status ON help_requests
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION help_request_counts_keep()""",
)


def upgrade():
    op.create_table('help_request_counts',
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('status', name=op.f('pk_help_request_counts'))
    )
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.create_index('ix_help_requests_status_order',
                              ['status', 'urgency', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_help_requests_open_order', ['urgency', 'created_at', 'id'],
                              unique=False, postgresql_where=sa.text(OPEN_WHERE),
                              sqlite_where=sa.text(OPEN_WHERE))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # The counts row of a status is locked by each change until its commit: take the
        # table's lock first so the starting figures and the triggers see the same rows.
        op.execute("LOCK TABLE help_requests IN SHARE ROW EXCLUSIVE MODE")
        op.execute(PG_FUNCTION)
        for statement in PG_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    op.execute("INSERT INTO help_request_counts (status, n) "
               "SELECT status, count(*) FROM help_requests GROUP BY status")
    for state in STATES:
        op.execute(sa.text("INSERT INTO help_request_counts (status, n) SELECT :s, 0 "
                           "WHERE NOT EXISTS (SELECT 1 FROM help_request_counts "
                           "WHERE status = :s)").bindparams(s=state))


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER help_request_counts_update ON help_requests")
        op.execute("DROP TRIGGER help_request_counts_insert_delete ON help_requests")
        op.execute("DROP FUNCTION help_request_counts_keep()")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER help_request_counts_{name}")
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_help_requests_open_order',
                            postgresql_where=sa.text(OPEN_WHERE),
                            sqlite_where=sa.text(OPEN_WHERE))
        batch_op.drop_index('ix_help_requests_status_order')
    op.drop_table('help_request_counts')

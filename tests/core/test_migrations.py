"""Migrations and models agree, and every revision goes down and up again with data in place."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from aid.extensions import db


def schema_diff() -> list:
    with db.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), db.metadata)


def test_migrated_schema_matches_the_models(app):
    assert schema_diff() == [], "models and migrations differ: run `aid db migrate`"


def test_downgrade_to_base_and_upgrade_again(app, make_user):
    make_user(email="keep@example.org")
    db.session.commit()
    db.session.remove()
    downgrade(revision="base")
    assert "users" not in inspect(db.engine).get_table_names()
    upgrade()
    assert "users" in inspect(db.engine).get_table_names()
    assert schema_diff() == []

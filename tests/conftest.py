"""Shared fixtures: an app per test on a migrated database, users of every role, sign-in.

SQLite by default (a migrated template file copied per test); PostgreSQL and Redis when
AID_TEST_DATABASE_URL / AID_TEST_REDIS_URL are set (migrated once, tables emptied per test).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import text

from aid import create_app, pagecache, snapshots
from aid.auth import service as accounts
from aid.auth.models import Role, Status, User
from aid.extensions import db, limiter
from tests.helpers import PASSWORD, PG_URL, AidTest, make_config

# The fake Twilio, the SMTP server, the app wired to them and the registries' restore: one
# copy for every directory (see tests/fakes/fixtures.py).
pytest_plugins = ["tests.fakes.fixtures"]


def _migrate(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        db.engine.dispose()  # closing the last connection folds SQLite's WAL into the file


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database: a SQLite file to copy, or the PostgreSQL URL, migrated once."""
    folder = tmp_path_factory.mktemp("template")
    if PG_URL:
        app = create_app(make_config(folder, PG_URL))
        with app.app_context(), db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        _migrate(app)
        return PG_URL
    path = folder / "template.db"
    _migrate(create_app(make_config(folder, f"sqlite:///{path}")))
    return str(path)


def _fresh_g() -> None:
    """Tests hold an app context open to use the database, and Flask lets every request in the
    test reuse it; start each request with an empty `g`, as a real server's request would."""
    for name in list(vars(g)):
        delattr(g, name)


def _empty_tables() -> None:
    tables = [t.name for t in db.metadata.sorted_tables]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for name in reversed(tables):
            db.session.execute(text(f"DELETE FROM {name}"))  # noqa: S608 (table names only)
    db.session.commit()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test of one database's own plans (marked `sqlite` or `postgresql`) is left out where
    the suite runs on the other database, as the walk is left out of `make test-scale`:
    nothing is skipped for a reason a reader has to guess."""
    other = "sqlite" if PG_URL else "postgresql"
    left_out = [item for item in items if item.get_closest_marker(other)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker(other)]


@pytest.fixture
def app_factory(database_template: str, tmp_path: Path):
    """Build an app on the test database, with settings overridden per test."""
    made: list[Flask] = []

    def build(**overrides: str) -> Flask:
        if PG_URL:
            url = PG_URL
        else:
            path = tmp_path / "aid.db"
            if not path.exists():
                shutil.copy(database_template, path)
            url = f"sqlite:///{path}"
        app = create_app(make_config(tmp_path, url, **overrides))
        app.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)
        made.append(app)
        return app

    yield build
    for app in made[:1]:
        with app.app_context():
            db.session.remove()
            if PG_URL:
                _empty_tables()
            limiter.reset()
            pagecache.clear_all(app)
            snapshots.drop()  # the tables were emptied by raw SQL
            db.engine.dispose()


@pytest.fixture
def app(app_factory) -> Iterator[Flask]:
    application = app_factory()
    with application.app_context():
        limiter.reset()
        pagecache.clear_all(application)  # kept pages in Redis outlive an app
        snapshots.drop()
        yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


# -- data and sign-in helpers -------------------------------------------------------------

@pytest.fixture
def make_user(app: Flask):
    counter = iter(range(1, 10_000))

    def make(role: Role | str = Role.VOLUNTEER, status: Status | str | None = None,
             email: str | None = None, name: str | None = None, totp: bool = True) -> User:
        n = next(counter)
        user = accounts.create_user(email or f"{role}{n}@example.org", name or f"Person {n}",
                                    role, PASSWORD, status)
        if user.needs_totp and totp:
            accounts.enrol_totp_now(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def paged_client(aid_test: AidTest, app_factory, make_user):
    """`paged_client(role)`: a client signed in as `role` on an app that shows 3 items a page,
    so a few rows make several pages of a list."""
    with ExitStack() as contexts:
        def make(role: Role | str) -> FlaskClient:
            app = app_factory(AID_ITEMS_PER_PAGE="3")
            contexts.enter_context(app.app_context())
            client = app.test_client()
            aid_test.sign_in(client, make_user(role))
            return client

        yield make


@pytest.fixture
def aid_test() -> AidTest:
    """The shared steps (sign in, post a form, a fresh TOTP code) as one object's methods."""
    return AidTest()


@pytest.fixture
def signed_in(client: FlaskClient, make_user, aid_test: AidTest):
    """`signed_in(role, status)` -> a client signed in as a new user of that kind, and the user."""

    def sign(role: Role | str = Role.VOLUNTEER, status: Status | str | None = None):
        user = make_user(role, status)
        aid_test.sign_in(client, user)
        return user

    return sign

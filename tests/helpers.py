"""What many tests do the same way: sign in, post a form like a browser, read a TOTP code.

Tests reach these through the `aid_test` fixture (`aid_test.sign_in(client, user)`), not by
importing from conftest.py; the settings tests need at import time (which database, the run's
keys, the shared password) are plain constants here.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pyotp
from flask.testing import FlaskClient
from sqlalchemy import event

from aid.auth.models import User
from aid.extensions import db
from aid.security.keys import generate as generate_keys
from config import TestConfig

PG_URL = os.environ.get("AID_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("AID_TEST_REDIS_URL", "")
PASSWORD = "a long test password"
# One set of throwaway keys for the run, so two apps in one test read each other's rows.
KEYS = generate_keys()


def make_config(instance: Path, database_url: str, **overrides: str) -> TestConfig:
    environ = {**KEYS, "AID_INSTANCE_PATH": str(instance), "AID_DATABASE_URL": database_url,
               "AID_REDIS_URL": REDIS_URL, "AID_LOGIN_LIMIT": "100 per minute"}
    environ.update(overrides)
    return TestConfig(environ)


class AidTest:
    """The shared steps, as methods; the `aid_test` fixture hands one to each test."""

    PASSWORD = PASSWORD
    PG_URL = PG_URL
    REDIS_URL = REDIS_URL
    KEYS = KEYS

    @staticmethod
    def csrf_token(client: FlaskClient, path: str = "/") -> str:
        html = client.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def post_form(self, client: FlaskClient, path: str, data: dict, **kwargs: Any):
        """POST like a browser that loaded the page first: with the page's CSRF token."""
        token = self.csrf_token(client, path if client.get(path).status_code == 200 else "/")
        return client.post(path, data={"csrf_token": token, **data}, **kwargs)

    @staticmethod
    def totp_code(user: User) -> str:
        """A code the account has not used yet (the next time step if this one was used)."""
        secret = pyotp.TOTP(user.totp_secret)
        step = secret.timecode(time.time())
        if user.totp_last_step is not None and user.totp_last_step >= step:
            step = user.totp_last_step + 1
        return secret.generate_otp(step)

    def sign_in(self, client: FlaskClient, user: User, password: str = PASSWORD):
        response = self.post_form(client, "/login", {"email": user.email, "password": password})
        if user.needs_totp:
            assert response.headers["Location"].endswith("/login/code"), \
                response.get_data(as_text=True)
            db.session.refresh(user)
            response = self.post_form(client, "/login/code", {"code": self.totp_code(user)})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    @staticmethod
    def count_queries(client: FlaskClient, path: str) -> int:
        """The SQL statements one GET of `path` sends (it must answer 200), once what each
        process keeps (the settings and areas, `aid.snapshots`) has been read by a first GET
        (with a query string of its own, so that a kept public page is not what is counted)."""
        client.get(f"{path}{'&' if '?' in path else '?'}warm=1")
        seen: list[str] = []

        def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            response = client.get(path)
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert response.status_code == 200, (path, response.status_code)
        return len(seen)

    @staticmethod
    def explain(statement: str, parameters: Any, sorts: bool = False) -> str:
        """The database's plan for one statement with its parameters, one step a line:
        SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN with sequential scans and sorts
        made a last resort, so that on a test's few rows the plan shows whether an index can
        serve the statement (on so few rows PostgreSQL would rather read them all). `sorts`:
        a sort is as cheap as PostgreSQL reckons (sorting a few matches beats walking a
        whole index in order)."""
        sqlite = db.engine.dialect.name == "sqlite"
        cursor = db.session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            if sqlite:
                cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
                return "\n".join(str(row[-1]) for row in cursor.fetchall())
            cursor.execute("SET enable_seqscan = off")
            if not sorts:
                cursor.execute("SET enable_sort = off")
            try:
                cursor.execute(f"EXPLAIN {statement}", parameters)
                return "\n".join(str(row[0]) for row in cursor.fetchall())
            finally:
                cursor.execute("RESET enable_seqscan")
                cursor.execute("RESET enable_sort")
        finally:
            cursor.close()

    @staticmethod
    def statements_sent(call: Any) -> list[tuple[str, Any]]:
        sent: list[tuple[str, Any]] = []

        def listen(_conn: Any, _cursor: Any, statement: str, parameters: Any,
                   *_args: Any) -> None:
            sent.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            call()
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        return sent

    def query_plan(self, query: Any) -> str:
        """The plan of a statement as the app sends it, bound parameters and all (a plan of
        the SQL with the values written in can differ: SQLite matches a partial index only
        to literals)."""
        statement, parameters = self.statements_sent(lambda: db.session.execute(query).all())[-1]
        return self.explain(statement, parameters)

    def page_plans(self, client: FlaskClient, path: str, table: str,
                   sorts: bool = False) -> list[str]:
        """The plans of the SELECTs reading `table` that one GET of `path` sends."""
        sent = self.statements_sent(lambda: client.get(path))
        return [self.explain(statement, parameters, sorts) for statement, parameters in sent
                if statement.lstrip().upper().startswith("SELECT")
                and re.search(rf"\bFROM {table}\b", statement)]

    def assert_pages_walk(self, client: FlaskClient, path: str, table: str, index: str) -> None:
        """On a list's first page and on the page its Older link leads to, the SELECTs of
        `table` use `index`, and none of those sorts: each page walks the index from its key."""
        first = client.get(path).get_data(as_text=True)
        older = re.search(r'<a rel="next" href="([^"]+)"', first)
        assert older, (path, "no Older link")
        for page in (path, older.group(1).replace("&amp;", "&")):
            plans = [p for p in self.page_plans(client, page, table) if index in p]
            assert plans, (page, index, self.page_plans(client, page, table))
            for plan in plans:
                assert "TEMP B-TREE" not in plan and "Sort" not in plan, (page, plan)

    @staticmethod
    def walk_pages(client: FlaskClient, path: str, item: str) -> list[list[str]]:
        """Follow a list's "Older" links from `path` to its end: the items (the first group
        of the regular expression `item`) of each page, in order."""
        pages: list[list[str]] = []
        next_path: str | None = path
        while next_path and len(pages) < 100:
            response = client.get(next_path)
            assert response.status_code == 200, (next_path, response.status_code)
            html = response.get_data(as_text=True)
            pages.append(re.findall(item, html))
            found = re.search(r'<a rel="next" href="([^"]+)"', html)
            next_path = found.group(1).replace("&amp;", "&") if found else None
        return pages

    @staticmethod
    def make_config(instance: Path, database_url: str, **overrides: str) -> TestConfig:
        return make_config(instance, database_url, **overrides)

"""The Flask extensions, created once here and bound to the app in `create_app`."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, ClassVar, cast

from flask import Flask, current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.model import Model as FlaskModel
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import ColumnElement, CursorResult, MetaData, Result, Table, literal_column
from sqlalchemy.orm import DeclarativeBase, QueryableAttribute

# Named constraints make Alembic's migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def client_key() -> str:
    """Who is asking, for rate limits: a keyed hash of the address, never the address itself.

    The hash lives only in the limiter's memory or Redis, with the limit's expiry.
    """
    address = (request.remote_addr or "unknown").encode()
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, address, hashlib.sha256).hexdigest()[:32]


db = SQLAlchemy(model_class=Base)

# Every model subclasses `Model`. At run time it is `db.Model`, a class Flask-SQLAlchemy
# builds from Base when `db` is made; a type checker cannot see a base class made at run
# time, so it is shown the same thing spelled out: Flask-SQLAlchemy's mixin on Base.
if TYPE_CHECKING:
    class Model(FlaskModel, Base):
        __abstract__ = True
        __table__: ClassVar[Table]  # every model here is mapped to a table, not a query
else:
    Model = db.Model

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
_CHECKED = "aid.limits_checked"


class RouteLimiter(Limiter):
    """Flask-Limiter with the limits checked by the limited routes alone.

    Flask-Limiter's `before_request` hook looks up every request's view and its limits, a fifth
    of what `/healthz` costs, though only the routes decorated with `limit` have any (no
    application-wide, default or blueprint limits are used). So the hook is off
    (`auto_check=False`) and each decorated route checks its own limits with `check()`, the
    explicit check Flask-Limiter documents for that setting. Limits stacked on one route are
    checked together, once per request."""

    def __init__(self, key_func: Callable[[], str]) -> None:
        super().__init__(key_func=key_func, auto_check=False)

    def init_app(self, app: Flask) -> None:
        for name in ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META"):
            if app.config.get(name):
                # No hook would ever check them: refuse to start rather than not limit.
                raise RuntimeError(f"{name} is not supported: decorate the routes instead")
        super().init_app(app)

    def limit(self, limit_value: Any, **options: Any) -> Any:
        register = super().limit(limit_value, **options)

        def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(view)
            def checked(*args: Any, **kwargs: Any) -> Any:
                if not request.environ.get(_CHECKED):
                    request.environ[_CHECKED] = True
                    self.check()  # every limit of this route; raises RateLimitExceeded (429)
                return view(*args, **kwargs)

            return register(checked)

        return decorate


limiter = RouteLimiter(key_func=client_key)


def rowcount(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE run through `db.session.execute` matched."""
    # The session returns a CursorResult for these; SQLAlchemy 2.0 types it as a plain Result.
    return cast(CursorResult[Any], result).rowcount


def in_literals(column: QueryableAttribute[str], values: Iterable[str]) -> ColumnElement[bool]:
    """`column IN ('a', 'b')` with the values written into the SQL, not bound. SQLite uses a
    partial index only when, as it prepares the statement, it sees that the query's WHERE
    implies the index's, which it cannot see through `IN (?, ?)`. For the code's own fixed
    states only, never for anything a person typed."""
    written: list[ColumnElement[Any]] = []
    for value in values:
        if not value.replace("_", "").isalnum():
            raise ValueError(f"not a plain state name: {value!r}")
        written.append(literal_column(f"'{value}'"))
    return column.in_(written)

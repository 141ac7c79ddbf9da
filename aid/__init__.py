"""Aid: coordination for neighbourhood mutual-aid and rapid-response networks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from aid import assets, fragments, i18n, pagecache, tasks, urls
from aid.errors import DomainError, back_endpoint
from aid.extensions import babel, csrf, db, limiter, login_manager, migrate
from aid.network.service import LANGUAGE_LABELS, LANGUAGE_NAMES, current_settings
from aid.phones import display_phone
from aid.security import access, headers, keys
from aid.security.access import Level, user_level
from aid.security.cleaning import CleanRequest
from aid.security.numbers import BoundedIntConverter
from aid.timeutil import shown, zone_name
from config import Config, config_from_env

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Config | None = None) -> Flask:
    # templates/ and static/ sit beside the package (the design card), so name them here.
    cfg = config or config_from_env()
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=cfg.INSTANCE_PATH,
    )
    app.request_class = CleanRequest  # every form value arrives cleaned (one text cleaner)
    app.config.from_object(cfg)
    app.config["ENV_NAME"] = cfg.ENV_NAME
    app.jinja_env.add_extension("jinja2.ext.do")

    keys.install(app)
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    app.url_map.converters["int"] = BoundedIntConverter  # before any route is added
    _init_extensions(app)
    _register_blueprints(app)
    _register_error_pages(app)

    access.check(app)  # every route declared its access level next to it, or no start

    # The commands reach every feature (`aid demo` fills them all): loaded with an app only.
    from aid.commands import register_app_commands

    register_app_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    # Features come in with an app, not with `import aid`: a migration, a task or a test
    # helper that imports one module of aid must not load every feature. (`aid.models` is
    # every table, for Alembic and the mapper.)
    from aid import models  # noqa: F401
    from aid.auth import duress
    from aid.auth.models import ROLE_LABELS, STATUS_LABELS
    from aid.auth.service import load_session_user

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            event.listen(db.engine, "handle_error", _hide_server_detail)
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
            event.listen(db.engine, "begin", _sqlite_begin_immediate)
            app.teardown_request(_release_write_lock)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.user_loader(load_session_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = None  # our session token does this job; see auth.models
    csrf.init_app(app)
    i18n.compile_catalogues()
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=zone_name)
    i18n.install(app, babel)
    limiter.init_app(app)
    tasks.configure(app)
    headers.init_app(app)  # session expiry runs before the access check
    assets.init_app(app)  # static URLs name their content; those are cached for a year
    pagecache.init_app(app)  # anonymous visitors' public lists, kept a few seconds
    access.init_app(app)

    duress.init_app(app)  # after access: it reads the signed-in user the access check loaded

    app.jinja_env.globals["url_for"] = urls.page_url  # a page's links, built once each
    app.jinja_env.globals["kept"] = fragments.kept  # interface text rendered once
    app.add_template_filter(display_phone, "phone")
    app.add_template_filter(shown, "when")
    app.add_template_filter(lambda stored: shown(stored, "day"), "day")
    app.add_template_filter(lambda stored: shown(stored, "clock"), "clock")

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"network": current_settings(), "level": user_level(), "Level": Level,
                "locale": str(get_locale()), "language_names": LANGUAGE_LABELS,
                "language_endonyms": LANGUAGE_NAMES,
                "bare_form": _BARE_FORM, "role_labels": ROLE_LABELS,
                "account_status_labels": STATUS_LABELS}


class _CsrfField:
    """`{{ bare_form.csrf_token }}` for the forms in the page frame (sign out, language): the
    hidden field a WTForms form would render, without building a form on every page. The
    token is the session's, made when the page is rendered."""

    def __html__(self) -> str:
        from flask_wtf.csrf import generate_csrf
        from markupsafe import escape

        return (f'<input id="csrf_token" name="csrf_token" type="hidden" '
                f'value="{escape(generate_csrf())}">')

    __str__ = __html__


class _BareForm:
    csrf_token = _CsrfField()


_BARE_FORM = _BareForm()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted personal data is overwritten on disk
    cursor.execute("PRAGMA journal_mode=WAL")  # web and worker write at the same time
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


# Each try waits up to the busy timeout (5 s) for the lock: a minute in all before giving up.
BUSY_RETRIES = 12


def _sqlite_begin_immediate(conn: Any) -> None:
    """A request that changes something (any method but GET/HEAD/OPTIONS) takes SQLite's
    write lock when its transaction starts (BEGIN IMMEDIATE); the rest begin as usual.

    A deferred transaction that reads first and writes later cannot always upgrade its lock
    when another connection wrote meanwhile: SQLite answers "database is locked" at once,
    whatever the busy timeout, and a person's help request was lost with a 500. Taking the
    lock up front makes writers queue behind each other (the busy timeout waits for it);
    should even that run out, the start is tried again a few times. Reads keep WAL's
    readers-never-wait behaviour (the driver's own BEGIN, issued before the first write).
    """
    import sqlite3
    import time

    from flask import g, has_request_context, request

    if not has_request_context() or request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return  # asked for no transaction at all (a checkpoint, say)
    if conn.connection.dbapi_connection.in_transaction:
        return  # the driver already opened one (a write earlier on this connection)
    for attempt in range(BUSY_RETRIES):
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            g.aid_write_lock = True
            return
        except Exception as exc:  # SQLAlchemy wraps sqlite3's error
            busy = isinstance(getattr(exc, "orig", exc), sqlite3.OperationalError) and (
                "locked" in str(exc) or "busy" in str(exc))
            if not busy or attempt == BUSY_RETRIES - 1:
                raise
            time.sleep(min(1.0, 0.05 * 2**attempt))


def _hide_server_detail(context: Any) -> Any:
    """PostgreSQL repeats a failing row's values in its error DETAIL ("Failing row contains
    (...)"), which `hide_parameters` cannot reach: raise the same error without them, so no
    log or error page carries a person's (encrypted or hashed) values."""
    orig = context.original_exception
    detail = getattr(getattr(orig, "diag", None), "message_detail", None)
    if not detail:
        return None
    error = context.sqlalchemy_exception
    quiet = type(orig)(str(orig).replace(detail, "(values hidden)"))
    return type(error)(error.statement, None, quiet, hide_parameters=True)


def _release_write_lock(_exc: BaseException | None) -> None:
    """End a write transaction the request opened and left with nothing to write (a read
    after its last commit, say), so the write lock never outlives the request. The app
    context's teardown would end it too, but later: a task, a test or a CLI command that
    holds one app context across requests would otherwise keep every other writer out."""
    from flask import g

    if g.pop("aid_write_lock", False):
        session = db.session()
        if not (session.new or session.dirty or session.deleted):
            session.rollback()


def _register_blueprints(app: Flask) -> None:
    # Each feature is imported when an app is built, as in `_init_extensions`.
    from aid.admin import bp as admin_bp
    from aid.alerts import bp as alerts_bp
    from aid.auth import bp as auth_bp
    from aid.backup import bp as backup_bp
    from aid.board import bp as board_bp
    from aid.cases import bp as cases_bp
    from aid.core import bp as core_bp
    from aid.dashboard import bp as dashboard_bp
    from aid.hotline import bp as hotline_bp
    from aid.notify import bp as notify_bp
    from aid.outreach import bp as outreach_bp
    from aid.privacy.views import bp as privacy_bp
    from aid.shifts import bp as shifts_bp
    from aid.sms import bp as sms_bp
    from aid.sms import subscriptions_bp
    from aid.texts import bp as texts_bp
    from aid.transfer import bp as transfer_bp
    from aid.voice import bp as voice_bp
    from aid.volunteers import bp as volunteers_bp

    for bp in (core_bp, auth_bp, admin_bp, texts_bp, hotline_bp, board_bp, sms_bp,
               subscriptions_bp, volunteers_bp, shifts_bp, privacy_bp, alerts_bp, backup_bp,
               notify_bp, voice_bp, cases_bp, outreach_bp, transfer_bp, dashboard_bp):
        app.register_blueprint(bp)


def _register_error_pages(app: Flask) -> None:
    titles = {
        400: lambda: _("Something in that request was not right"),
        403: lambda: _("You cannot open this page"),
        404: lambda: _("Page not found"),
        405: lambda: _("That action is not possible here"),
        409: lambda: _("That is not possible now"),
        413: lambda: _("That was too much text or too large a file"),
        429: lambda: _("Please slow down"),
        500: lambda: _("Something went wrong on our side"),
    }

    def render(code: int) -> tuple[str, int]:
        title = titles.get(code, titles[500])()
        return render_template("errors.html", code=code, title=title, typed=_typed_text(code),
                               wait_minutes=_wait_minutes() if code == 429 else 0), code

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        if isinstance(exc, SecurityError):
            # A Host (or X-Forwarded-Host) outside AID_PUBLIC_URL / AID_TRUSTED_HOSTS: no page
            # of ours is built for it, so no link can carry the forged name.
            return Response("Unknown host\n", 400, mimetype="text/plain")
        if exc.code is None or exc.code < 400 or exc.code not in titles:
            return exc
        return render(exc.code)

    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError) -> Any:
        """The one place a service's refusal becomes what the person sees: on a view that
        names a page to go back to, the message flashed there; elsewhere the status page."""
        from flask import flash, redirect, request, url_for

        db.session.rollback()  # nothing a refused action left half-done is kept
        back = back_endpoint(app.view_functions.get(request.endpoint or ""))
        if back is not None and exc.message is not None:
            flash(exc.message, "error")
            return redirect(url_for(back, **(request.view_args or {})))
        return render(exc.status)

    @app.errorhandler(CSRFError)
    def _csrf_error(_exc: CSRFError) -> Any:
        return render(400)

    @app.errorhandler(500)
    def _server_error(_exc: Exception) -> Any:
        db.session.rollback()
        return render(500)


def _wait_minutes() -> int:
    """How long until the limit that refused this request lets it through again."""
    import time

    current = limiter.current_limit
    if current is None:
        return 1
    # To the nearest minute: the storage's reset time lies up to a second past the window.
    return max(1, round((current.reset_at - time.time()) / 60))


SECRET_FIELDS = ("csrf_token", "password", "confirm", "current", "code", "website", "started")


def _typed_text(code: int) -> list[str]:
    """What someone wrote in a refused form (rate limit, expired form), shown back to them so it
    is not lost; kept nowhere. Secrets and hidden fields are left out."""
    from flask import request

    if code not in (400, 429, 500) or request.method != "POST" or request.content_length is None:
        return []
    try:
        values = request.form.items(multi=True)
    except HTTPException:
        return []
    return [value for name, value in values
            if len(value.strip()) > 2 and not any(s in name for s in SECRET_FIELDS)
            and name not in ("next", "lang", "action")]

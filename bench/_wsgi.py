"""The two apps `bench.pages` serves under gunicorn, built from the environment it is given:
the app as `bench._server.bench_app` makes it (test settings, rate limits off) with its jobs
queued as in production, and the bare `SELECT 1` yardstick on the same database."""

from __future__ import annotations

import os

from flask import Flask


def pages() -> Flask:
    from aid import create_app, tasks
    from config import TestConfig

    app = create_app(TestConfig(os.environ))
    app.config["RATELIMIT_ENABLED"] = False
    tasks.huey.immediate = False  # as deployed: jobs are queued for a worker, not run here
    return app


def bare() -> Flask:
    from bench._server import bare_app

    return bare_app(os.environ["AID_DATABASE_URL"])

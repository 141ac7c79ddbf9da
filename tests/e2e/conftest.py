"""A live server on 127.0.0.1, and Debian's Chromium driven by Playwright (never a download)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from aid import tasks
from tests.e2e.pages import STEP_TIMEOUT_MS

CHROMIUM = os.environ.get("AID_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def app_settings() -> dict[str, str]:
    """For a journey that names `twilio_app` its app: the live server is plain
    http://127.0.0.1, so links and cookies are for that address, not the https site."""
    return {"AID_PUBLIC_URL": ""}


@pytest.fixture
def small_fanout() -> dict[str, str]:
    """Alert fan-out in small steps, so a journey watches the progress bar move."""
    return {"AID_ALERT_CONCURRENCY": "2", "AID_ALERT_BATCH": "4", "AID_ALERT_JOBS": "1"}


@pytest.fixture
def queue_worker(twilio_app) -> Iterator[None]:
    """Jobs go to the real queue (not run in the request) and a consumer thread runs them,
    as `aid worker` would."""
    tasks.huey._immediate = False
    tasks.huey.storage = tasks.huey.create_storage()
    tasks.huey.flush()
    consumer = tasks.huey.create_consumer(workers=2, worker_type="thread", periodic=False)
    consumer.start()
    yield
    consumer.stop(graceful=True)
    tasks.huey.flush()
    tasks.huey._immediate = True

"""The fixtures every test directory shares, loaded for the whole suite by
`pytest_plugins` in tests/conftest.py (so no conftest imports another's):

- `twilio`: the fake Twilio (one server per run, emptied for each test);
- `smtp`: the SMTP server (one per run, emptied for each test);
- `twilio_app`: an app whose texts go to the fake Twilio; a directory's conftest names it
  its `app` and adds settings by overriding `app_settings` (which may ask for `smtp`);
- `https_client`: a test client over https, like the public site (Secure cookies);
- `_registries_restored` (autouse): every registry a feature or test fills at run time is
  put back as it was before the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import FunctionType, ModuleType

import pytest
from flask import Flask
from flask.testing import FlaskClient

# Every feature package, imported before any test runs: features fill the registries below
# when they are imported, and a snapshot taken before such an import would undo it for good.
import aid.models  # noqa: F401
import aid.privacy.views  # noqa: F401
from aid import tasks
from aid.extensions import limiter
from aid.notify import service as notify
from aid.privacy import registry as privacy
from aid.security import rotation
from aid.sms import router
from aid.volunteers import service as volunteers
from tests.fakes.fake_twilio import FakeTwilio, twilio_settings
from tests.fakes.smtp_server import SmtpServer


@pytest.fixture(scope="session")
def fake_twilio_server() -> Iterator[FakeTwilio]:
    server = FakeTwilio().start()
    yield server
    server.stop()


@pytest.fixture
def twilio(fake_twilio_server: FakeTwilio) -> Iterator[FakeTwilio]:
    fake_twilio_server.reset()
    yield fake_twilio_server
    fake_twilio_server.release()  # a failed test must not leave senders waiting at the gate


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server: SmtpServer) -> SmtpServer:
    smtp_server.reset()
    return smtp_server


@pytest.fixture
def app_settings() -> dict[str, str]:
    """Settings a directory adds to `twilio_app` (override this fixture to add some)."""
    return {}


@pytest.fixture
def twilio_app(app_factory, twilio: FakeTwilio, app_settings: dict[str, str]) -> Iterator[Flask]:
    application = app_factory(**{**twilio_settings(twilio), **app_settings})
    with application.app_context():
        limiter.reset()
        yield application


@pytest.fixture
def https_client(app: Flask) -> FlaskClient:
    """Over https, like the public site: the session cookie is `Secure` when AID_PUBLIC_URL is."""
    test_client = app.test_client()
    test_client.environ_base["wsgi.url_scheme"] = "https"
    test_client.environ_base["HTTP_REFERER"] = "https://localhost/"  # CSRF's https check
    return test_client


# -- registries ---------------------------------------------------------------------------

# Modules that are nothing but registries: every module-level value is saved and restored,
# so a registry added to them later is covered without a change here.
WHOLE_MODULES: tuple[ModuleType, ...] = (router, privacy)
# Registries kept in modules that also hold other state (caches, clients): named one by one.
NAMED: tuple[tuple[ModuleType, str], ...] = (
    (volunteers, "_access_cut_hooks"), (notify, "_directory"), (tasks, "_timers"),
    (rotation, "REBUILDERS"))

Saved = list[tuple[ModuleType, str, object, object]]  # module, name, the object, its contents


def _contents(value: object) -> object:
    """A copy of a registry's contents, one level down (the answerers' lists too)."""
    if isinstance(value, dict):
        return {k: list(v) if isinstance(v, list) else v for k, v in value.items()}
    if isinstance(value, list | set):
        return type(value)(value)
    return None


def _snapshot() -> Saved:
    names = [(m, name) for m in WHOLE_MODULES for name, value in vars(m).items()
             if not name.startswith("__") and not isinstance(value, ModuleType | type)
             and not (isinstance(value, FunctionType) and value.__module__ == m.__name__)]
    saved = [(m, name, getattr(m, name)) for m, name in [*names, *NAMED]]
    return [(m, name, value, _contents(value)) for m, name, value in saved]


def _restore(saved: Saved) -> None:
    for module, name, value, contents in saved:
        if isinstance(value, dict):
            value.clear()
            value.update(contents)  # type: ignore[call-overload]
        elif isinstance(value, list):
            value[:] = contents  # type: ignore[index]
        elif isinstance(value, set):
            value.clear()
            value.update(contents)  # type: ignore[call-overload]
        setattr(module, name, value)  # a name the module rebound (`global`) is put back too


@pytest.fixture(autouse=True)
def _registries_restored() -> Iterator[None]:
    """Keywords, answerers, conversations, blockers, the fallback, privacy hooks... that a
    test (or an app it builds) registers are gone after it, and what it replaced is back."""
    saved = _snapshot()
    yield
    _restore(saved)

"""What the voice hotline asks of Twilio's REST API: place a call (masked callbacks), fetch a
recording's audio and delete it. The official client, pointed at `TWILIO_API_BASE` in tests
(the same client the SMS gateway uses). Nothing here logs a number."""

from __future__ import annotations

from typing import Any

import requests
from flask import current_app
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from aid.sms.backends import TIMEOUT_SECONDS, TWILIO_ORIGIN, twilio_client

MAX_AUDIO_BYTES = 20 * 1024 * 1024  # far above ten minutes of Twilio's mp3


class TwilioUnavailable(Exception):
    """Twilio could not do it now (not configured, refused, unreachable); try later."""


def _config() -> tuple[str, str, str]:
    cfg = current_app.config
    if not (cfg["TWILIO_ACCOUNT_SID"] and cfg["TWILIO_AUTH_TOKEN"]):
        raise TwilioUnavailable("Twilio is not configured")
    return cfg["TWILIO_ACCOUNT_SID"], cfg["TWILIO_AUTH_TOKEN"], cfg["TWILIO_API_BASE"]


def _client() -> Client:
    return twilio_client(*_config())


def _guard(what: str, fn: Any) -> Any:
    try:
        return fn()
    except TwilioRestException as exc:
        raise TwilioUnavailable(f"{what}: Twilio {exc.status} error {exc.code}") from exc
    except requests.RequestException as exc:
        raise TwilioUnavailable(f"{what}: cannot reach Twilio") from exc


def create_call(to: str, from_: str, url: str, status_callback: str, timeout: int) -> str:
    """Ring `to` from `from_`; when answered, Twilio asks `url` what to do. Returns the sid."""
    created = _guard("create call", lambda: _client().calls.create(
        to=to, from_=from_, url=url, method="POST", status_callback=status_callback,
        status_callback_method="POST", timeout=timeout))
    return str(created.sid)


def fetch_recording(sid: str) -> tuple[bytes, str]:
    """The recording's audio (mp3) and its content type."""
    account, token, base = _config()
    recording = _guard("fetch recording", lambda: _client().recordings(sid).fetch())
    path = str(recording.uri or f"/2010-04-01/Accounts/{account}/Recordings/{sid}.json")
    url = (base.rstrip("/") or TWILIO_ORIGIN) + path.removesuffix(".json") + ".mp3"
    response = _guard("fetch audio", lambda: requests.get(
        url, auth=(account, token), timeout=TIMEOUT_SECONDS, stream=True))
    if response.status_code != 200:
        raise TwilioUnavailable(f"fetch audio: Twilio answered {response.status_code}")
    data = response.raw.read(MAX_AUDIO_BYTES + 1, decode_content=True)
    if not data or len(data) > MAX_AUDIO_BYTES:
        raise TwilioUnavailable("fetch audio: empty or too large")
    content_type = response.headers.get("Content-Type", "audio/mpeg").split(";")[0].strip()
    return data, content_type[:32] or "audio/mpeg"


def delete_recording(sid: str) -> None:
    """Delete Twilio's copy; one already gone counts as deleted."""
    try:
        _guard("delete recording", lambda: _client().recordings(sid).delete())
    except TwilioUnavailable as exc:
        cause = exc.__cause__
        if isinstance(cause, TwilioRestException) and cause.status == 404:
            return
        raise

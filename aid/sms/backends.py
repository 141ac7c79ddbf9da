"""The two ways a text leaves: printed (development) or through Twilio's official client.

The Twilio client talks to https://api.twilio.com. `TWILIO_API_BASE` (e.g. a fake server on
127.0.0.1 in tests) replaces that origin in every request through a small `TwilioHttpClient`
subclass: the client's own `edge`/`region` settings can only pick other *.twilio.com hosts.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from flask import current_app
from requests.adapters import HTTPAdapter
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

TWILIO_ORIGIN = "https://api.twilio.com"
TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class SendResult:
    sid: str
    status: str  # our vocabulary: queued (accepted by the provider) or sent


class TransientError(Exception):
    """Worth another try later: 429, 5xx, connection refused."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.code = reason, code


class PermanentError(Exception):
    """Trying again would fail the same way (a 4xx, an unreachable number, 21610)."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.code = reason, code


class Sendable(Protocol):
    """What a backend needs of a text: an `OutboundMessage`, or a plain copy of one made for
    a worker thread that must not touch the database (read-only: a frozen dataclass)."""

    @property
    def to_number(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def purpose(self) -> str: ...


class Backend(Protocol):
    def send(self, msg: Sendable, validity_period: int | None) -> SendResult: ...


def mask_number(number: str) -> str:
    """+15035550142 -> +1•••••••142: enough to tell test phones apart, not to dial one."""
    return number[:2] + "\u2022" * max(0, len(number) - 5) + number[-3:] if len(number) > 5 \
        else "\u2022" * len(number)


_DIGIT_RUN = re.compile(r"\d{4,}")


def mask_text(body: str) -> str:
    """Codes and numbers in a text (four digits or more) shown as dots."""
    return _DIGIT_RUN.sub(lambda m: "\u2022" * len(m.group()), body)


def _local_only() -> bool:
    """A development install on this machine only (AID_PUBLIC_URL on a loopback address)."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(current_app.config["PUBLIC_URL"]).hostname
    except RuntimeError:  # no app: assume the worst
        return False
    return host in ("127.0.0.1", "localhost", "::1")


class ConsoleBackend:
    """Development: print the text. Anywhere but a loopback-only install (a demo or staging
    site people can reach), the number and any codes are masked: a log is no place for them.
    Production refuses this backend; the admin outbox shows the full text."""

    def send(self, msg: Sendable, validity_period: int | None) -> SendResult:
        local = _local_only()
        number = msg.to_number if local else mask_number(msg.to_number)
        body = msg.body if local else mask_text(msg.body)
        print(f"--- SMS to {number} ({msg.purpose}) ---\n{body}\n---", flush=True)
        return SendResult(sid=f"CONSOLE{secrets.token_hex(16)}", status="sent")


class BaseUrlHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, sending to `base` instead of https://api.twilio.com."""

    def __init__(self, base: str, timeout: float = TIMEOUT_SECONDS, pool_size: int = 32) -> None:
        # requests re-reads proxy and CA settings from the environment on every send unless
        # told not to (a large share of a text's CPU in a fan-out): read them once, here.
        proxy = {k: v for k in ("http", "https")
                 if (v := os.environ.get(f"{k.upper()}_PROXY") or os.environ.get(f"{k}_proxy"))}
        super().__init__(timeout=timeout, proxy=proxy or None)
        self.base = base.rstrip("/")
        if self.session is not None:
            self.session.trust_env = False
            # As many pooled connections as sends in flight, or each extra one is opened
            # and closed again for every text.
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(1, pool_size))
            self.session.mount("https://", adapter)
            self.session.mount("http://", adapter)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if self.base and url.startswith(TWILIO_ORIGIN):
            url = self.base + url[len(TWILIO_ORIGIN):]
        return super().request(method, url, *args, **kwargs)


_clients: dict[tuple[str, str, str], Client] = {}
_clients_lock = threading.Lock()


def twilio_client(sid: str, token: str, base: str = "", pool_size: int = 32) -> Client:
    """One client per credentials and base: it keeps a connection pool to Twilio."""
    key = (sid, token, base)
    with _clients_lock:
        if key not in _clients:
            _clients[key] = Client(sid, token, http_client=BaseUrlHttpClient(
                base, pool_size=pool_size))
        return _clients[key]


class TwilioBackend:
    def warm(self) -> None:
        """Build the client and load its Messages API before a paced run: the first send
        would otherwise import it (a tenth of a second) after its turn came, and reach
        Twilio together with the next one."""
        cfg = current_app.config
        if cfg["TWILIO_ACCOUNT_SID"] and cfg["TWILIO_AUTH_TOKEN"]:
            client = twilio_client(cfg["TWILIO_ACCOUNT_SID"], cfg["TWILIO_AUTH_TOKEN"],
                                   cfg["TWILIO_API_BASE"], pool_size=cfg["ALERT_CONCURRENCY"])
            client.messages  # noqa: B018 (the lazy import is the point)

    def send(self, msg: Sendable, validity_period: int | None) -> SendResult:
        cfg = current_app.config
        if not (cfg["TWILIO_ACCOUNT_SID"] and cfg["TWILIO_AUTH_TOKEN"]):
            raise PermanentError("Twilio is not configured")
        params: dict[str, Any] = {
            "to": msg.to_number, "body": msg.body,
            "status_callback": f"{cfg['PUBLIC_URL']}/sms/status",
        }
        if cfg["TWILIO_MESSAGING_SERVICE_SID"]:
            params["messaging_service_sid"] = cfg["TWILIO_MESSAGING_SERVICE_SID"]
        elif cfg["TWILIO_FROM_NUMBER"]:
            params["from_"] = cfg["TWILIO_FROM_NUMBER"]
        else:
            raise PermanentError("no TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER")
        if validity_period is not None:
            params["validity_period"] = max(1, min(validity_period, 36000))  # Twilio's range
        client = twilio_client(cfg["TWILIO_ACCOUNT_SID"], cfg["TWILIO_AUTH_TOKEN"],
                               cfg["TWILIO_API_BASE"], pool_size=cfg["ALERT_CONCURRENCY"])
        try:
            created = client.messages.create(**params)
        except TwilioRestException as exc:
            reason = f"Twilio {exc.status} error {exc.code}"
            if exc.status == 429 or exc.status >= 500 or exc.code == 20429:
                raise TransientError(reason, exc.code) from exc
            raise PermanentError(reason, exc.code) from exc
        except requests.ConnectionError as exc:  # nothing reached Twilio: safe to try again
            raise TransientError("cannot reach Twilio") from exc
        except requests.Timeout as exc:  # Twilio may have the text: do not send it twice
            raise PermanentError("no answer from Twilio in time (may have been sent)") from exc
        status = "sent" if created.status in {"sent", "delivered"} else "queued"
        return SendResult(sid=str(created.sid), status=status)


BACKENDS: dict[str, Backend] = {"console": ConsoleBackend(), "twilio": TwilioBackend()}


def backend_for(name: str) -> Backend:
    try:
        return BACKENDS[name]
    except KeyError:
        raise PermanentError(f"unknown SMS backend {name!r}") from None

"""A fake Twilio REST API on 127.0.0.1: a real HTTP server in a thread that answers the
Messages endpoint like Twilio does, records every request, and can be scripted to fail or
to hold requests until the test says so (`hold` / `wait_until_held` / `release`), so a test
can act while sends are known to be in flight instead of racing them.

For the voice hotline it also answers the Calls endpoint (`calls` lists what was asked) and
the Recordings API: a recording added with `add_recording` can be fetched (its metadata as
JSON, its audio as .mp3 or .wav) and deleted, after which it is gone (404).

The other direction, Twilio calling our webhooks, is `post_signed` / `text_in`: form posts
signed with the account's token for the public URL, as Twilio signs them."""

from __future__ import annotations

import base64
import json
import secrets
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from urllib.parse import parse_qs

from twilio.request_validator import RequestValidator

# The account the app under test is configured with (see `twilio_settings`).
ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC_URL = "https://aid.example.org"
FROM_NUMBER = "+12025550100"


class FakeTwilio:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.script: list[tuple[int, int | None]] = []
        self.delay = 0.0  # seconds each answer takes, like Twilio's API latency (benchmarks)
        self.times: list[float] = []  # time.monotonic() of each request
        self.lock = threading.Lock()
        self.gate = threading.Condition(self.lock)
        self.hold_after: int | None = None  # requests answered before the gate closes
        self.held = 0  # requests waiting at the closed gate
        self.recordings: dict[str, bytes] = {}  # sid -> audio Twilio still holds
        self.deleted: list[str] = []  # recording sids deleted through the API
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeTwilio:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        self.release()
        with self.lock:
            self.requests.clear()
            self.script.clear()
            self.times.clear()
            self.recordings.clear()
            self.deleted.clear()

    def hold(self, after: int = 0) -> None:
        """Let `after` more requests through, then keep every later one waiting: it has
        arrived (it is in `requests`, Twilio has the text) but gets no answer until
        `release()`."""
        with self.gate:
            self.hold_after = len(self.requests) + after

    def wait_until_held(self, n: int, timeout: float = 300.0) -> None:
        """Block until `n` requests wait at the gate. `timeout` only stops a broken test from
        hanging: nothing is raced against it."""
        with self.gate:
            if not self.gate.wait_for(lambda: self.held >= n, timeout):
                raise AssertionError(f"only {self.held} of {n} requests reached the gate")

    def release(self) -> None:
        """Open the gate: held requests are answered, later ones are not held."""
        with self.gate:
            self.hold_after = None
            self.gate.notify_all()

    def fail_next(self, status: int, code: int | None = None, times: int = 1) -> None:
        """The next `times` requests get this HTTP status and Twilio error code."""
        with self.lock:
            self.script.extend([(status, code)] * times)

    @property
    def sent(self) -> list[dict]:
        """The form fields of every request to the Messages endpoint."""
        return [r["form"] for r in self.requests if r["path"].endswith("/Messages.json")]

    @property
    def calls(self) -> list[dict]:
        """The form fields of every call placed through the Calls endpoint."""
        return [r["form"] for r in self.requests
                if r["method"] == "POST" and r["path"].endswith("/Calls.json")]

    def add_recording(self, audio: bytes | None = None) -> str:
        """A recording Twilio holds (a tiny WAV unless given): returns its sid."""
        sid = "RE" + secrets.token_hex(16)
        with self.lock:
            self.recordings[sid] = audio if audio is not None else tiny_wav()
        return sid

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                self._serve("POST")

            def do_GET(self) -> None:  # noqa: N802
                self._serve("GET")

            def do_DELETE(self) -> None:  # noqa: N802
                self._serve("DELETE")

            def _serve(self, method: str) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                auth = self.headers.get("Authorization", "")
                user = base64.b64decode(auth[6:]).decode() if auth.startswith("Basic ") else ""
                if fake.delay:
                    time.sleep(fake.delay)
                with fake.gate:
                    fake.times.append(time.monotonic())
                    fake.requests.append({"path": self.path, "form": form, "auth": user,
                                          "method": method})
                    if fake.hold_after is not None and len(fake.requests) > fake.hold_after:
                        fake.held += 1
                        fake.gate.notify_all()
                        fake.gate.wait_for(lambda: fake.hold_after is None)
                        fake.held -= 1
                    scripted = fake.script.pop(0) if fake.script else None
                account = self.path.split("/")[3] if self.path.count("/") >= 4 else ""
                if scripted:
                    status, code = scripted
                    return self._answer(status, {"code": code, "message": "scripted failure",
                                                 "more_info": "", "status": status})
                if "/Recordings/" in self.path:
                    return self._recording(method, account)
                if method == "POST" and self.path.endswith("/Calls.json"):
                    return self._call(form, account)
                if method != "POST" or not self.path.endswith("/Messages.json"):
                    return self._answer(404, {"code": 20404, "message": "not found",
                                              "status": 404})
                sid = "SM" + secrets.token_hex(16)
                return self._answer(201, {
                    "sid": sid, "account_sid": account, "to": form.get("To"),
                    "from": form.get("From"), "body": form.get("Body"),
                    "messaging_service_sid": form.get("MessagingServiceSid"),
                    "status": "queued", "num_segments": "1", "direction": "outbound-api",
                    "api_version": "2010-04-01", "price": None, "error_code": None,
                    "error_message": None, "num_media": "0",
                    "date_created": "Tue, 24 Nov 2026 20:00:00 +0000",
                    "date_updated": "Tue, 24 Nov 2026 20:00:00 +0000", "date_sent": None,
                    "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
                    "subresource_uris": {},
                })

            def _call(self, form: dict, account: str) -> None:
                sid = "CA" + secrets.token_hex(16)
                return self._answer(201, {
                    "sid": sid, "account_sid": account, "to": form.get("To"),
                    "from": form.get("From"), "status": "queued", "direction": "outbound-api",
                    "api_version": "2010-04-01", "parent_call_sid": None,
                    "date_created": "Tue, 24 Nov 2026 20:00:00 +0000",
                    "uri": f"/2010-04-01/Accounts/{account}/Calls/{sid}.json",
                    "subresource_uris": {},
                })

            def _recording(self, method: str, account: str) -> None:
                name = self.path.rsplit("/", 1)[-1]
                sid, _dot, ext = name.partition(".")
                with fake.lock:
                    audio = fake.recordings.get(sid)
                    if audio is not None and method == "DELETE":
                        del fake.recordings[sid]
                        fake.deleted.append(sid)
                if audio is None:
                    return self._answer(404, {"code": 20404, "message": "not found",
                                              "more_info": "", "status": 404})
                if method == "DELETE":
                    return self._raw(204, b"", "application/json")
                if ext in ("mp3", "wav"):
                    return self._raw(200, audio, "audio/mpeg" if ext == "mp3" else "audio/x-wav")
                return self._answer(200, {
                    "sid": sid, "account_sid": account, "call_sid": "CA" + "0" * 32,
                    "status": "completed", "duration": "3", "channels": 1, "source": "RecordVerb",
                    "api_version": "2010-04-01", "price": None, "encryption_details": None,
                    "date_created": "Tue, 24 Nov 2026 20:00:00 +0000",
                    "uri": f"/2010-04-01/Accounts/{account}/Recordings/{sid}.json",
                })

            def _raw(self, status: int, body: bytes, content_type: str) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _answer(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender died while its request was held (the kill test)

        return Handler


def tiny_wav(samples: int = 800) -> bytes:
    """A tenth of a second of 8 kHz 8-bit mono silence, as a valid WAV file."""
    data = b"\x80" * samples
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 1, 1, 8000, 8000, 1, 8) + b"data" + struct.pack("<I", len(data))
    return header + data


def twilio_settings(fake: FakeTwilio) -> dict[str, str]:
    """App settings that send texts through the real `twilio` client to `fake`."""
    return {"AID_SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_FROM_NUMBER": FROM_NUMBER,
            "TWILIO_API_BASE": fake.url, "AID_PUBLIC_URL": PUBLIC_URL,
            "AID_SMS_RETRY_SECONDS": "0.001"}


def signature(path: str, params: dict, token: str = AUTH_TOKEN, base: str = PUBLIC_URL) -> str:
    return RequestValidator(token).compute_signature(base + path, params)


def post_signed(client, path: str, params: dict, **kwargs):
    """POST as Twilio does: form-encoded, signed for the public URL."""
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature(path, params)},
                       **kwargs)


_sids = count(1)


def text_in(client, body: str, sender: str = "+12025550123", **extra: str):
    """Twilio delivering a text from `sender` to the inbound webhook."""
    params = {"MessageSid": f"SM{next(_sids):032d}", "AccountSid": ACCOUNT_SID,
              "From": sender, "To": FROM_NUMBER, "Body": body, **extra}
    return post_signed(client, "/sms/inbound", params)

"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message and can be told to
refuse the next ones with a temporary (4xx) or permanent (5xx) answer."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.script: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            if self.script:
                return self.script.pop(0)
            msg = message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append(msg)  # type: ignore[arg-type]
        return "250 OK"


def _free_port() -> int:
    """aiosmtpd's controller checks its server by connecting to the port it was given, so
    it needs a real number: one the system just handed out."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    def __init__(self) -> None:
        self.recorder = Recorder()
        self.port = _free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self.recorder.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def fail_next(self, answer: str, times: int = 1) -> None:
        with self.recorder.lock:
            self.recorder.script.extend([answer] * times)

    def reset(self) -> None:
        with self.recorder.lock:
            self.recorder.messages.clear()
            self.recorder.script.clear()


def text_of(msg: EmailMessage) -> str:
    return msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def html_of(msg: EmailMessage) -> str:
    return msg.get_body(("html",)).get_content()  # type: ignore[union-attr]

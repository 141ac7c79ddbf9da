"""Sending one email: `AID_SMTP_URL` picks the way (standard library smtplib, nothing else).

- `console` (the default): the message is printed, the address masked, like console SMS;
- `smtp://user:pass@host:587`: plain connection upgraded with STARTTLS (required whenever the
  server offers it, and whenever a password would be sent to a host other than this machine);
- `smtps://user:pass@host:465`: TLS from the first byte.

`send` raises `TemporaryFailure` (4xx, a refused or dropped connection: try again later) or
`PermanentFailure` (5xx: the address or the message is refused for good).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit

from flask import current_app

LOOPBACK = ("127.0.0.1", "localhost", "::1")
TIMEOUT_SECONDS = 20


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


@dataclass
class Mail:
    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


def mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def build(mail: Mail, sender: str, sender_name: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((sender_name, sender))
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Message-ID"] = make_msgid(domain=sender.partition("@")[2] or None)
    for name, value in mail.headers.items():
        msg[name] = value
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    return msg


def send(mail: Mail, sender_name: str) -> None:
    url = current_app.config["SMTP_URL"]
    sender = current_app.config["MAIL_FROM"]
    msg = build(mail, sender, sender_name)
    if url in ("", "console"):
        print(f"[email to {mask_email(mail.to)}] {mail.subject}\n{mail.text}", flush=True)
        return
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise PermanentFailure("AID_SMTP_URL must be console, smtp://... or smtps://...")
    try:
        _deliver(parts.scheme, parts.hostname, parts.port,
                 unquote(parts.username or ""), unquote(parts.password or ""), msg)
    except smtplib.SMTPRecipientsRefused as exc:
        code = min(c for c, _m in exc.recipients.values())
        raise (PermanentFailure if code >= 500 else TemporaryFailure)(f"refused {code}") from exc
    except smtplib.SMTPResponseException as exc:
        failure = PermanentFailure if exc.smtp_code >= 500 else TemporaryFailure
        raise failure(f"server said {exc.smtp_code}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(type(exc).__name__) from exc


def _deliver(scheme: str, host: str, port: int | None, user: str, password: str,
             msg: EmailMessage) -> None:
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if scheme == "smtps":
        client = smtplib.SMTP_SSL(host, port or 465, timeout=TIMEOUT_SECONDS, context=context)
    else:
        client = smtplib.SMTP(host, port or 587, timeout=TIMEOUT_SECONDS)
    with client:
        client.ehlo()
        if scheme == "smtp":
            if client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            elif port == 587 or (password and host not in LOOPBACK):
                raise PermanentFailure("the mail server does not offer STARTTLS")
        if user:
            client.login(user, password)
        client.send_message(msg)

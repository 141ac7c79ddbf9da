"""Where the secret key, data keys and index key come from.

Production reads them from the environment only and refuses to start without strong ones.
Development writes a fresh set into the instance folder on first run, so `make run` works on a
new machine without anyone inventing a secret; tests get throwaway keys.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from flask import Flask

from aid.security.crypto import CryptoError, KeyRing, new_key

MIN_SECRET_LENGTH = 32
DEV_KEYS_FILE = "dev-keys.json"


def generate() -> dict[str, str]:
    """A fresh set of production secrets, named as the environment variables that hold them."""
    return {
        "AID_SECRET_KEY": secrets.token_urlsafe(48),
        "AID_DATA_KEYS": new_key(),
        "AID_INDEX_KEY": new_key(),
    }


def _dev_keys(instance: Path) -> dict[str, str]:
    path = instance / DEV_KEYS_FILE
    if path.exists():
        return json.loads(path.read_text())
    instance.mkdir(parents=True, exist_ok=True)
    keys = generate()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(keys, fh)
    return keys


def install(app: Flask) -> None:
    """Fill in missing secrets (development/test) or refuse to start (production)."""
    cfg = app.config
    production = cfg["ENV_NAME"] == "production"
    missing = [n for n, k in (("AID_SECRET_KEY", "SECRET_KEY"), ("AID_DATA_KEYS", "DATA_KEYS"),
                              ("AID_INDEX_KEY", "INDEX_KEY")) if not cfg.get(k)]
    if missing and production:
        raise SystemExit(
            f"Refusing to start: {', '.join(missing)} not set. "
            "Run `aid keys generate` and put its output in the production environment."
        )
    if missing:
        fresh = generate() if cfg["TESTING"] else _dev_keys(Path(cfg["INSTANCE_PATH"]))
        cfg["SECRET_KEY"] = cfg.get("SECRET_KEY") or fresh["AID_SECRET_KEY"]
        cfg["DATA_KEYS"] = cfg.get("DATA_KEYS") or fresh["AID_DATA_KEYS"]
        cfg["INDEX_KEY"] = cfg.get("INDEX_KEY") or fresh["AID_INDEX_KEY"]
    if production and len(cfg["SECRET_KEY"]) < MIN_SECRET_LENGTH:
        raise SystemExit(
            f"Refusing to start: AID_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters."
        )
    try:
        app.extensions["aid_keyring"] = KeyRing.from_strings(cfg["DATA_KEYS"], cfg["INDEX_KEY"])
    except (CryptoError, ValueError) as exc:
        raise SystemExit(f"Refusing to start: a key in AID_DATA_KEYS/AID_INDEX_KEY: {exc}") from exc
    if production and cfg["SMS_BACKEND"] == "console":
        raise SystemExit(
            "Refusing to start: AID_SMS_BACKEND=console prints numbers and codes to the log. "
            "Production sends through Twilio (AID_SMS_BACKEND=twilio)."
        )

"""Take the README's screenshots: a demo network in a throwaway instance, Debian's Chromium.

    .venv/bin/python docs/screenshots.py        (or: make screenshots)
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aid import create_app  # noqa: E402
from config import DevelopmentConfig  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("AID_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# (file name, path, signed in as, language)
SHOTS = [
    ("home", "/", None, "en"),
    ("help-es", "/help", None, "es"),
    ("board", "/board", None, "en"),
    ("requests", "/coordinator/requests", "coord@demo.example", "en"),
    ("shifts", "/shifts", "rosa@demo.example", "en"),
    ("alert-compose", "/coordinator/alerts/new", "coord@demo.example", "en"),
    ("admin-settings", "/admin/settings", "admin@demo.example", "en"),
]


def main() -> None:
    import pyotp
    from flask_migrate import upgrade

    from aid.auth import service as accounts
    from aid.demo import DEMO_PASSWORD, create_demo

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(DevelopmentConfig({"AID_INSTANCE_PATH": folder}))
        with app.app_context():
            upgrade()
            list(create_demo())
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for name, path, user, lang in SHOTS:
                context = browser.new_context(viewport={"width": 390, "height": 844},
                                              locale="es-ES" if lang == "es" else "en-US")
                page = context.new_page()
                if user:
                    page.goto(base + "/login")
                    page.fill("#email", user)
                    page.fill("#password", DEMO_PASSWORD)
                    page.click("button[type=submit].primary")
                    with app.app_context():
                        account = accounts.find_by_email(user)
                        secret, last = account.totp_secret, account.totp_last_step
                    if secret:
                        # Each code works once: take the next time step if this one was used.
                        totp = pyotp.TOTP(secret)
                        step = max(totp.timecode(time.time()), (last or 0) + 1)
                        page.fill("#code", totp.generate_otp(step))
                        page.click("button[type=submit].primary")
                page.goto(base + path)
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                context.close()
                print(f"{OUT / name}.png")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()

"""Settings for Aid: one class per environment, every value read from an environment variable.

`aid.create_app()` picks the class named by `AID_ENV` (development by default). Secrets are never
given a usable fallback: development generates its own into the instance folder on first run
(see `aid.security.keys`), production refuses to start without them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name, "").strip()
    return int(value) if value else default


def _list(environ: Mapping[str, str], name: str, default: str) -> list[str]:
    return [part.strip() for part in environ.get(name, default).split(",") if part.strip()]


class Config:
    """Everything the app reads, with safe defaults for the embedded single-machine install."""

    ENV_NAME = "development"
    TESTING = False

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self._env = env
        self.INSTANCE_PATH = env.get("AID_INSTANCE_PATH") or str(ROOT / "instance")
        self.SQLALCHEMY_DATABASE_URI = env.get("AID_DATABASE_URL") or (
            f"sqlite:///{Path(self.INSTANCE_PATH) / 'aid.db'}"
        )
        self.REDIS_URL = env.get("AID_REDIS_URL", "")
        self.SECRET_KEY = env.get("AID_SECRET_KEY", "")
        self.DATA_KEYS = env.get("AID_DATA_KEYS", "")
        self.INDEX_KEY = env.get("AID_INDEX_KEY", "")
        # The previous index key while a rotation re-keys hashes made with it.
        self.OLD_INDEX_KEY = env.get("AID_OLD_INDEX_KEY", "")
        # A key rotation whose worker has been silent this long is handed to a worker again.
        self.ROTATION_STALE_SECONDS = _int(env, "AID_ROTATION_STALE_SECONDS", 120)
        self.PORT = _int(env, "PORT", 5000)
        # Without AID_PUBLIC_URL, links in texts point at the port `aid run` serves.
        self.PUBLIC_URL = (env.get("AID_PUBLIC_URL") or f"http://127.0.0.1:{self.PORT}").rstrip("/")
        self.SMS_BACKEND = env.get("AID_SMS_BACKEND", "console")
        self.TWILIO_ACCOUNT_SID = env.get("TWILIO_ACCOUNT_SID", "")
        self.TWILIO_AUTH_TOKEN = env.get("TWILIO_AUTH_TOKEN", "")
        self.TWILIO_MESSAGING_SERVICE_SID = env.get("TWILIO_MESSAGING_SERVICE_SID", "")
        self.TWILIO_FROM_NUMBER = env.get("TWILIO_FROM_NUMBER", "")
        self.TWILIO_API_BASE = env.get("TWILIO_API_BASE", "")
        # Twilio's sync client does not retry 429/5xx: the gateway does, this many times in all,
        # waiting about base * 2**n seconds (with jitter) between tries.
        self.SMS_MAX_ATTEMPTS = _int(env, "AID_SMS_MAX_ATTEMPTS", 4)
        self.SMS_RETRY_SECONDS = float(env.get("AID_SMS_RETRY_SECONDS", "") or 1.0)
        self.DEFAULT_PHONE_REGION = env.get("AID_DEFAULT_REGION", "US")
        self.LANGUAGES = _list(env, "AID_LANGUAGES", "en,es")
        self.SEEDS_DIR = env.get("AID_SEEDS_DIR") or str(ROOT / "seeds")
        self.PROXY_COUNT = _int(env, "AID_PROXY_COUNT", 0)
        # A coordinator's laptop left open at a community meeting should not stay signed in.
        self.SESSION_IDLE_MINUTES = _int(env, "AID_SESSION_IDLE_MINUTES", 30)
        self.SESSION_MAX_HOURS = _int(env, "AID_SESSION_MAX_HOURS", 12)
        self.LOGIN_LIMIT = env.get("AID_LOGIN_LIMIT", "10 per minute;60 per hour")
        # Failed sign-ins: per account from one client, and per account from everywhere.
        self.LOGIN_LOCK = env.get("AID_LOGIN_LOCK", "5 per 15 minutes")
        self.ACCOUNT_LOCK = env.get("AID_ACCOUNT_LOCK", "50 per hour")
        self.MAX_CONTENT_LENGTH = _int(env, "AID_MAX_CONTENT_LENGTH", 512 * 1024)
        self.ITEMS_PER_PAGE = _int(env, "AID_ITEMS_PER_PAGE", 25)
        # Hotline: the public form is rate-limited per client (a keyed hash, never the address);
        # a request nobody on the team has touched for this long is flagged in the queue;
        # resolved and closed requests are purged this many days after they end.
        self.HOTLINE_LIMIT = env.get("AID_HOTLINE_LIMIT", "5 per minute;30 per hour")
        self.HOTLINE_STATUS_LIMIT = env.get("AID_HOTLINE_STATUS_LIMIT", "10 per minute;60 per hour")
        self.HOTLINE_STALE_HOURS = _int(env, "AID_HOTLINE_STALE_HOURS", 24)
        self.RETENTION_RESOLVED_DAYS = _int(env, "AID_RETENTION_RESOLVED_DAYS", 90)
        # Needs/offers board: how long a post stays up, whether posts from people without an
        # account wait for a coordinator, and how long closed posts are kept before purging.
        self.BOARD_EXPIRY_DAYS = _int(env, "AID_BOARD_EXPIRY_DAYS", 14)
        self.BOARD_PREMODERATION = env.get("AID_BOARD_PREMODERATION", "on").strip().lower() not in (
            "0", "off", "false", "no")
        self.BOARD_RETENTION_DAYS = _int(env, "AID_BOARD_RETENTION_DAYS", 30)
        # Shifts are entered and shown in the network's local time; stored as naive UTC.
        self.TIMEZONE = env.get("AID_TIMEZONE", "UTC")
        # Vetted volunteers who must vouch before a coordinator can confirm an applicant.
        self.VOUCHES_NEEDED = _int(env, "AID_VOUCHES_NEEDED", 2)
        self.SIGNUP_LIMIT = env.get("AID_SIGNUP_LIMIT", "5 per hour")
        # After a shift's planned end, how long before a missing check-out alerts a coordinator.
        self.CHECKOUT_GRACE_MINUTES = _int(env, "AID_CHECKOUT_GRACE_MINUTES", 30)
        # Public forms sent sooner than this after being shown are asked again (bots).
        self.FORM_MIN_SECONDS = _int(env, "AID_FORM_MIN_SECONDS", 3)
        # The weekly audit summary lists people who opened more sensitive records than this.
        self.AUDIT_UNUSUAL_VIEWS = _int(env, "AID_AUDIT_UNUSUAL_VIEWS", 50)
        # Applies only to webhook posts without a valid Twilio signature (signed ones from
        # Twilio are never refused: Twilio does not retry).
        self.SMS_WEBHOOK_LIMIT = env.get("AID_SMS_WEBHOOK_LIMIT", "120 per minute")
        # Network-wide budget for texted one-time codes (SMS pumping): once spent, codes
        # pause until the hour/day moves on and the admins are told. 0: no budget.
        self.CODE_TEXTS_PER_HOUR = _int(env, "AID_CODE_TEXTS_PER_HOUR", 60)
        self.CODE_TEXTS_PER_DAY = _int(env, "AID_CODE_TEXTS_PER_DAY", 300)
        # Public lists (the board, the feeds) shown to visitors who are not signed in are kept
        # this many seconds and shared between them (in Redis with AID_REDIS_URL, else in
        # each process); any change to a post or an alert drops them at once. 0: off.
        self.PAGE_CACHE_SECONDS = _int(env, "AID_PAGE_CACHE_SECONDS", 5)
        # The network's settings, areas and retention periods, read by nearly every page, are
        # kept this long in each process; a change drops the copy of the process that saved
        # it at once, the other processes' when it expires. 0: read on every page.
        self.SETTINGS_CACHE_SECONDS = _int(env, "AID_SETTINGS_CACHE_SECONDS", 30)
        # The hotline's web form takes at most this many requests an hour from everyone
        # together (more with the admin's surge switch on); the excess is shown the hotline
        # number and given its text back, and coordinators are told.
        self.HOTLINE_QUEUE_PER_HOUR = _int(env, "AID_HOTLINE_QUEUE_PER_HOUR", 200)
        self.HOTLINE_SURGE_PER_HOUR = _int(env, "AID_HOTLINE_SURGE_PER_HOUR", 1000)
        # A public form's anti-bot stamp is good for one sending, in the session that was
        # shown the form, for this long.
        self.FORM_MAX_MINUTES = _int(env, "AID_FORM_MAX_MINUTES", 120)
        # Host names (besides AID_PUBLIC_URL's) the app answers to; others get a 400, so no
        # link is ever built from a Host header an attacker chose.
        self.TRUSTED_HOSTS = [urlsplit(self.PUBLIC_URL).hostname or "127.0.0.1",
                              *_list(env, "AID_TRUSTED_HOSTS", "")]
        # Alerts: more recipients than this need a second coordinator's approval. The fan-out
        # sends with this many parallel requests per worker job, under a messages-per-second
        # cap shared by every worker process and machine (0: no cap; Twilio's limit for the
        # sender type, e.g. 1 for a long code, more for a Messaging Service or short code). A
        # claim older than ALERT_CLAIM_STALE_SECONDS is taken to be a dead worker's and handed
        # out again.
        self.ALERT_APPROVAL_THRESHOLD = _int(env, "AID_ALERT_APPROVAL_THRESHOLD", 50)
        self.ALERT_MPS = float(env.get("AID_ALERT_MPS", "") or 0)
        self.ALERT_CONCURRENCY = _int(env, "AID_ALERT_CONCURRENCY", 8)
        self.ALERT_BATCH = _int(env, "AID_ALERT_BATCH", 100)
        self.ALERT_JOBS = _int(env, "AID_ALERT_JOBS", 2)
        # Delivery rows are written this many at a time: approval writes the first chunk and
        # sending starts on it while the jobs write the rest.
        self.ALERT_FILL_CHUNK = _int(env, "AID_ALERT_FILL_CHUNK", 2000)
        self.ALERT_CLAIM_STALE_SECONDS = _int(env, "AID_ALERT_CLAIM_STALE_SECONDS", 120)
        # How often each worker looks for alerts left half-sent (stale claims, lost jobs).
        self.ALERT_REQUEUE_SECONDS = _int(env, "AID_ALERT_REQUEUE_SECONDS", 60)
        self.ALERT_VALIDITY_SECONDS = _int(env, "AID_ALERT_VALIDITY_SECONDS", 3600)
        # A bulk text's sending job renews its lease before every text; a lease older than
        # this is a dead worker's, and the next minute's sweep hands the text to a new job.
        self.OUTREACH_CLAIM_STALE_SECONDS = _int(env, "AID_OUTREACH_CLAIM_STALE_SECONDS", 300)
        # Every parallel send holds a database connection: room for two fan-out jobs per
        # process beyond SQLAlchemy's default pool (5 + 10 overflow).
        in_memory = self.SQLALCHEMY_DATABASE_URI in ("sqlite://", "sqlite:///:memory:")
        # Error logs never carry bound parameters (they would hold encrypted and hashed
        # personal values, and typed text on SQLite).
        self.SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True} if in_memory else {
            "max_overflow": max(10, 2 * self.ALERT_CONCURRENCY + 4), "pool_timeout": 30,
            "hide_parameters": True}
        self.REPORT_LIMIT = env.get("AID_REPORT_LIMIT", "5 per minute;20 per hour")
        self.REPORT_RETENTION_DAYS = _int(env, "AID_REPORT_RETENTION_DAYS", 90)
        # Backups: encrypted to these age public keys (comma-separated; the private keys stay
        # off the server), written to BACKUP_DIR; the nightly job keeps the newest BACKUP_KEEP.
        self.BACKUP_RECIPIENTS = env.get("AID_BACKUP_RECIPIENTS", "")
        self.BACKUP_DIR = env.get("AID_BACKUP_DIR") or str(Path(self.INSTANCE_PATH) / "backups")
        self.BACKUP_KEEP = _int(env, "AID_BACKUP_KEEP", 14)
        # Email: console (printed, address masked) by default; smtp://user:pass@host:587
        # (STARTTLS) or smtps://user:pass@host:465 (TLS from the start) for a real server.
        self.SMTP_URL = env.get("AID_SMTP_URL", "console")
        self.MAIL_FROM = env.get("AID_MAIL_FROM", "aid@localhost")
        # Notifications: the local time of the daily digest of new requests, and how often
        # (and how far apart, doubling) a temporary failure is tried again.
        self.NOTIFY_DIGEST_TIME = env.get("AID_NOTIFY_DIGEST_TIME", "08:00")
        self.NOTIFY_MAX_ATTEMPTS = _int(env, "AID_NOTIFY_MAX_ATTEMPTS", 5)
        self.NOTIFY_RETRY_SECONDS = _int(env, "AID_NOTIFY_RETRY_SECONDS", 60)

        https = self.PUBLIC_URL.startswith("https://")
        self.PREFERRED_URL_SCHEME = "https" if https else "http"
        # `__Host-` cookies must be Secure, so they only work over https; the development
        # server on http://127.0.0.1 keeps a plain name and still works with any client.
        self.SESSION_COOKIE_SECURE = https
        self.SESSION_COOKIE_NAME = "__Host-aid" if https else "aid"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_PATH = "/"
        self.REMEMBER_COOKIE_DURATION = 0
        self.SQLALCHEMY_TRACK_MODIFICATIONS = False
        self.WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, which expires on its own
        self.BABEL_DEFAULT_LOCALE = "en"
        self.BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "aid" / "translations")
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_HEADERS_ENABLED = False
        self.RATELIMIT_ENABLED = True
        # OWASP's argon2id minimum (m=19 MiB, t=2, p=1); tests swap in cheap parameters.
        self.ARGON2_TIME_COST = 2
        self.ARGON2_MEMORY_COST = 19456
        self.ARGON2_PARALLELISM = 1
        self.HUEY_IMMEDIATE = False


class DevelopmentConfig(Config):
    ENV_NAME = "development"


class ProductionConfig(Config):
    ENV_NAME = "production"


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(environ)
        self.ARGON2_TIME_COST = 1
        self.ARGON2_MEMORY_COST = 8
        self.HUEY_IMMEDIATE = True
        self.TRUSTED_HOSTS = [*self.TRUSTED_HOSTS, "localhost"]  # the test client's host
        self.FORM_MIN_SECONDS = _int(self._env, "AID_FORM_MIN_SECONDS", 0)


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def config_from_env(environ: Mapping[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ
    name = env.get("AID_ENV", "development")
    if name not in CONFIGS:
        raise SystemExit(f"AID_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name](env)

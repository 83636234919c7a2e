"""Django settings. Everything that differs between installs comes from the environment.

SECONDROUND_DATA_DIR   where the SQLite database, the secret key and sent mail live (./data)
DATABASE_URL           e.g. postgres://user@127.0.0.1:5432/secondround (default: SQLite in DATA_DIR)
SECONDROUND_SECRET_KEY overrides the key generated into DATA_DIR on first run
SECONDROUND_DEBUG      "1" for development
SECONDROUND_ALLOWED_HOSTS comma-separated (default: localhost, 127.0.0.1)
SECONDROUND_EMAIL_URL  smtp://user:pass@host:port, smtp+tls://… or smtps://… (default: files in DATA_DIR/mail)
SECONDROUND_DEFAULT_FROM_EMAIL
SECONDROUND_HTTPS      "1" behind an HTTPS proxy (which sets X-Forwarded-Proto): secure cookies, HSTS
SECONDROUND_HSTS_SECONDS how long browsers keep to HTTPS once told (default one year, with SECONDROUND_HTTPS)
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SECONDROUND_DATA_DIR", Path.cwd() / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use the environment's key, or one generated once and kept in the data folder."""
    if key := os.environ.get("SECONDROUND_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("SECONDROUND_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("SECONDROUND_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("SECONDROUND_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger files from here, not from a CDN
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "secondround.accounts",
    "secondround.audit",
    "secondround.security",
    "secondround.hiring",
    "secondround.scorecards",
    "secondround.questions",
    "secondround.loops",
    "secondround.prep",
    "secondround.portal",
    "secondround.scheduling",
    "secondround.debrief",
    "secondround.messaging",
    "secondround.feedback",
    "secondround.surveys",
    "secondround.ops",
    "secondround.web",
    "secondround.privacy",
    "secondround.bookings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "secondround.web.middleware.RefuseNulCharactersMiddleware",
    "secondround.web.middleware.PlainLineBreaksMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "secondround.web.language.ColleagueLanguageMiddleware",  # after sign-in is known
    "django.contrib.messages.middleware.MessageMiddleware",
    "secondround.security.middleware.IdleTimeoutMiddleware",
    "secondround.security.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees the login view's answer and turns a locked-out attempt into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "secondround.urls"
WSGI_APPLICATION = "secondround.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # <html lang> of every page
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_SQLITE_URL = f"sqlite:///{DATA_DIR / 'secondround.sqlite3'}"
# Persistent connections (checked before reuse): a new PostgreSQL connection per request cost
# about 40 ms of CPU, more than most pages take to render.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _SQLITE_URL,
        conn_max_age=int(os.environ.get("SECONDROUND_DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Sign-in protection: failed logins are counted per account and per address (django-axes);
# past the limit, signing in is refused for a while. Sign-ins by code (no request) pass through.
AUTHENTICATION_BACKENDS = [
    "secondround.security.backends.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SECONDROUND_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("SECONDROUND_LOGIN_LOCKOUT_MINUTES", "15"))
)
# In this order: the handler reads the account's count first, the address's second.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "secondround.security.backends.AccountAndAddressHandler"
SECONDROUND_LOGIN_ADDRESS_LIMIT = int(os.environ.get("SECONDROUND_LOGIN_ADDRESS_LIMIT", "50"))
# Not reset by a success: one good account must not clear its address's count of failures.
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_CALLABLE = "secondround.security.backends.login_username"
AXES_LOCKOUT_CALLABLE = "secondround.security.backends.locked_out"
AXES_VERBOSE = False
# Behind N reverse proxies (SECONDROUND_PROXY_COUNT=N), count the address the nearest proxy saw;
# without one, X-Forwarded-For is the client's own word and is ignored.
_PROXY_COUNT = int(os.environ.get("SECONDROUND_PROXY_COUNT", "0"))
if _PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = _PROXY_COUNT
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# Sessions: at most SECONDROUND_SESSION_HOURS long, and ended after SECONDROUND_IDLE_MINUTES idle.
SESSION_COOKIE_AGE = int(os.environ.get("SECONDROUND_SESSION_HOURS", "12")) * 3600
SECONDROUND_IDLE_MINUTES = int(os.environ.get("SECONDROUND_IDLE_MINUTES", "120"))
OTP_TOTP_ISSUER = "secondround"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
# Candidates' pages and messages, and each colleague's own (accounts.User.language).
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Hours after a round-two interview before its interviewer is reminded to submit.
SECONDROUND_SCORECARD_REMINDER_HOURS = int(
    os.environ.get("SECONDROUND_SCORECARD_REMINDER_HOURS", "4")
)

# Calendar feeds on loopback or private addresses are refused unless this is "1" (tests, intranets).
SECONDROUND_CALENDAR_PRIVATE_HOSTS = os.environ.get("SECONDROUND_CALENDAR_PRIVATE_HOSTS") == "1"

# Messages to candidates: tries per message (back-off doubles from RETRY_SECONDS), and the
# days from entering round two to the decision date a finalist is promised by default.
SECONDROUND_MAIL_MAX_ATTEMPTS = int(os.environ.get("SECONDROUND_MAIL_MAX_ATTEMPTS", "5"))
SECONDROUND_MAIL_RETRY_SECONDS = float(os.environ.get("SECONDROUND_MAIL_RETRY_SECONDS", "60"))
# Where candidates reach this site, for links in messages sent by the worker (no request there).
SECONDROUND_BASE_URL = os.environ.get("SECONDROUND_BASE_URL", "http://localhost:8000").rstrip("/")
SECONDROUND_PROMISED_DECISION_DAYS = int(os.environ.get("SECONDROUND_PROMISED_DECISION_DAYS", "14"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- operations: the task worker's heartbeat and lease, health thresholds, backups ---------
# A worker beats every BEAT seconds; one silent for LEASE seconds is taken for dead and the
# task it ran is queued again (failed after MAX_ATTEMPTS dead workers). Keep LEASE well above
# the SQLite busy timeout, so a worker waiting for the lock is not mistaken for a dead one.
SECONDROUND_WORKER_BEAT_SECONDS = float(os.environ.get("SECONDROUND_WORKER_BEAT_SECONDS", "5"))
SECONDROUND_WORKER_LEASE_SECONDS = float(os.environ.get("SECONDROUND_WORKER_LEASE_SECONDS", "60"))
SECONDROUND_TASK_MAX_ATTEMPTS = int(os.environ.get("SECONDROUND_TASK_MAX_ATTEMPTS", "3"))
# /healthz and the admin's home page call the worker late, and the queue old, past these.
SECONDROUND_HEALTH_WORKER_LATE_SECONDS = float(
    os.environ.get("SECONDROUND_HEALTH_WORKER_LATE_SECONDS", "60")
)
SECONDROUND_HEALTH_QUEUE_SECONDS = float(os.environ.get("SECONDROUND_HEALTH_QUEUE_SECONDS", "300"))
# Nightly backups into DATA_DIR/backups at this UTC hour, keeping the newest KEEP (0: none).
SECONDROUND_BACKUP_DIR = Path(os.environ.get("SECONDROUND_BACKUP_DIR", DATA_DIR / "backups"))
SECONDROUND_BACKUP_KEEP = int(os.environ.get("SECONDROUND_BACKUP_KEEP", "14"))
SECONDROUND_BACKUP_HOUR = int(os.environ.get("SECONDROUND_BACKUP_HOUR", "2"))
# Where pg_dump and pg_restore live when not on PATH (their version must match the server's).
SECONDROUND_PG_BIN = os.environ.get("SECONDROUND_PG_BIN", "")


def mailer_from_url(url: str) -> dict[str, Any]:
    """Translate smtp://user:pass@host:port (smtp+tls://, smtps://) into a MAILERS entry.

    Without a URL, each mail is written as a file into DATA_DIR/mail, which suits the demo.
    """
    if not url:
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    parts = urlparse(url)
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": parts.port or 25,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": parts.scheme == "smtp+tls",
            "use_ssl": parts.scheme == "smtps",
            "timeout": 30,  # a mail server that hangs must not hold a worker for ever
        },
    }


MAILERS = {"default": mailer_from_url(os.environ.get("SECONDROUND_EMAIL_URL", ""))}
DEFAULT_FROM_EMAIL = os.environ.get("SECONDROUND_DEFAULT_FROM_EMAIL", "secondround@localhost")

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Every page loads scripts, styles and images from this site only: no inline script, no
# inline event handler, nothing from a CDN. A page that needs an exception says so itself.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Behind a proxy that terminates HTTPS: trust its X-Forwarded-Proto, send cookies only over
# HTTPS and tell browsers to keep to HTTPS. Off by default, so plain http://localhost works.
HTTPS = os.environ.get("SECONDROUND_HTTPS") == "1"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECONDROUND_HSTS_SECONDS", str(365 * 24 * 3600)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SECONDROUND_LOG_LEVEL", "INFO")},
}

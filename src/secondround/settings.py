"""Django settings. Everything that differs between installs comes from the environment.

SECONDROUND_DATA_DIR   where the SQLite database, the secret key and sent mail live (./data)
DATABASE_URL           e.g. postgres://user@127.0.0.1:5432/secondround (default: SQLite in DATA_DIR)
SECONDROUND_SECRET_KEY overrides the key generated into DATA_DIR on first run
SECONDROUND_DEBUG      "1" for development
SECONDROUND_ALLOWED_HOSTS comma-separated (default: localhost, 127.0.0.1)
SECONDROUND_EMAIL_URL  smtp://user:pass@host:port, smtp+tls://… or smtps://… (default: files in DATA_DIR/mail)
SECONDROUND_DEFAULT_FROM_EMAIL
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import dj_database_url

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
    "django_tasks_db",
    "secondround.accounts",
    "secondround.hiring",
    "secondround.scorecards",
    "secondround.questions",
    "secondround.loops",
    "secondround.prep",
    "secondround.debrief",
    "secondround.ops",
    "secondround.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_SQLITE_URL = f"sqlite:///{DATA_DIR / 'secondround.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _SQLITE_URL)}
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
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
        },
    }


MAILERS = {"default": mailer_from_url(os.environ.get("SECONDROUND_EMAIL_URL", ""))}
DEFAULT_FROM_EMAIL = os.environ.get("SECONDROUND_DEFAULT_FROM_EMAIL", "secondround@localhost")

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SECONDROUND_LOG_LEVEL", "INFO")},
}

"""Headway settings: one module, driven by environment variables.

HEADWAY_ENV chooses the mode: "development" (the default, for `make run`), "test", or
"production". Production refuses to start without a real secret key and allowed hosts.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = os.environ.get("HEADWAY_ENV", "development")
if ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"HEADWAY_ENV must be development, test or production, not {ENV!r}.")
PRODUCTION = ENV == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters in production.")
elif not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"

DEBUG = os.environ.get("DEBUG", "true" if ENV == "development" else "false").lower() == "true"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names Headway is served on.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "headway.apps.HeadwayAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's own widget templates, which the NHS form renderer (TemplatesSetting) draws on.
    "django.forms",
    "axes",
    "simple_history",
    "headway.accounts",
    "headway.portfolio",
    "headway.metrics",
    "headway.prioritisation",
    "headway.finance",
    # The board layer has no models; it is an app for its command (record_decision), which records
    # a decision with what follows from it in the rounds (ADR 20).
    "headway.assurance",
    "headway.imports",
    "headway.demo",
    # Above every app: the organisation export and import (ADR 35).
    "headway.transfer",
    # The JSON API (ADR 31) and its personal access tokens (ADR 32); "ninja" serves the docs page's files.
    "headway.api",
    "ninja",
]

# An uploaded file is stored only up to this size and then refused (headway/uploads.py, ADR 19);
# the same as the metric upload's stated limit (metrics.imports.MAX_BYTES).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# An imported file's contents are kept this many days after its import, and a file never imported
# this many days after its upload, then let go by `manage.py remove_old_import_files` (cron, daily).
IMPORT_FILES_KEPT_DAYS = int(os.environ.get("IMPORT_FILES_KEPT_DAYS", "30"))
FILE_UPLOAD_HANDLERS = [
    "headway.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# The API (ADR 31, 32): how many requests one personal access token may make a minute (0: no
# limit), counted in Django's cache. With several server processes, give them a shared cache
# (CACHES) or each counts apart.
API_RATE_LIMIT_PER_MINUTE = int(os.environ.get("API_RATE_LIMIT_PER_MINUTE", "120"))
if API_RATE_LIMIT_PER_MINUTE < 0:
    raise ImproperlyConfigured("API_RATE_LIMIT_PER_MINUTE must be 0 (no limit) or more.")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Under /api/ only: what Django refuses before the API runs (no such address, a method not
    # allowed) is answered as problem details like every other API error (ADR 31).
    "headway.api.problems.ProblemMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out an idle or over-long session before anything reads the person's organisation.
    "headway.accounts.sessions.SessionTimeoutMiddleware",
    "headway.accounts.middleware.CurrentOrganisationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "headway.accounts.middleware.SecurityHeadersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "headway.urls"
WSGI_APPLICATION = "headway.wsgi.application"

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
                "headway.accounts.context_processors.organisation",
                "headway.views.navigation",
            ],
        },
    },
]
FORM_RENDERER = "headway.forms.NHSFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# A lost or hung database gives a quick "try again" page (headway.views.server_error, a 503), not
# a worker held until gunicorn's 30-second timeout kills it (ADR 17). In seconds; 0 turns one off.
#   DATABASE_CONNECT_TIMEOUT    how long to wait for a connection (also, on Linux, for the server
#                               to acknowledge what was sent on an open one: a vanished host)
#   DATABASE_STATEMENT_TIMEOUT  how long one statement may run, waiting for locks included
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "10"))
if DATABASE_CONNECT_TIMEOUT < 0 or DATABASE_STATEMENT_TIMEOUT < 0:
    raise ImproperlyConfigured("DATABASE_CONNECT_TIMEOUT and DATABASE_STATEMENT_TIMEOUT are seconds, 0 or more.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if DATABASE_CONNECT_TIMEOUT:
        _options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        _options.setdefault("tcp_user_timeout", DATABASE_CONNECT_TIMEOUT * 1000)
    if DATABASE_STATEMENT_TIMEOUT:
        _server = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}"
        _options["options"] = f"{_options['options']} {_server}" if _options.get("options") else _server
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo serve reads while a write is in progress.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portfolio:glance"
LOGOUT_REDIRECT_URL = None  # show "You have signed out" rather than a bare sign-in form

# Login throttling: five failures for one account from one address locks that pair for 15
# minutes (ADR 5, ADR 23). The address is the person's own, not a proxy's: set
# HEADWAY_TRUSTED_PROXIES to the number of reverse proxies or load balancers of your own in front
# of Headway (0, the default, when it is reached directly).
HEADWAY_TRUSTED_PROXIES = int(os.environ.get("HEADWAY_TRUSTED_PROXIES", "0"))
if HEADWAY_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("HEADWAY_TRUSTED_PROXIES is a number of proxies: 0 or more.")
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_CLIENT_IP_CALLABLE = "headway.accounts.throttling.client_address"
AXES_USERNAME_CALLABLE = "headway.accounts.throttling.sign_in_name"

# The stored pitfall findings (ADR 26): worked out again by every write, unless working them out
# takes longer than this many milliseconds (a large portfolio) and they were worked out less than
# FINDINGS_REFRESH_EVERY seconds ago; then the next write after that, or `manage.py
# refresh_findings --changed` run every minute, counts the change.
FINDINGS_REFRESH_BUDGET_MS = int(os.environ.get("FINDINGS_REFRESH_BUDGET_MS", "250"))
FINDINGS_REFRESH_EVERY = int(os.environ.get("FINDINGS_REFRESH_EVERY", "60"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends after SESSION_IDLE_MINUTES without a request, and SESSION_HOURS after signing in
# however busy (headway/accounts/sessions.py, ADR 23).
SESSION_IDLE_TIMEOUT = 60 * int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_ABSOLUTE_TIMEOUT = 60 * 60 * int(os.environ.get("SESSION_HOURS", "12"))
if not 0 < SESSION_IDLE_TIMEOUT <= SESSION_ABSOLUTE_TIMEOUT:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES must be more than 0 and no longer than SESSION_HOURS.")
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style anywhere (tests/test_security_headers.py checks every page): scripts
# and styles come from Headway's own static files. The NHS design system's CSS loads the NHS
# Frutiger font from assets.nhs.uk, as it always has.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "https://assets.nhs.uk"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no Headway page uses are switched off for every page.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# How long the link in an invitation to join an organisation works (ADR 23).
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "headway@localhost")
if os.environ.get("EMAIL_HOST"):
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The NHS design system's CSS asks for /assets/images/...: serve its assets folder there.
WHITENOISE_ROOT = BASE_DIR / "static" / "vendor" / "nhsuk-frontend"
# Outside production, serve straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

if ENV == "test":
    # Fast hashing keeps the suite quick; production and the demo use Argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    AXES_ENABLED = os.environ.get("AXES_ENABLED", "true").lower() == "true"
    # Test tokens reuse keys across tests, so a shared count would refuse at random; the rate
    # limit's own tests set a limit (tests/test_api_tokens.py).
    API_RATE_LIMIT_PER_MINUTE = 0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

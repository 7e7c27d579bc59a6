"""Leitstern's settings: one file, driven by the environment, safe with zero configuration.

LEITSTERN_ENV=production switches on the strict checks: SECRET_KEY and ALLOWED_HOSTS must
then come from the environment, cookies are secure. Everything else defaults to a local
installation on SQLite under var/.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from leitstern.lib.env import envbool, envint, envint_or_off, envlist, local_secret_key

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("LEITSTERN_VAR_DIR", BASE_DIR.parent / "var")).resolve()

PRODUCTION = os.environ.get("LEITSTERN_ENV", "local").strip().lower() == "production"
DEBUG = envbool("DEBUG", False)

if os.environ.get("SECRET_KEY"):
    SECRET_KEY = os.environ["SECRET_KEY"]
elif PRODUCTION:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. A production start (LEITSTERN_ENV=production) needs a long "
        "random SECRET_KEY in the environment, e.g. from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )
else:
    SECRET_KEY = local_secret_key(VAR_DIR / "secret_key")

if PRODUCTION and not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. A production start needs the host names the app answers "
        "to, comma-separated, e.g. ALLOWED_HOSTS=okr.example.org."
    )
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "ninja",  # serves the API docs' Swagger UI from our static files, not a CDN
    "allauth",
    "allauth.account",
    "axes",
    "csp",
    "leitstern.accounts",
    "leitstern.orgs",
    "leitstern.frame",
    "leitstern.okrs",
    "leitstern.checkins",
    "leitstern.learning",
    "leitstern.health",
    "leitstern.trust",
    "leitstern.exchange",
    "leitstern.web",
    "leitstern.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "leitstern.trust.security.SessionExpiryMiddleware",
    "leitstern.accounts.middleware.PersonLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into a friendly 429 page
]
# Benchmarks only (bench/web_bench.py): SQL query counts in response headers and the floor
# views under /_bench/. Never set in production.
LEITSTERN_BENCH = envbool("LEITSTERN_BENCH", False)
if LEITSTERN_BENCH:
    MIDDLEWARE.insert(0, "leitstern.lib.querycount.QueryCountMiddleware")

ROOT_URLCONF = "leitstern.urls"
WSGI_APPLICATION = "leitstern.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
SQLITE_PATH = VAR_DIR / "leitstern.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + busy timeout + IMMEDIATE transactions let several gunicorn workers write
    # without "database is locked" errors. Connections persist like PostgreSQL's: opening one
    # per request (and SQLite re-reading the schema) cost ~5 ms CPU of every request.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    if not os.environ.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL: bind parameters on the server, so psycopg prepares a statement after it ran
    # DB_PREPARE_THRESHOLD times on a connection and PostgreSQL stops parsing and planning it
    # again: about half the database CPU of a page (docs/performance.md). Behind PgBouncer in
    # transaction mode before 1.21, set DB_PREPARE_THRESHOLD=off (docs/deploy.md).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["server_side_binding"] = envbool("DB_SERVER_SIDE_BINDING", True)
    options["prepare_threshold"] = envint_or_off("DB_PREPARE_THRESHOLD", 5)
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" and envbool("DB_POOL", False):
    # PostgreSQL: psycopg's pool (one per process) instead of one persistent connection per
    # process. Worth it with `leitstern serve --threads N`; see docs/deploy.md.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": envint("DB_POOL_MIN_SIZE", 2),
        "max_size": envint("DB_POOL_MAX_SIZE", 8),
        "timeout": envint("DB_POOL_TIMEOUT", 10),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Person"
AUTHENTICATION_BACKENDS = [
    "leitstern.trust.security.AxesBackend",  # first: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ALLOW_SIGNUPS = envbool("LEITSTERN_OPEN_SIGNUP", False)
ACCOUNT_ADAPTER = "leitstern.accounts.adapter.AccountAdapter"
# Rate limits (allauth, counted in the cache) on top of the axes lockout below.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Per address only: a per-email limit would let anyone lock a colleague out from
    # anywhere. Per email *and* address is axes' job (AXES_LOCKOUT_PARAMETERS).
    "login_failed": "10/m/ip",
    "reset_password": "20/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "change_password": "5/m/user",
}

# Lockout after repeated failed sign-ins (django-axes). Keyed by the combination of email
# and IP address, so an attacker elsewhere cannot lock a colleague out; the short cool-off
# limits how long even a lockout from the same network lasts. No log of successful
# sign-ins is kept (that would be a per-person activity record).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_USERNAME_CALLABLE = "leitstern.trust.security.axes_username"
AXES_CLIENT_IP_CALLABLE = "leitstern.trust.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "trust/locked_out.html"
# Reverse proxies in front of the app whose X-Forwarded-For we trust (0 = none).
LEITSTERN_PROXY_COUNT = envint("LEITSTERN_PROXY_COUNT", 0)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "leitstern@localhost")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates day first ("23 Nov 2026"); German keeps Django's ("23.11.2026").
FORMAT_MODULE_PATH = ["leitstern.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the project-wide CSS and vendored htmx/Pico
STATIC_ROOT = VAR_DIR / "static"
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
_COLLECTED = (STATIC_ROOT / "staticfiles.json").exists() and not DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without a collectstatic run (tests, DEBUG), serve straight from the app folders.
WHITENOISE_USE_FINDERS = not _COLLECTED
WHITENOISE_MANIFEST_STRICT = False

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
# Absolute session lifetime (from sign-in) and idle timeout, both enforced by
# leitstern.trust.security.SessionExpiryMiddleware. SESSION_SAVE_EVERY_REQUEST stays off:
# it would renew the cookie on every request and turn the absolute limit into a sliding one.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 12)
LEITSTERN_SESSION_IDLE_SECONDS = envint("LEITSTERN_SESSION_IDLE_SECONDS", 60 * 60 * 2)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Strict Content-Security-Policy: our own scripts and styles only, no inline code. htmx is
# told not to inject its indicator <style> (see the htmx-config meta tag in base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# HSTS preload is a commitment for the whole domain that is hard to undo: an operator opts in.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# API requests per token and minute. The counter lives in the cache: with several app
# processes, configure a shared cache (e.g. Redis) or each process counts on its own.
LEITSTERN_API_RATE_LIMIT = envint("LEITSTERN_API_RATE_LIMIT", 600)

# A download of the OKR-as-code export in the browser or through the API runs in a web worker,
# which the server stops after its timeout (30 s): it covers at most this many check-ins
# (JSON, YAML) or key results (CSV) — one cycle of 2,000 teams. Larger exports: per cycle,
# or `leitstern export` on the server (docs/okr-as-code.md).
LEITSTERN_EXPORT_WEB_LIMIT = envint("LEITSTERN_EXPORT_WEB_LIMIT", 250_000)

# A shared cache (rate limits, sessions' lockouts) for several app processes: REDIS_URL, e.g.
# redis://127.0.0.1:6379/0. Without it each process has its own in-memory cache.
# Rendered fragments of the team and organisation pages live at most this long even if a
# change slipped past the page versions (e.g. an edit in the operator admin).
FRAGMENT_SECONDS = envint("FRAGMENT_CACHE_SECONDS", 900)
if os.environ.get("REDIS_URL"):
    # Sessions are read from Redis and written through to the database: one query less per
    # request, and a sign-out still ends the session in every app process.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "leitstern",
        },
        "fragments": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "leitstern-fragments",
            "TIMEOUT": FRAGMENT_SECONDS,
        },
    }
else:
    # Database sessions, read through a query compiled once (leitstern/accounts/sessions.py).
    SESSION_ENGINE = "leitstern.accounts.sessions"
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Rendered page parts, per process; keys carry page versions (leitstern.web.fragments).
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragments",
            "TIMEOUT": FRAGMENT_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": envint("FRAGMENT_CACHE_ENTRIES", 2000)},
        },
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

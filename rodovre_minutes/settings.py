"""Django settings for Rødovre Minutes.

Everything that differs between a laptop and production comes from the environment; the defaults are for local
use on the embedded SQLite database. Production sets at least DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list from the environment."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value and value.strip() else default


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "local-development-only-not-secret-rodovre-minutes"
SECRET_KEY = os.environ.get("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "meetings",
    "cases",
    "importer",
    "search",
    "web",
    "oparl",
    "publishing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous reads of the archive go to a read replica when there are any (rodovre_minutes.routers).
    "rodovre_minutes.routers.PublicReadsMiddleware",
    # Below ConditionalGet (a cached page still gets its 304), above what only rendering needs (web.cache).
    "web.cache.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (the CSRF check in process_view does): refuses too large a body with 413.
    "rodovre_minutes.middleware.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "rodovre_minutes.urls"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "rodovre_minutes.wsgi.application"

# The embedded default keeps the app runnable with no server; production points DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh checkout has no var/ yet (it is git-ignored); SQLite will not create the folder itself.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers (the site) work while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

# Read replicas (PostgreSQL streaming replicas of DATABASE_URL), comma-separated URLs: the public site's anonymous
# reads of the archive go to one of them; imports, publishing, the admin and everything else use the primary.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    _alias = f"replica{_number}"
    DATABASES[_alias] = dj_database_url.parse(
        _url, conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0), conn_health_checks=True
    )
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}  # tests see one database through both aliases
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["rodovre_minutes.routers.ReplicaRouter"]

# The cache every worker and management command shares: the public pages (web.cache) live there, keyed by the
# archive's version. The database by default (`manage.py createcachetable` once, after migrate); CACHE_URL
# redis://host:6379/0 (needs the `redis` extra) or memcached://host:11211 (needs pymemcache) where configured.
_CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if _CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    _CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
elif _CACHE_URL.startswith("memcached://"):
    _CACHE = {
        "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
        "LOCATION": _CACHE_URL.removeprefix("memcached://"),
    }
elif _CACHE_URL.startswith("locmem://"):  # one process only: for a laptop without a database cache table
    _CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
elif _CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must start with redis://, memcached:// or locmem://")
else:
    _CACHE = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rodovre_cache",
        # Room for every page of a large archive; culling counts the table on every write, so rarely.
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 300_000), "CULL_FREQUENCY": 3},
    }
CACHES = {"default": {**_CACHE, "KEY_PREFIX": "rodovre", "TIMEOUT": 24 * 3600}}
# How long a cached page is kept at most; a change of the archive replaces it at once whatever this says. 0 turns
# the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 24 * 3600)
# Pages each worker process also keeps in its own memory (same keys, never stale), sparing the shared cache.
PAGE_CACHE_RECENT = env_int("PAGE_CACHE_RECENT", 200)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface is Danish for everyone. No LocaleMiddleware until an English translation exists: following the
# browser's Accept-Language would only turn dates and Django's own strings English around Danish text.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("Engelsk"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Where the latest nightly `export_archive` can be downloaded (a URL); /data/ links it when set.
OPEN_DATA_EXPORT_URL = os.environ.get("OPEN_DATA_EXPORT_URL", "").strip()
# The domain after "@" in the calendars' event UIDs (e.g. minutes.example.org); empty: the host a calendar is asked
# for on. Set it when the site answers under more than one name, so that calendar apps see the same events.
CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "").strip()

LOGIN_URL = "login"
# A clerk logging in without a page to return to lands on the uploads: what they log in for.
LOGIN_REDIRECT_URL = "publishing:upload_list"

# Security: on by default whenever DEBUG is off; each can be switched off (e.g. TLS terminated elsewhere
# without a forwarded-proto header) through the environment.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Clerk uploads and login protection (publishing app) ---------------------------------------------------------
# django-axes rate-limits login attempts: after AXES_FAILURE_LIMIT failures for one username from one address the
# pair is locked out for AXES_COOLOFF_TIME hours. Its middleware must come last and its backend first; the
# standalone backend only checks the lockout and leaves the actual authentication to ModelBackend.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_TIME", 1)  # hours
# Username and address together: a stranger cannot lock a clerk out from elsewhere with AXES_FAILURE_LIMIT guesses
# at their name. Across addresses a username is locked after AXES_USERNAME_FAILURE_LIMIT failures in the cool-off
# time (rodovre_minutes.security.LockoutHandler), so more addresses do not buy more guesses.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FAILURE_LIMIT = env_int("AXES_USERNAME_FAILURE_LIMIT", 20)
AXES_HANDLER = "rodovre_minutes.security.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
# The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT reverse proxies that append to
# X-Forwarded-For, the address the outermost of them saw (rodovre_minutes.security.client_ip). Never the header
# when the count is 0: anyone can send one.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", env_int("AXES_IPWARE_PROXY_COUNT", 0))
AXES_CLIENT_IP_CALLABLE = "rodovre_minutes.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "publishing/lockout.html"

# Largest protocol or attachment file a clerk may upload, in bytes (default 10 MB); at most 20 attachments.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_MAX_ATTACHMENTS = env_int("UPLOAD_MAX_ATTACHMENTS", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields other than files (Django's default, stated on purpose)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
# Room above UPLOAD_MAX_ATTACHMENTS, so that picking too many files gets the form's Danish message, not a bare 400.
DATA_UPLOAD_MAX_NUMBER_FILES = max(100, UPLOAD_MAX_ATTACHMENTS + 1)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files spool to a private temporary file
FILE_UPLOAD_PERMISSIONS = 0o600
# --- end of the publishing block ---------------------------------------------------------------------------------

# --- Bounded requests, headers, personal data and background publishing (issue 15) ------------------------------
# Request bodies: RequestBodyLimitMiddleware refuses a larger Content-Length with 413 before a byte is read.
# Clerks' uploads may carry a protocol and its attachments; everything else (login, publish, search) is small.
# Staff get Django's own form-data cap in the admin. The proxy in front should allow UPLOAD_MAX_REQUEST_BYTES.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 64 * 1024)
UPLOAD_MAX_REQUEST_BYTES = env_int("UPLOAD_MAX_REQUEST_BYTES", 5 * UPLOAD_MAX_BYTES)
ADMIN_MAX_REQUEST_BYTES = env_int("ADMIN_MAX_REQUEST_BYTES", DATA_UPLOAD_MAX_MEMORY_SIZE)

# Content-Security-Policy on every response (django-csp): scripts and styles only from our own origin, never
# inline; no plugins, frames or foreign form targets. Views serving uploaded text set a stricter one themselves.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# CPR numbers are masked in everything published unless a clerk confirms a number as not personal. The mask may
# use {date} (DDMMYY), {sep} (the dash as written, or nothing), {day}, {month}, {year}; never the last four digits.
CPR_MASK = os.environ.get("CPR_MASK") or "{date}{sep}****"

# Protocols with more cases than this are published by the background worker (`manage.py db_worker`) with a
# status page; smaller ones within the request. TASKS_BACKEND=immediate runs the work in the request instead
# (the default with DEBUG on, so `make run` needs no worker).
PUBLISH_INLINE_MAX_CASES = env_int("PUBLISH_INLINE_MAX_CASES", 300)
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND") or ("immediate" if DEBUG else "database")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# A background publish the worker has not finished this many seconds after it was queued (the worker killed, the
# task lost) counts as stalled: the clerk's status page says so and offers to try again, and `purge_uploads` treats
# it like an unpublished upload. Far above what the largest protocol needs (10 000 cases: well under a minute).
PUBLISH_TIMEOUT = env_int("PUBLISH_TIMEOUT", 15 * 60)
# How long a clerk's publish in a web request waits for a meeting another writer (the worker, an import) is writing
# before it answers "being published right now, try again" (409); below gunicorn's 30 s timeout. The worker and
# `import_protocols` wait as long as it takes.
MEETING_LOCK_WAIT = env_int("MEETING_LOCK_WAIT", 10)

# Search exports (CSV, Excel) for visitors who are not logged in stop after this many cases, with a message on the
# page; clerks and staff get every match. 0 means no cap.
SEARCH_EXPORT_ANONYMOUS_MAX_ROWS = env_int("SEARCH_EXPORT_ANONYMOUS_MAX_ROWS", 5000)

"""Settings for AI FinOps Workshop.

Every value comes from the environment with a safe default, so the same file serves a
facilitator's laptop (SQLite, no setup) and a central deployment (PostgreSQL, several
stateless app processes). See README.md for the list of variables.
"""

import datetime
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Paths ------------------------------------------------------------------------------------
# Everything the app writes (database, secret key, uploads) lives in one folder.
DATA_DIR = Path(os.environ.get("FINOPS_DATA_DIR", BASE_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


# --- Security ---------------------------------------------------------------------------------
def _secret_key() -> str:
    """The configured key, or one generated on first run and kept in the data folder."""
    if key := os.environ.get("FINOPS_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Finance sign-offs are signed with this server's Ed25519 key (common.signing): from the
# environment (PEM or base64 seed; the same on every process), else generated on first use
# into $FINOPS_DATA_DIR/signing_key.
SIGNING_KEY = os.environ.get("FINOPS_SIGNING_KEY", "")
# Other servers' public keys (base64 or hex) whose sign-offs count when their bundles arrive.
TRUSTED_SIGNING_KEYS = env_list("FINOPS_TRUSTED_SIGNING_KEYS")
DEBUG = env_bool("FINOPS_DEBUG")
# A workshop laptop is reached by its LAN address, which nobody knows in advance.
ALLOWED_HOSTS = env_list("FINOPS_ALLOWED_HOSTS", "*")
CSRF_TRUSTED_ORIGINS = env_list("FINOPS_CSRF_TRUSTED_ORIGINS")
# The address the room opens (join screen, QR codes, invite links), e.g.
# "https://workshops.example.com"; unset, the LAN address `serve` found (common.addresses).
PUBLIC_URL = os.environ.get("FINOPS_PUBLIC_URL", "").strip().rstrip("/")
if PUBLIC_URL and not PUBLIC_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"FINOPS_PUBLIC_URL must start with http:// or https:// (got {PUBLIC_URL!r})."
    )

# HTTPS: a venue laptop serves plain HTTP on the LAN; a central deployment sets FINOPS_HTTPS=1.
HTTPS = env_bool("FINOPS_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("FINOPS_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("FINOPS_HSTS_PRELOAD", HTTPS)
# Behind a reverse proxy (or a chain of them) the client's address comes from X-Forwarded-For:
# the entry written by the outermost of TRUSTED_PROXY_COUNT proxies (common.addresses).
BEHIND_PROXY = env_bool("FINOPS_BEHIND_PROXY")
TRUSTED_PROXY_COUNT = int(os.environ.get("FINOPS_TRUSTED_PROXIES", 1))
if HTTPS and BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A workshop day plus the follow-up week.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# Content-Security-Policy: no inline script or style anywhere, only the app's own files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Deployment checks that do not apply to a plain-HTTP LAN laptop are silenced only there.
SILENCED_SYSTEM_CHECKS = (
    [] if HTTPS else ["security.W004", "security.W008", "security.W012", "security.W016"]
)


# --- Applications -----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "workshops",
    "foundation",
    "agents",
    "kpis",
    "targets",
    "reports",
    "bundles",
    "tracking",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.middleware.NoStoreMiddleware",
    "common.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the sign-in form's answer and turns a refused one into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "finops_workshop.urls"
WSGI_APPLICATION = "finops_workshop.wsgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]


# --- Database ---------------------------------------------------------------------------------
# SQLite by default (one facilitator laptop); DATABASE_URL selects PostgreSQL.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("FINOPS_SQLITE_PATH", DATA_DIR / "finops.sqlite3"),
            # Keep each server thread's connection: opening one (and its PRAGMAs) cost more
            # than the rest of an unchanged 204 poll.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                # Writers queue instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
            # Tests use a file, as the app does, not SQLite's shared in-memory database: there
            # a page read while another thread writes fails at once ("table is locked"), where
            # WAL lets readers go on. One file per test process (suites may run side by side).
            "TEST": {
                "NAME": os.path.join(
                    os.environ.get("FINOPS_TEST_DB_DIR", tempfile.gettempdir()),
                    f"finops-test-{os.getpid()}.sqlite3",
                )
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "finops_cache",
    }
}

# --- Documents --------------------------------------------------------------------------------
# PDFs and spreadsheets are rendered by a task worker (`manage.py db_worker`, which `serve`
# starts beside the web server), never in a request thread; the queue lives in the database,
# so it works on SQLite and PostgreSQL alike and any host may run the worker.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["documents"],
    }
}
# A render still running after this many seconds is taken for lost (its worker stopped) and may
# be started again.
DOCUMENT_RENDER_TIMEOUT = int(os.environ.get("FINOPS_DOCUMENT_RENDER_TIMEOUT", 300))


# --- Authentication ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workshops:list"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Wrong passwords (django-axes) are counted per username *and* address: a guesser is refused
# for a while after LOGIN_THROTTLE_ATTEMPTS failures, while the account's owner signing in from
# another address (or the same venue Wi-Fi under another name) is never held up.
AXES_FAILURE_LIMIT = int(os.environ.get("FINOPS_LOGIN_THROTTLE_ATTEMPTS", 5))
AXES_COOLOFF_TIME = datetime.timedelta(
    seconds=int(os.environ.get("FINOPS_LOGIN_THROTTLE_WINDOW", 300))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A refused attempt does not push the wait further away: the guesser is slowed, not locked.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "common.addresses.client_address"
AXES_USERNAME_CALLABLE = "workshops.signin.username_for_throttle"
AXES_LOCKOUT_CALLABLE = "workshops.signin.signin_refused"
# Successful sign-ins are not logged: only failures are needed to slow guessing.
AXES_DISABLE_ACCESS_LOG = True


# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("FINOPS_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True


# --- Static files and uploads -----------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files are served from the app's own folders (no collectstatic step on a venue laptop);
# a central deployment may set FINOPS_MANIFEST_STATIC=1 after running collectstatic.
MANIFEST_STATIC = env_bool("FINOPS_MANIFEST_STATIC")
STATIC_ROOT = DATA_DIR / "staticfiles" if MANIFEST_STATIC else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if MANIFEST_STATIC
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not MANIFEST_STATIC
# Uploads (Pillar 1 spreadsheets, price catalogues, bundles) are read in memory and never
# stored. Each upload page caps its whole request body and takes one file in one field
# (common.uploads); these limits hold for every other request too.
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 1
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]


# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FINOPS_LOG_LEVEL", "WARNING")},
}

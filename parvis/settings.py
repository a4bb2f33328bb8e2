"""Django settings for Parvis. Every value comes from the environment (see docs/configuration.md).

With no environment at all, Parvis runs on one machine: SQLite in ``data/``, jobs in a
second SQLite file, uploaded files on disk, mail kept in a local outbox.
"""

import datetime
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from parvis.env import env_bool, env_int, env_list, env_str
from parvis.secret_key import read_key_file

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("PARVIS_DATA_DIR", str(BASE_DIR / "data")))
TESTING = env_bool("PARVIS_TESTING")
DATA_DIR.mkdir(parents=True, exist_ok=True)

# No default: the environment's, else the one `parvis run` generated in the data folder
# (parvis/secret_key.py). A production start without a strong key is refused.
SECRET_KEY = env_str("SECRET_KEY") or read_key_file(DATA_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "parvis.error_pages.csrf_failure"  # French, says what to do next
BASE_URL = env_str("PARVIS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "parvis.backoffice.apps.ParvisAdminConfig",  # Django's admin, behind the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # index expressions with operator classes (search), PG lookups
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "huey.contrib.djhuey",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "parvis.core",
    "parvis.accounts",
    "parvis.catalog",
    "parvis.routing",
    "parvis.tickets",
    "parvis.search",
    "parvis.bookings",
    "parvis.intake",
    "parvis.privacy",
    "parvis.notifications",
    "parvis.sla",
    "parvis.workflows",
    "parvis.satisfaction",
    "parvis.mailin",
    "parvis.knowledge",
    "parvis.portal",
    "parvis.backoffice",
    "parvis.api",
    "parvis.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body or queries the database (parvis/request_limits.py).
    "parvis.request_limits.RequestLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parvis.urls"
WSGI_APPLICATION = "parvis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "parvis" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "parvis.core.context_processors.commune",
            ],
        },
    },
]

# Database: SQLite (WAL, immediate transactions so that writers queue instead of failing)
# unless DATABASE_URL points elsewhere, e.g. postgres://parvis@db.example.fr/parvis.
DATABASE_URL = env_str("DATABASE_URL")
# SQLite, whether named by DATABASE_URL or the default file: writers queue (IMMEDIATE) and a
# commit does not wait for the disk (WAL with synchronous=NORMAL: durable at each checkpoint,
# never corrupted by a crash).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
    ),
}
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        if env_bool("DATABASE_PREPARED_STATEMENTS", True):
            # The same few statements run thousands of times: PostgreSQL parses and plans
            # each once per connection (a third less PostgreSQL CPU per ticket, see
            # docs/benchmarks.md). Turn off behind a transaction-mode pooler (PgBouncer).
            DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "parvis.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# The cache holds the versions of what each process keeps (the commune, the catalogue) and
# the rate limits: it must be shared by every process (docs/decisions/0009). Redis when
# there is one; otherwise a table of the database, shared by every process that uses it.
REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
PARVIS_DATABASE_CACHE = {
    "BACKEND": "parvis.core.cache_backend.DatabaseCache",
    "LOCATION": "parvis_cache",
    "OPTIONS": {"MAX_ENTRIES": 20_000},
}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "parvis.core.cache_backend.RedisCache", "LOCATION": REDIS_URL}}
elif TESTING:
    # Each test process its own: no query to count, nothing left from one test to the next.
    # The tests of sharing between processes use PARVIS_DATABASE_CACHE.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": PARVIS_DATABASE_CACHE}

# Background jobs. SQLite storage needs no broker; Redis when several machines share the queue.
HUEY = {
    "name": "parvis",
    "immediate": TESTING or env_bool("HUEY_IMMEDIATE"),
    "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"},
}
if TESTING:
    HUEY |= {"huey_class": "huey.MemoryHuey"}
elif REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "jobs.sqlite3")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out client before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "backoffice:login"

# Login throttling (django-axes) on the agents' and the administration's login: failures
# are counted in the database, so every process and machine shares the count. A client
# (account + address) is locked out after PARVIS_LOGIN_FAILURE_LIMIT failures, for
# PARVIS_LOGIN_LOCKOUT_MINUTES (0: until an administrator unlocks it).
AXES_FAILURE_LIMIT = env_int("PARVIS_LOGIN_FAILURE_LIMIT", 5)
_lockout_minutes = env_int("PARVIS_LOGIN_LOCKOUT_MINUTES", 30)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=_lockout_minutes) if _lockout_minutes else None
# Account and address together: an attacker elsewhere cannot lock an agent out of the
# mairie's network, and every address gets its own few tries per account.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "parvis.core.ratelimit.client_ip_address"
AXES_LOCKOUT_CALLABLE = "parvis.backoffice.views.auth.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# Failed API keys, per client address: this many in PARVIS_API_KEY_FAILURE_WINDOW seconds,
# then 429 until the window ends.
PARVIS_API_KEY_FAILURE_LIMIT = env_int("PARVIS_API_KEY_FAILURE_LIMIT", 10)
PARVIS_API_KEY_FAILURE_WINDOW = env_int("PARVIS_API_KEY_FAILURE_WINDOW", 900)

# Two-factor authentication (django-otp): TOTP for every agent who enrols, required for
# administrators and members of confidential services (accounts.selectors).
OTP_TOTP_ISSUER = "parvis.accounts.selectors.totp_issuer"
PARVIS_RECOVERY_CODE_COUNT = 10
LOGIN_REDIRECT_URL = "backoffice:queue"
LOGOUT_REDIRECT_URL = "backoffice:login"

# The interface is written in French in the code (docs/decisions/0011): French is the source
# language, and the French catalogue only adds French plural forms.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]  # i18n: ignore — a language's name is written in that language
LOCALE_PATHS = [BASE_DIR / "parvis" / "locale"]  # written by `make messages`, .mo committed
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "parvis" / "static"]  # vendored htmx, axe-core
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded files: what a citizen may attach.
_max_upload_mb = env_int("PARVIS_MAX_UPLOAD_MB", 10)
PARVIS_MAX_UPLOAD_BYTES = _max_upload_mb * 1024 * 1024
PARVIS_MAX_FILES_PER_MESSAGE = env_int("PARVIS_MAX_FILES_PER_MESSAGE", 5)
# Images are refused above this many pixels, read from their header before decoding: decoding
# costs about 4 bytes a pixel (tickets/images.py).
PARVIS_MAX_IMAGE_PIXELS = env_int("PARVIS_MAX_IMAGE_MEGAPIXELS", 50) * 1_000_000
# A request's whole body, refused above this from its announced length before it is read
# (parvis/request_limits.py). By default a message's files at their largest, and one more.
PARVIS_MAX_REQUEST_BYTES = (
    env_int("PARVIS_MAX_REQUEST_MB", _max_upload_mb * (PARVIS_MAX_FILES_PER_MESSAGE + 1))
    * 1024
    * 1024
)
# The API's: JSON text (a ticket, a reply), no files.
PARVIS_API_MAX_BODY_BYTES = env_int("PARVIS_API_MAX_BODY_KB", 1024) * 1024

# Letters (a reply printed for a citizen without email): a folder holding DejaVuSans.ttf and
# DejaVuSans-Bold.ttf (Debian: fonts-dejavu-core). Without it, the PDF's own Helvetica.
PARVIS_LETTER_FONT_DIR = env_str("PARVIS_LETTER_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Outbound mail: SMTP when EMAIL_HOST is set, otherwise the local outbox page.
if _email_host := env_str("EMAIL_HOST"):
    _email_port = env_int("EMAIL_PORT", 587)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": _email_port,
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", _email_port == 587),
                "use_ssl": env_bool("EMAIL_USE_SSL", _email_port == 465),
                "timeout": 30,
            },
        }
    }
else:
    # No server: each mail is kept in the database and shown on the outbox page.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
# Send the mails Parvis writes (by the mailer above); off, they are only kept for the outbox.
PARVIS_MAIL_SEND = env_bool("PARVIS_MAIL_SEND", bool(_email_host))
# Text messages (SMS) to citizens who chose them: the dotted path of a backend class with
# ``send(to: str, text: str) -> None`` (docs/configuration.md). Empty: no SMS, and the
# portal does not offer them. `parvis.notifications.sms.ConsoleBackend` prints them.
PARVIS_SMS_BACKEND = env_str("PARVIS_SMS_BACKEND", "")
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL",
    "Mairie <contact@parvis.localhost>",  # i18n: ignore — an address (never a no-reply one)
)
# Incoming mail (parvis mail serve / poll / ingest, docs/mail.md): the domains whose
# addresses Parvis receives for (default: the domain of DEFAULT_FROM_EMAIL), the largest
# message accepted, and the port of the SMTP endpoint that `parvis run` starts.
PARVIS_MAIL_DOMAINS = env_list(
    "PARVIS_MAIL_DOMAINS", DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "localhost"
)
PARVIS_MAIL_MAX_BYTES = env_int("PARVIS_MAIL_MAX_MB", 30) * 1024 * 1024

# Idempotency keys (API header Idempotency-Key, the portal form's one-time token): how long
# a retry gets the first response (purged by the hourly job or `parvis purge-idempotency-keys`),
# and how long, on PostgreSQL, a retry waits for a first request still running (then 409).
PARVIS_IDEMPOTENCY_KEY_HOURS = env_int("PARVIS_IDEMPOTENCY_KEY_HOURS", 24)
PARVIS_IDEMPOTENCY_WAIT_SECONDS = env_int("PARVIS_IDEMPOTENCY_WAIT_SECONDS", 10)

# Citizens who look a request up by reference and email: attempts per address and window.
PARVIS_TRACKING_LOOKUP_LIMIT = env_int("PARVIS_TRACKING_LOOKUP_LIMIT", 5)
PARVIS_TRACKING_LOOKUP_WINDOW = env_int("PARVIS_TRACKING_LOOKUP_WINDOW", 900)
# The open reports near a place, listed for a citizen filing a public-space report: look-ups
# per client address and window (each change of place is one; docs/guide-administrateur.md).
PARVIS_NEARBY_LOOKUP_LIMIT = env_int("PARVIS_NEARBY_LOOKUP_LIMIT", 30)
PARVIS_NEARBY_LOOKUP_WINDOW = env_int("PARVIS_NEARBY_LOOKUP_WINDOW", 600)
# The public form: requests per client address and window, then per email address and window
# on every channel but an agent's (docs/decisions/0018-abuse-of-the-public-form.md).
PARVIS_SUBMIT_CLIENT_LIMIT = env_int("PARVIS_SUBMIT_CLIENT_LIMIT", 10)
PARVIS_SUBMIT_CLIENT_WINDOW = env_int("PARVIS_SUBMIT_CLIENT_WINDOW", 600)
PARVIS_SUBMIT_EMAIL_LIMIT = env_int("PARVIS_SUBMIT_EMAIL_LIMIT", 5)
PARVIS_SUBMIT_EMAIL_WINDOW = env_int("PARVIS_SUBMIT_EMAIL_WINDOW", 3600)
# Acknowledgements (and tracking links) written to one address in an hour; beyond, the mail
# is withheld and the ticket's history says so.
PARVIS_ACKNOWLEDGEMENTS_PER_HOUR = env_int("PARVIS_ACKNOWLEDGEMENTS_PER_HOUR", 3)
# The tracking page offers "Relancer" once the service has not answered the citizen's last
# word for this many working days (parvis/tickets/follow_ups.py).
PARVIS_FOLLOW_UP_AFTER_WORKING_DAYS = env_int("PARVIS_FOLLOW_UP_AFTER_WORKING_DAYS", 5)
# Reverse proxies in front of Parvis (nginx, a load balancer): the client's address is then
# read from X-Forwarded-For, as the last of them wrote it. 0: REMOTE_ADDR is the client.
PARVIS_TRUSTED_PROXIES = env_int("PARVIS_TRUSTED_PROXIES", 0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "parvis.api.authentication.ApiTokenAuthentication",
        "parvis.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "parvis.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("API Parvis"),
    "DESCRIPTION": _("Créer et suivre les demandes des usagers d'une commune."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# No inline script anywhere; the one inline style (the commune's colour) carries a nonce.
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS in production (docs/configuration.md, "Production"): `check --deploy` passes with them.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# The header by which the TLS proxy says the request came over HTTPS, e.g. X-Forwarded-Proto
# (the proxy must set it, never pass on the client's).
if _proxy_ssl_header := env_str("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

"""Settings for the e-safety governance portal, read from the environment.

With no environment at all the portal runs on an embedded SQLite file with Celery
tasks run eagerly, so a fresh checkout starts with ``make run``. Production sets
``DEBUG=false`` and must then provide ``SECRET_KEY`` and ``DATABASE_URL``.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    # A development-only key: production (DEBUG off) refuses to start without its own.
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-never-used-in-production")
else:
    SECRET_KEY = env("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if "DATABASE_URL" not in env.ENVIRON:
        raise ImproperlyConfigured("DATABASE_URL must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Closed incidents keep their free text this long, then only what the statistics need.
INCIDENT_RETENTION_DAYS = env.int("INCIDENT_RETENTION_DAYS", default=6 * 365)
# The audit trail is kept at least this long; older events go only through ``manage.py prune_trail``.
AUDIT_TRAIL_RETENTION_DAYS = env.int("AUDIT_TRAIL_RETENTION_DAYS", default=7 * 365)

PARTNERSHIP_NAME = env("PARTNERSHIP_NAME", default="Exampleshire Safeguarding Children Partnership")
# Public address of the portal, used for links in e-mails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tables2",
    "django_filters",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "accounts",
    "agencies",
    "locations",
    "champions",
    "esig",
    "audits",
    "incidents",
    "actionplan",
    "reports",
    "reminders",
    "activity",
    "imports",
    "benchmark",
    "esafety",
    "django_prometheus",
]

MIDDLEWARE = [
    # First and last: django-prometheus times and counts every request.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "esafety.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "esafety.middleware.UserContextMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "esafety.middleware.FileStoreUnavailableMiddleware",
    # Last but for the metrics, as django-axes asks: it turns a lock-out into its page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Sign-in through an identity provider (accounts/sign_in.py): only restores those sessions.
    "accounts.sign_in.ProviderBackend",
]

# Two-factor authentication is required of the secretariat, safeguarding leads and administrators.
# Only the local demo (DEBUG) leaves it optional, so anyone can try the portal without an authenticator app.
TWO_FACTOR_ENFORCED = env.bool("TWO_FACTOR_ENFORCED", default=not DEBUG)

# Log-in lock-outs (accounts/lockout.py). Failures are counted per account AND address (django-axes),
# so nobody can lock a colleague out from elsewhere, and a whole council or NHS trust behind one
# outgoing address is not locked out by one person's typing.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the log-in form's field, which holds the e-mail address
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the account-wide count reads it
# Attempts refused by a lock check no password, so they are not guesses: they neither count nor extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# And per account from any address, slower and higher, against guessing spread over many addresses:
# the person is e-mailed a one-time unlock link; the secretariat can unlock under Account support.
ACCOUNT_LOCKOUT_LIMIT = env.int("ACCOUNT_LOCKOUT_LIMIT", default=20)
ACCOUNT_LOCKOUT_HOURS = env.int("ACCOUNT_LOCKOUT_HOURS", default=24)
UNLOCK_LINK_HOURS = env.int("UNLOCK_LINK_HOURS", default=24)
# Reverse proxies in front of the portal that append the client's address to X-Forwarded-For
# (0: REMOTE_ADDR is the client's address). Lock-outs are per address, so this must be right.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Sign-in through the agencies' own identity providers (OpenID Connect; accounts/sign_in.py) ---------
# Each provider is set by its client id and secret from the environment; Microsoft Entra ID and Google
# Workspace have their issuer filled in. Others are named in SIGN_IN_PROVIDERS (short names, comma-separated)
# with SIGN_IN_<NAME>_TITLE / _ISSUER / _CLIENT_ID / _CLIENT_SECRET. An administrator can add more under
# Admin → Identity providers. None configured: the log-in page offers the password form only.
_BUILT_IN_PROVIDERS = {
    # The tenant's own issuer, or "organizations" for any work account (the agency's domain link still decides).
    "microsoft": (
        "Microsoft",
        f"https://login.microsoftonline.com/{env('SIGN_IN_MICROSOFT_TENANT', default='organizations')}/v2.0",
    ),
    "google": ("Google", "https://accounts.google.com"),
}
SIGN_IN_PROVIDERS = []
for _slug in dict.fromkeys(["microsoft", "google", *env.list("SIGN_IN_PROVIDERS", default=[])]):
    _prefix = f"SIGN_IN_{_slug.upper()}_"
    _title, _issuer = _BUILT_IN_PROVIDERS.get(_slug, (_slug.title(), ""))
    if env(_prefix + "CLIENT_ID", default=""):
        if not env(_prefix + "ISSUER", default=_issuer):
            raise ImproperlyConfigured(f"{_prefix}ISSUER must be set: the provider's issuer URL.")
        SIGN_IN_PROVIDERS.append(
            {
                "slug": _slug,
                "name": env(_prefix + "TITLE", default=_title),
                "issuer": env(_prefix + "ISSUER", default=_issuer),
                "client_id": env(_prefix + "CLIENT_ID"),
                "client_secret": env(_prefix + "CLIENT_SECRET", default=""),
            }
        )
# A privileged role skips the portal's own second step only when the provider's token says multi-factor was
# used: "mfa" in its amr claim, or one of these acr values.
SIGN_IN_MFA_ACR_VALUES = env.list(
    "SIGN_IN_MFA_ACR_VALUES", default=["http://schemas.openid.net/pape/policies/2007/06/multi-factor"]
)
SIGN_IN_HTTP_TIMEOUT = env.int("SIGN_IN_HTTP_TIMEOUT", default=10)  # seconds to wait for a provider
# --- end of sign-in through identity providers -------------------------------------------------------------

# A strict Content-Security-Policy: scripts and styles only from our own static files.
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

ROOT_URLCONF = "esafety.urls"

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
                "esafety.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "esafety.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The role that owns the tables, for migrations and the few owner-run commands (``migrate`` and
# ``prune_trail`` use it). On PostgreSQL the portal itself runs as a role that owns nothing and may
# only add to and read the audit trail (docs/audit-trail.md); with one URL both are the same.
if "DATABASE_MIGRATE_URL" in env.ENVIRON:
    DATABASES["owner"] = env.db("DATABASE_MIGRATE_URL")
    DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day; a used link stops working at once

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F Y, H:i"

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/axe-core", BASE_DIR / "node_modules" / "axe-core"),
]
# Private files (audit evidence, ESIG minutes, annual report PDFs) go through Django's storage API to
# the "private" storage and are only ever served by views that check permission first. With
# AWS_STORAGE_BUCKET_NAME set they live in S3-compatible object storage (any S3 service, MinIO, Ceph),
# shared by every web server and worker; otherwise in a folder on this machine (the local demo).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    from botocore.config import Config as _S3Config

    # django-storages' own setting names, so an operator's usual configuration works. The access key
    # and secret may also come from the environment or an instance role, as boto3 finds them.
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_LOCATION = env("AWS_LOCATION", default="")
    AWS_S3_ADDRESSING_STYLE = env("AWS_S3_ADDRESSING_STYLE", default=None)
    # The bucket stays private: objects carry no public-read grant and are never linked to directly.
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    # A name once written is never replaced (a report's file is the Board's record).
    AWS_S3_FILE_OVERWRITE = False
    # A store that does not answer fails the request within seconds ("try again shortly") instead of
    # holding a web worker for minutes.
    AWS_S3_CLIENT_CONFIG = _S3Config(
        connect_timeout=env.float("AWS_S3_CONNECT_TIMEOUT", default=3),
        read_timeout=env.float("AWS_S3_READ_TIMEOUT", default=10),
        retries={"max_attempts": env.int("AWS_S3_MAX_ATTEMPTS", default=2), "mode": "standard"},
    )
    PRIVATE_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    }
STORAGES = {
    "private": PRIVATE_STORAGE,
    # Nothing in the portal is public: a file saved without naming a storage is private too.
    "default": PRIVATE_STORAGE,
    # Static files are built into every web server's image and served by WhiteNoise.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Cache, broker and the database are shared by every web server and worker, so nothing about a
# request depends on which machine answers it: sessions, lock-outs (django-axes) and imports waiting
# for confirmation are in the database, cached figures in Redis whenever one is configured.
REDIS_URL = env("REDIS_URL", default="")
if "CACHE_URL" in env.ENVIRON:
    CACHES = {"default": env.cache("CACHE_URL")}
elif REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 2)
# The age above counts from the last request (inactivity expiry): accounts.middleware.SessionRenewalMiddleware
# saves an active session again at most this often, instead of on every request.
SESSION_RENEW_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# E-mail: printed to the console in the embedded default; SMTP in production.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="E-safety portal <esafety@example.org>")

# Celery: a Redis broker when REDIS_URL is set, otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# Operators' signals. /metrics (Prometheus) answers to these networks, or to "Authorization: Bearer
# <METRICS_TOKEN>" from anywhere. With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR to an
# empty folder each worker can write to, so a scrape adds up every worker's figures.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])

# Logs: plain lines for a person at a terminal; LOG_FORMAT=json for a log platform, one JSON object a
# line with the request id and the user id (never names, query strings or incident text), plus one
# line per request with its route, status and duration.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOG_REQUESTS = env.bool("LOG_REQUESTS", default=LOG_FORMAT == "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "esafety.middleware.RequestContextFilter"}},
    "formatters": {
        "text": {"format": "%(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s %(request_id)s %(user_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates every layout step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
# A worker logs through the settings above instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

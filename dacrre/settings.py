"""Settings for dacrre, all read from the environment (see README "Configuration").

Defaults give a bare-machine quick start: SQLite in ./var and Celery on kombu's filesystem
transport. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Local use only: keep one generated key so sessions survive a restart.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework.authtoken",
    "django_filters",
    "simple_history",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # The ground floor: imports no domain app (docs/architecture.md)
    "dacrre.core",
    "dacrre.accounts",
    "dacrre.audit",
    # Domain apps
    "people",
    "perpetrators",
    "victims",
    "incidents",
    "cases",
    "cases.access",
    "reminders",
    "referrals",
    "visits",
    "risk",
    "safety_plans",
    "orders",
    "disclosures",
    "meetings",
    "offender_management",
    "notes",
    "equipment",
    "experience",
    "intake",
    "justice",
    "scoring",
    "oversight",
    "reports",
    "documents",
    "records",
    "search",
    "casefile",
    # The shell: navigation, health checks, demo data; may import any app
    "dacrre.shell",
]
# The load and scale benchmark's commands (docs/load-benchmark.md) exist only where asked for: never
# in service. The test settings add it too.
if env.bool("DACRRE_LOADTEST", default=False):
    INSTALLED_APPS.append("loadtest")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dacrre.core.middleware.ApiJsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # The user, their agency and their second factor in one query (instead of Django's
    # AuthenticationMiddleware and django-otp's OTPMiddleware); then the idle timeout's renewal.
    "dacrre.accounts.session_user.SessionUserMiddleware",
    "dacrre.accounts.sessions.SessionRenewalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dacrre.accounts.middleware.SignInStateMiddleware",
    "dacrre.accounts.middleware.SessionLimitsMiddleware",
    "dacrre.accounts.middleware.RequireSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "dacrre.core.middleware.NoStoreMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # CSV and Excel downloads read from the database replica, when there is one (DATABASE_REPLICA_URL).
    "dacrre.core.db_router.ReplicaForDownloadsMiddleware",
]
# The load benchmark (loadtest_run) reads each response's query count; never on in service.
QUERY_COUNT_HEADER = env.bool("DACRRE_QUERY_COUNT_HEADER", default=False)
if QUERY_COUNT_HEADER:
    MIDDLEWARE.insert(0, "dacrre.core.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "dacrre.urls"
WSGI_APPLICATION = "dacrre.wsgi.application"

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
                "dacrre.shell.context_processors.navigation",
                "dacrre.accounts.context_processors.session",
            ],
        },
    },
]

# Database
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # Web, worker and beat share the file: WAL and immediate transactions avoid "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: pages run short queries, and on large tables PostgreSQL's cost estimates
    # made it spend 0.75 s compiling a query that ran in 0.1 s (measured by the load benchmark).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A PostgreSQL streaming replica of the primary, for the performance report and the CSV and Excel
# downloads (dacrre/core/db_router.py). Unset: everything reads the primary. Never migrated.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = environ.Env.db_url_config(DATABASE_REPLICA_URL)
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a PostgreSQL replica of DATABASE_URL.")
    DATABASES["replica"].update(
        CONN_MAX_AGE=env.int("CONN_MAX_AGE", default=60),
        CONN_HEALTH_CHECKS=True,
        # An unreachable replica costs a download at most 2 s before it reads the primary instead.
        OPTIONS={"options": "-c jit=off", "connect_timeout": 2},
        TEST={"MIRROR": "default"},  # a test run uses the primary's test database under this alias
    )
DATABASE_ROUTERS = ["dacrre.core.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before any password check
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Per-case grants use direct foreign-key tables (fast joins), not guardian's generic ones.
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files: front-end assets are built by `npm run build` into static/dist.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The document store (documents attached to cases, people, visits, orders, referrals, meetings): the
# `default` storage. A folder under var/ for the quick start; an S3-compatible bucket (MinIO in
# docker-compose) in production. Files are only ever read through the app's access path: the folder
# is served by no URL, and the bucket is private (no public URL is ever made).
DOCUMENT_STORAGE = env.str("DOCUMENT_STORAGE", default="filesystem")
MEDIA_ROOT = env.str("DOCUMENTS_ROOT", default=str(VAR_DIR / "documents"))
_DOCUMENT_STORES = {
    "filesystem": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None, "file_permissions_mode": 0o600},
    },
    "s3": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("DOCUMENTS_S3_BUCKET", default="dacrre-documents"),
            "endpoint_url": env.str("DOCUMENTS_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("DOCUMENTS_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("DOCUMENTS_S3_SECRET_KEY", default="") or None,
            "region_name": env.str("DOCUMENTS_S3_REGION", default="") or None,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,  # never an unsigned URL (and the app makes none)
            "file_overwrite": False,
        },
    },
}
if DOCUMENT_STORAGE not in _DOCUMENT_STORES:
    raise ImproperlyConfigured("DOCUMENT_STORAGE must be 'filesystem' or 's3'.")
STORAGES = {
    "default": _DOCUMENT_STORES[DOCUMENT_STORAGE],
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Cache: Redis when configured, else per-process memory.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is down or unreachable fails fast instead of holding the request; what
            # uses the cache carries on without it (see docs/operations.md, "When Redis is down").
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    # Shared by the web, worker and beat processes of the quick start (import progress, throttles).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Celery: Redis in CI and production, kombu's filesystem transport for the quick start.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # Everything the transport writes stays in var/: the messages, and the exchange-to-queue tables
    # in the control folder (kombu's default is ./control, in whatever folder a process started).
    _queue_dir, _control_dir = VAR_DIR / "celery" / "queue", VAR_DIR / "celery" / "control"
    for _folder in (_queue_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
else:
    # An unacknowledged task (its worker died) is delivered again after this many seconds.
    # Workers look for such tasks every 10 seconds (the scan is cheap).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
        # Sending from a web request fails at once when Redis is down (measured: 0.15 s instead of
        # 6 s of retries): the row is saved and the next sweep does the work.
        "max_retries": 0,
    }
    # kombu's Redis transport, made to survive Redis dropping while a task runs (dacrre/celery.py).
    CELERY_BROKER_TRANSPORT = "dacrre.celery:RedisTransport" if CELERY_BROKER_URL.startswith("redis") else None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker is redelivered
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker whose broker goes away keeps trying to reconnect for as long as it takes (Celery's default
# gives up after 100 attempts and the worker exits), and its supervisor restarts it if it ever exits.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Three queues, so that a long import never holds up a high-risk e-mail (docs/operations.md, "Queues"):
# `urgent` for the e-mails sent the moment a high-risk item or a safeguarding concern is saved,
# `imports` for incident imports and the score refresh (minutes of work each), `default` for the
# rest (sweeps, digests, expiries, and any task not routed here). Compose runs a worker for
# urgent+default and one for imports; a worker started without -Q (the quick start) takes all three.
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name, type="direct"), routing_key=name) for name in ("urgent", "default", "imports")
]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "dacrre.reminders.tasks.send_high_risk_notifications": {"queue": "urgent"},
    "incidents.tasks.run_incident_import": {"queue": "imports"},
    "scoring.tasks.refresh_all_scores": {"queue": "imports"},
}

# E-mail: console by default, SMTP through EMAIL_URL (e.g. smtp+tls://user:pass@host:587).
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="dacrre <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people open the service at, for links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Security. Production defaults are strict; a deployment behind a TLS proxy sets
# SECURE_PROXY_SSL_HEADER_ENABLED so Django knows the request was https.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Sessions in the database, read through the cache (dacrre/accounts/sessions.py): no session query
# on a request while the cache is warm; the database alone when the cache is down.
SESSION_ENGINE = "dacrre.accounts.sessions"
# Idle timeout: the session lasts SESSION_COOKIE_AGE after the last request, renewed (a session write)
# at most once every SESSION_RENEW_SECONDS, so it ends between 29 and 30 minutes after the last request.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Absolute limit after sign-in, whatever the activity (enforced by SessionLimitsMiddleware).
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Strict Content-Security-Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Second factor (TOTP) for everyone; recovery codes as static tokens.
OTP_TOTP_ISSUER = "dacrre"
RECOVERY_CODE_COUNT = 10

# Lockout after repeated failed sign-ins: AXES_FAILURE_LIMIT for one username from one address, and
# AXES_ADDRESS_FAILURE_LIMIT from one address whatever the usernames (one address trying a password
# across many accounts). The second is higher: a station's staff may share one address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "dacrre.accounts.lockout.LockoutHandler"
# The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the outermost
# one saw (X-Forwarded-For, counted from the right so that a client cannot forge it).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "dacrre.audit.services.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Partner systems use a token per agency account; the browsable docs use the signed-in session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "dacrre.accounts.auth.ActiveAccountTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "dacrre.core.api.exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "dacrre.core.api_settings.Pagination",
    # Per account, counted in the cache (Redis in production): 429 with Retry-After beyond it.
    "DEFAULT_THROTTLE_CLASSES": ["dacrre.core.api_settings.AccountRateThrottle"],
    "PAGE_SIZE": 50,
}
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "dacrre API",
    "DESCRIPTION": "Multi-agency case management for repeat domestic abuse perpetrator operations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation are for the service's users and partner systems: a token, or
    # a session that has passed both factors (RequireSecondFactorMiddleware holds the others).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI served from our own static files: no CDN, and it fits the content security policy.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"RiskLevelEnum": "cases.models.RiskLevel"},
    # Every operation lists the error statuses it answers (400, 401, 403, 404, 409, 413, 429).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dacrre.core.api.add_error_responses",
    ],
}

# How long a supervisor's break-glass look at a case outside their scope lasts.
BREAK_GLASS_HOURS = env.int("BREAK_GLASS_HOURS", default=4)
# How long a force that transferred a case to another force keeps read access to it (an expiring grant).
TRANSFER_READ_ACCESS_DAYS = env.int("TRANSFER_READ_ACCESS_DAYS", default=90)
# The force is in the domestic abuse protection notice and order pilot (Domestic Abuse Act 2021):
# DAPN and DAPO are offered beside DVPN and DVPO.
DAPO_PILOT = env.bool("DAPO_PILOT", default=False)
# After a referral is completed the receiving agency keeps access this long (0: removed at once).
REFERRAL_ACCESS_RETENTION_DAYS = env.int("REFERRAL_ACCESS_RETENTION_DAYS", default=30)

# Records management (docs/operations.md, "Retention of the access log and of imported files").
# The access log stays in the database this many whole months (then its month partitions are
# exported to ACCESS_LOG_ARCHIVE_DIR and dropped). Ten years: the review period of the police
# records guidance for violent and sexual offences, which domestic abuse records are, so that the
# log outlives the records it describes.
ACCESS_LOG_RETENTION_MONTHS = env.int("ACCESS_LOG_RETENTION_MONTHS", default=120)
if ACCESS_LOG_RETENTION_MONTHS < 1:
    raise ImproperlyConfigured("ACCESS_LOG_RETENTION_MONTHS must be at least 1.")
# Month partitions are made this many months ahead of the current one.
ACCESS_LOG_PARTITION_MONTHS_AHEAD = env.int("ACCESS_LOG_PARTITION_MONTHS_AHEAD", default=3)
ACCESS_LOG_ARCHIVE_DIR = env.str("ACCESS_LOG_ARCHIVE_DIR", default=str(VAR_DIR / "access-log-archive"))
# The partition jobs' own login, a member of the log's owner role; used by those jobs only.
ACCESS_LOG_OWNER_DATABASE_URL = env.str("ACCESS_LOG_OWNER_DATABASE_URL", default="")
# An uploaded incident file is removed this many days after its import finished (imported, or
# checked and never imported); a refused or failed upload's after IMPORT_FAILED_CONTENT_RETENTION_DAYS.
IMPORT_CONTENT_RETENTION_DAYS = env.int("IMPORT_CONTENT_RETENTION_DAYS", default=30)
IMPORT_FAILED_CONTENT_RETENTION_DAYS = env.int("IMPORT_FAILED_CONTENT_RETENTION_DAYS", default=7)

# Documents: the largest file accepted, and the malware scanner. With CLAMAV_HOST (and CLAMAV_PORT) or
# CLAMAV_SOCKET set, every file is scanned by ClamAV's daemon (clamd) before it is stored: a file it
# finds malware in is refused, and so is any file while the scanner cannot be reached. Unset, files
# are stored with the status "not scanned", shown wherever the document is (docs/records.md).
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_MB", default=20) * 1024 * 1024
CLAMAV_HOST = env.str("CLAMAV_HOST", default="")
CLAMAV_PORT = env.int("CLAMAV_PORT", default=3310)
CLAMAV_SOCKET = env.str("CLAMAV_SOCKET", default="")
CLAMAV_TIMEOUT = env.int("CLAMAV_TIMEOUT", default=30)

# Retention of case records (docs/records.md): a closed case comes up for review this many months
# after it was closed (high risk at closure: public protection; other: violent offences, which
# domestic abuse is); a reviewer who retains it sets the next review at most
# RETENTION_RETAIN_MAX_MONTHS ahead.
RETENTION_CASE_REVIEW_MONTHS = env.int("RETENTION_CASE_REVIEW_MONTHS", default=120)
RETENTION_CASE_HIGH_RISK_REVIEW_MONTHS = env.int("RETENTION_CASE_HIGH_RISK_REVIEW_MONTHS", default=120)
RETENTION_RETAIN_MAX_MONTHS = env.int("RETENTION_RETAIN_MAX_MONTHS", default=120)
for _name in ("RETENTION_CASE_REVIEW_MONTHS", "RETENTION_CASE_HIGH_RISK_REVIEW_MONTHS", "RETENTION_RETAIN_MAX_MONTHS"):
    if not 1 <= vars()[_name] <= 1200:
        raise ImproperlyConfigured(f"{_name} must be between 1 and 1200 months.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal_without_traceback": {"()": "dacrre.core.log_filters.RefusalWithoutTraceback"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # axes logs every reset at INFO; its lockouts reach the access log anyway.
        "axes": {"level": "WARNING"},
        # Written once, by the root's handler: Django's own console handler on "django" (DEBUG only)
        # wrote each record a second time.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # runserver's request lines, as Django sets them (configuring "django" resets its children).
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # A 403 is one line (path, user, reason), without a traceback.
        "django.request": {"filters": ["refusal_without_traceback"]},
    },
}

# Quick start only: lets the demo logins in without a second factor. Refused here, whatever the entry
# point (gunicorn, celery, manage.py), unless DEBUG is on; the middleware also ignores it then.
DEMO_SKIP_MFA = env.bool("DACRRE_DEMO_SKIP_MFA", default=False)
if DEMO_SKIP_MFA and not DEBUG:
    raise ImproperlyConfigured(
        "DACRRE_DEMO_SKIP_MFA is set while DEBUG is off: skipping the second factor is for the local demo only."
    )

"""One settings module, driven by environment variables with safe defaults.

Without any variable set, the app runs embedded: SQLite in ./var and a Celery broker
on an SQLite file (kombu's SQLAlchemy transport), so `make run` needs no server.
Set DATABASE_URL and CELERY_BROKER_URL to move to PostgreSQL and Redis.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("DJANGO_REQUIRE_SECRET_KEY"):
        raise RuntimeError("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "insecure-development-key-only-for-local-use-" + "x" * 20

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_celery_results",
    "django_celery_beat",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "projects",
    "investors",
    "matchmaker.apps.MatchmakerConfig",
    "matchmaker.dealroom.apps.DealRoomConfig",
    "matchmaker.programme.apps.ProgrammeConfig",
    "matchmaker.webhooks.apps.WebhooksConfig",
]

MIDDLEWARE = [
    "matchmaker.operations.RequestLatencyMiddleware",
    # one data marker for the request's reads kept per change (matchmaker/read_once.py)
    "matchmaker.read_once.OneMarkerPerRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "matchmaker.middleware.RequestSizeLimitMiddleware",
    "matchmaker.middleware.SingleQueryValuesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "matchmaker.accounts.two_factor.SecondFactorMiddleware",
    "matchmaker.accounts.languages.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "matchmaker.not_found.AppNotFoundUnderDebugMiddleware",
    "matchmaker.accounts.sessions.IdleSessionMiddleware",
    # Last, as django-axes asks: turns a locked-out log-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "matchmaker.urls"
WSGI_APPLICATION = "matchmaker.wsgi.application"
ASGI_APPLICATION = "matchmaker.asgi.application"

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
                "matchmaker.context_processors.membership",
                "matchmaker.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent too (issue #26): a connection per request ran the PRAGMAs below again and
    # began each request with an empty page cache, re-reading the match indexes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # A 64 MiB page cache (the default is 2 MiB) holds the match indexes a full
        # re-score writes into at random: its writes took a third less time here.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
        ),
    }
    # Tests use a file too, not shared memory: worker processes open it, and WAL and
    # the busy timeout behave as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Where people reach this site: e-mails link to it (a mail client cannot follow a bare
# path). Set it to the public https:// address in production.
# E-mails link here. Without SITE_URL, the address `make run` serves: it exports PORT.
SITE_URL = os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"

# Log-in locks (django-axes, matchmaker/accounts/lockout.py): five wrong passwords for a
# user name, or from one address, lock it, web and API token alike, for fifteen minutes;
# a right one resets.
AUTHENTICATION_BACKENDS = [
    "matchmaker.accounts.lockout.LockoutBackend",
    # Django's ModelBackend, the signed-in user read with its memberships once per change
    "matchmaker.accounts.backends.MembershipsModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "matchmaker.accounts.lockout.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# Sessions end after SESSION_IDLE_SECONDS without a request (30 minutes): the cookie and
# the stored session live that long and each request, at most once a minute, renews
# them (matchmaker/accounts/sessions.py), not a write per page.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
# Django's database sessions, each row read once per change of the data
SESSION_ENGINE = "matchmaker.accounts.session_store"

# Two-factor sign-in (TOTP, django-otp): required for members of an institution whose
# `two_factor_required` the programme office sets, and for the office's own staff unless
# TWO_FACTOR_FOR_OFFICE=0 (off by default only in development).
TWO_FACTOR_FOR_OFFICE = env_bool("TWO_FACTOR_FOR_OFFICE", not DEBUG)
OTP_TOTP_ISSUER = "Space financing matchmaker"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# The language of a first visit whose browser states no preference we speak; a Shanghai
# deployment sets zh-hans. Each user's choice is saved on their profile and in a cookie.
LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "en")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"  # the date formats name it ("Shanghai time", 北京时间)
FORMAT_MODULE_PATH = ["matchmaker.formats"]
USE_I18N = True
USE_TZ = True
# Form widgets render through Django's own Jinja2 widget templates: the same HTML, at
# about half the cost of the template language's per-option includes (the match list's
# filters were a fifth of its time).
FORM_RENDERER = "django.forms.renderers.Jinja2"

# django-filter's empty choice reads as a word, in the reader's language, not "---------".
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("Any")

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded documents are confidential: stored under MEDIA_ROOT, which no URL serves;
# only permission-checking download views read them.
MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))

DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "matchmaker@localhost")

# Security: strict by default outside DEBUG, so `check --deploy` passes in production.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# How many projects each web process reads whole when it starts (`review.kept_projects`:
# the match lists' cards and the API's rows then read none; ≈ 7 KB a project, the
# benchmark's 10,000 ≈ 70 MB and ≈ 1.3 s of a worker's start). 0 reads none at start.
KEPT_PROJECTS_WARM = int(os.environ.get("KEPT_PROJECTS_WARM", "20000"))

# The cache holds the match lists (keyed by a fingerprint of their data, so never stale):
# each process's own memory by default; CACHE_URL=redis://… shares it between processes
# and machines. The API list caches each row too (≈ 1.7 KB; `MatchViewSet._page_rows`):
# 10,000 entries hold some hundreds of differing list pages and their rows.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "matchmaker.redis_cache.KeptClientRedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}
# What every web process must count together: the throttles of log-in, sign-up and
# anonymous API requests, and the public objection form's bound (`SHARED_CACHE`). In each
# process's own memory, N web processes (`make serve` starts one per core) allowed N
# times the rate. The cache itself where it is shared (Redis); otherwise a table in the
# database (`createcachetable`, made by `migrate`). A signed-in user's API throttle stays
# in the default cache: counted in the database it would write on every API request.
SHARED_CACHE = "shared"
CACHES[SHARED_CACHE] = (
    CACHES["default"]
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "matchmaker_shared_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
)

# Celery: an SQLite-file broker by default (no server), Redis or any kombu URL by env.
CELERY_BROKER_URL = os.environ.get(
    "CELERY_BROKER_URL", f"sqlite-poll+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "django-db")
CELERY_RESULT_EXTENDED = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# Three queues, which every worker consumes strictly in this order (matchmaker/queues.py):
# people's requests (score this project, this offering, its packages), then a full
# re-score's chunks and finish, then bulk package building. A submission waits for at
# most the tasks already running, and a re-score never waits behind the fifty package
# batches the previous one left. Redis takes the queues in this order by its
# `queue_order_strategy`; the embedded broker by its own cycle (matchmaker/broker.py).
CELERY_TASK_QUEUES = tuple(
    Queue(name, Exchange(name), routing_key=name) for name in ("celery", "rescore", "bulk")
)
CELERY_TASK_ROUTES = {
    "matchmaker.tasks.score_chunk": {"queue": "rescore"},
    "matchmaker.tasks.finish_rescore": {"queue": "rescore"},
    "matchmaker.tasks.build_packages_for": {"queue": "bulk"},
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"queue_order_strategy": "priority"}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# Publishing must not hang a web request when the broker is down: fail fast, sweep later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}

# A full re-score is split into chunks of this many projects, spread over the workers:
# small enough that two workers share 10,000 projects evenly (10 chunks; with 5 one
# worker did three while the other idled: `make bench`), large enough to amortise loading.
SCORING_CHUNK_SIZE = int(os.environ.get("SCORING_CHUNK_SIZE", "1000"))
# A running chunk stamps a heartbeat every SCORING_HEARTBEAT_SECONDS; one silent for
# SCORING_LOST_AFTER_SECONDS lost its worker and is sent again by the sweeper, which runs
# every SCORING_SWEEP_SECONDS: a killed worker's chunk is sent again within
# lost-after + sweep (45 s), without touching what a live worker is doing.
SCORING_HEARTBEAT_SECONDS = float(os.environ.get("SCORING_HEARTBEAT_SECONDS", "10"))
SCORING_LOST_AFTER_SECONDS = float(os.environ.get("SCORING_LOST_AFTER_SECONDS", "30"))
SCORING_SWEEP_SECONDS = float(os.environ.get("SCORING_SWEEP_SECONDS", "15"))
# A finishing step claimed this long ago, or a chunk or scoring request sent this long ago
# and never started while its queue is empty, is presumed lost and sent again.
SCORING_STALE_AFTER_SECONDS = int(os.environ.get("SCORING_STALE_AFTER_SECONDS", "300"))

# Webhooks (matchmaker/webhooks/): each attempt's connect and read timeouts; retries wait
# BASE seconds doubled after each failure, at most MAX; a delivery gives up after
# MAX_ATTEMPTS (about 11 hours with these numbers) and an endpoint whose last
# PAUSE_AFTER_FAILURES attempts all failed is paused. Loopback, private and reserved targets
# (and plain http) are refused unless WEBHOOK_ALLOW_LOCAL_TARGETS (tests, a laptop).
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
WEBHOOK_RETRY_BASE_SECONDS = int(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "10"))
WEBHOOK_RETRY_MAX_SECONDS = int(os.environ.get("WEBHOOK_RETRY_MAX_SECONDS", "3600"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "20"))
WEBHOOK_PAUSE_AFTER_FAILURES = int(os.environ.get("WEBHOOK_PAUSE_AFTER_FAILURES", "10"))
WEBHOOK_ALLOW_LOCAL_TARGETS = env_bool("WEBHOOK_ALLOW_LOCAL_TARGETS", False)

CELERY_BEAT_SCHEDULE = {
    "send-due-webhooks": {"task": "matchmaker.tasks.send_due_webhooks", "schedule": 10.0},
    "sweep-pending-scoring": {"task": "matchmaker.tasks.sweep_pending", "schedule": 60.0},
    # The embedded database only: after a re-score, fold its write-ahead log back so reads
    # stop looking pages up in it (matchmaker/sqlite_wal.py).
    "checkpoint-database": {"task": "matchmaker.tasks.checkpoint_database", "schedule": 60.0},
    # PostgreSQL: the markers of the areas people write (matchmaker/written_areas.py).
    "fold-written-areas": {"task": "matchmaker.tasks.fold_written_areas", "schedule": 60.0},
    "resume-scoring-runs": {
        "task": "matchmaker.tasks.resume_scoring_runs",
        "schedule": SCORING_SWEEP_SECONDS,
    },
    "daily-match-digest": {
        "task": "matchmaker.tasks.send_daily_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    "introduction-reminders": {
        "task": "matchmaker.tasks.remind_introduction_requests",
        "schedule": crontab(hour=9, minute=0),
    },
    "revisit-declined-matches": {
        "task": "matchmaker.tasks.revisit_declined_matches",
        "schedule": crontab(hour=6, minute=0),
    },
    "nightly-full-rescore": {
        "task": "matchmaker.tasks.rescore_all",
        "schedule": crontab(hour=2, minute=30),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's token authentication, reading the user's memberships with the token
        "matchmaker.api.authentication.MemberTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "matchmaker.api.schema.DocumentedErrorsSchema",
    "EXCEPTION_HANDLER": "matchmaker.api.exceptions.exception_handler",
    # The API speaks JSON (nested needs and milestones have no form encoding); only the
    # token endpoint also takes a plain form, for `curl -d`.
    "DEFAULT_PARSER_CLASSES": ["matchmaker.api.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "matchmaker.api.renderers.SafeJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "matchmaker.api.pagination.PageNumbers",
    "PAGE_SIZE": 25,
    "DEFAULT_THROTTLE_CLASSES": [
        "matchmaker.api.throttling.SharedAnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "matchmaker.api.throttling.SharedScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/minute"),
        "register": os.environ.get("API_THROTTLE_REGISTER", "20/hour"),
        "token": os.environ.get("API_THROTTLE_TOKEN", "30/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Space financing matchmaker API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SECURITY": [{"tokenAuth": []}],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "InstrumentEnum": "matchmaker.vocabulary.Instrument",
        "SegmentEnum": "matchmaker.vocabulary.Segment",
        "StageEnum": "matchmaker.vocabulary.Stage",
        "ExposureEnum": "matchmaker.vocabulary.Exposure",
        "CollateralEnum": "matchmaker.vocabulary.Collateral",
        "RegionEnum": "matchmaker.vocabulary.Region",
        "ProvinceEnum": "matchmaker.vocabulary.Province",
        "CountryEnum": "matchmaker.vocabulary.Country",
        "FlightRecordEnum": "matchmaker.vocabulary.FlightRecord",
        "RevenueStatusEnum": "matchmaker.vocabulary.RevenueStatus",
        "AnswerKindEnum": "matchmaker.dealroom.models.AnswerKind",
        "RevisitKindEnum": "matchmaker.dealroom.models.RevisitKind",
        "ChecklistKindEnum": "matchmaker.dealroom.models.ChecklistKind",
        "RequestStateEnum": "matchmaker.dealroom.models.RequestState",
        "AccessKindEnum": "matchmaker.models.AccessLog.Kind",
        "ProgrammeListEnum": "matchmaker.programme.models.ProgrammeList",
        "RequiredDocumentEnum": "matchmaker.programme.models.RequiredDocument",
        "ObjectionStateEnum": "matchmaker.programme.models.ObjectionState",
        "WebhookEndpointStatusEnum": "matchmaker.webhooks.models.EndpointStatus",
        "WebhookDeliveryStateEnum": "matchmaker.webhooks.models.DeliveryState",
        "NotificationKindEnum": "matchmaker.models.NotificationKind",
        "ScoringRunKindEnum": "matchmaker.models.ScoringRun.Kind",
        "ScoringRunStatusEnum": "matchmaker.models.ScoringRun.Status",
        "MatchStatusEnum": "matchmaker.models.MatchStatus",
        "SuggestionKindEnum": "matchmaker.models.SuggestionKind",
        "DocumentKindEnum": "projects.models.DocumentKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

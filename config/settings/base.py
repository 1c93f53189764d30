"""Settings shared by every environment. Everything that differs between machines comes from
environment variables, so one code base serves the laptop demo and the production cluster."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LIANQI_VAR_DIR", BASE_DIR / "var"))
SHARED_DATA_DIR = Path(os.environ.get("LIANQI_SHARED_DATA", BASE_DIR.parent / "shared" / "data"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("LIANQI_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("LIANQI_DEBUG", False)
ALLOWED_HOSTS = env_list("LIANQI_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("LIANQI_CSRF_TRUSTED_ORIGINS")

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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "template_partials",
    "django_htmx",
    "csp",
    "simple_history",
    "axes",
    "django_tasks_db",
    "lianqi.core",
    "lianqi.org",
    "lianqi.accounts",
    "lianqi.enterprises",
    "lianqi.liaisons",
    "lianqi.api",
    "lianqi.demands",
    "lianqi.notifications",
    "lianqi.open311",
    "lianqi.policies",
    "lianqi.visits",
    "lianqi.finance",
    "lianqi.market",
    "lianqi.projects",
    "lianqi.inspections",
    "lianqi.credit",
    "lianqi.approvals",
    "lianqi.land",
    "lianqi.demo",
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
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lianqi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "lianqi.core.context_processors.navigation",
                "lianqi.notifications.context_processors.unread_notifications",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite (WAL, IMMEDIATE transactions, a busy timeout) is the embedded default so a park can try
# Lianqi with one command; DATABASE_URL switches to PostgreSQL, the production store.
VAR_DIR.mkdir(parents=True, exist_ok=True)
SQLITE_PATH = Path(os.environ.get("LIANQI_SQLITE_PATH", VAR_DIR / "lianqi.sqlite3"))
# A TrueType CJK font (.ttf or .ttc) to embed in the PDF documents; unset, one of Debian's
# (fonts-wqy-zenhei, fonts-wqy-microhei, fonts-arphic-uming) if installed (`lianqi.core.pdf`).
LIANQI_PDF_FONT = os.environ.get("LIANQI_PDF_FONT", "")
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # A page reads a few dozen rows: PostgreSQL's parallel workers cost more to start (5–10 ms
        # a query) than they save, and under many users they take the cores other requests need.
        # The statistics' large scans ask for them themselves (`stats._analytic_settings`).
        workers = int(os.environ.get("LIANQI_PG_PARALLEL_WORKERS", "0"))
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c max_parallel_workers_per_gather={workers}"
        )
    elif "sqlite" in DATABASES["default"]["ENGINE"]:
        # However SQLite is named, it runs as the embedded default does: WAL, IMMEDIATE
        # transactions and a busy timeout, or two concurrent steps answer "database is locked".
        # dj_database_url gives SQLite a connection age that Django's SQLite backend does not use.
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
        DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout is keyed on the pair (username, address): one address cannot lock out a whole office
# behind a NAT, and one attacker cannot lock out a user from every address.
AXES_FAILURE_LIMIT = int(os.environ.get("LIANQI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LIANQI_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "lianqi.core.http.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lianqi" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("LIANQI_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "lianqi" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("LIANQI_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "lianqi.core.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
LIANQI_IMPORT_MAX_BYTES = int(os.environ.get("LIANQI_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))

# --- Content Security Policy: no inline script without the per-request nonce, no CDN ----------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": ["lianqi.core.api.parsers.LimitedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "lianqi.core.api.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "lianqi.core.api.schema.ErrorAwareAutoSchema",
    "EXCEPTION_HANDLER": "lianqi.core.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "联企 Lianqi API",
    "DESCRIPTION": "Enterprise service and dispatch platform for industrial parks.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several apps have a `state` and a `kind`; each choice set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "DemandStateEnum": "lianqi.demands.choices.DemandState",
        "FulfilmentStateEnum": "lianqi.policies.choices.FulfilmentState",
        "VersionStateEnum": "lianqi.policies.choices.VersionState",
        "EnterpriseKindEnum": "lianqi.enterprises.choices.EnterpriseKind",
        "PolicyKindEnum": "lianqi.policies.choices.PolicyKind",
        "FigureKindEnum": ["count", "rate", "average"],
        # The demands' channel keeps its name now that visits have a channel of their own.
        "ChannelEnum": "lianqi.demands.choices.Channel",
        "CampaignStateEnum": "lianqi.visits.choices.CampaignState",
        "CampaignScopeKindEnum": "lianqi.visits.choices.ScopeKind",
        "VisitChannelEnum": "lianqi.visits.choices.VisitChannel",
        "FinanceInstitutionKindEnum": "lianqi.finance.choices.InstitutionKind",
        "FinanceProductKindEnum": "lianqi.finance.choices.ProductKind",
        "FinanceProductStateEnum": "lianqi.finance.choices.ProductState",
        "FinanceApplicationStateEnum": "lianqi.finance.choices.ApplicationState",
        "FinanceVerdictEnum": ["eligible", "ineligible", "unknown"],
        "MarketListingStateEnum": "lianqi.market.choices.ListingState",
        "MarketVisibilityEnum": "lianqi.market.choices.Visibility",
        "MarketIntroductionStateEnum": "lianqi.market.choices.IntroductionState",
        "InspectionStateEnum": "lianqi.inspections.choices.InspectionState",
        "InspectionActionEnum": "lianqi.inspections.choices.InspectionAction",
        "InspectionTriggerEnum": "lianqi.inspections.choices.Trigger",
        "InspectionVisitKindEnum": "lianqi.inspections.choices.VisitKind",
        "LenientKindEnum": "lianqi.inspections.choices.LenientKind",
        "CreditRecordKindEnum": "lianqi.credit.choices.RecordKind",
        "CreditRecordSourceEnum": "lianqi.credit.choices.RecordSource",
        "CreditRepairStateEnum": "lianqi.credit.choices.RepairState",
        "CreditRepairActionEnum": "lianqi.credit.choices.RepairAction",
        "CreditClassEnum": "lianqi.credit.choices.CreditClass",
        "MarketSupplierRegionEnum": "lianqi.market.choices.SupplierRegion",
        "MarketPurchaseSourceEnum": "lianqi.market.choices.PurchaseSource",
        "MarketNodeCoverageEnum": "lianqi.market.choices.NodeCoverage",
        "ProjectStageEnum": "lianqi.projects.choices.ProjectStage",
        "ProjectKindEnum": "lianqi.projects.choices.ProjectKind",
        "ProjectLevelEnum": "lianqi.projects.choices.ProjectLevel",
        "ProjectActionEnum": "lianqi.projects.choices.ProjectAction",
        "LeadStageEnum": "lianqi.projects.choices.LeadStage",
        "LeadActionEnum": "lianqi.projects.choices.LeadAction",
        "ApprovalItemStateEnum": "lianqi.approvals.choices.ItemState",
        "ApprovalItemActionEnum": "lianqi.approvals.choices.ItemAction",
        "ApprovalMaterialFormEnum": "lianqi.approvals.choices.MaterialForm",
        "LandParcelStatusEnum": "lianqi.land.choices.ParcelStatus",
        "LandUseEnum": "lianqi.land.choices.LandUse",
        "LandPriceKindEnum": "lianqi.land.choices.PriceKind",
        "LandReservationStateEnum": "lianqi.land.choices.ReservationState",
        "LandReservationActionEnum": "lianqi.land.choices.ReservationAction",
        "LandPolygonTypeEnum": ["Polygon"],
        "LandFeatureTypeEnum": ["Feature"],
        "LandFeatureCollectionTypeEnum": ["FeatureCollection"],
    },
}

# The board's covering index lists non-key columns PostgreSQL uses; SQLite, the embedded
# default, builds the same index without them, which is all it needs at a park's size.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Background work ------------------------------------------------------------------------
# Background work goes through the database (django-tasks-db) by default: a request stores a task and
# returns; `manage.py db_worker` runs it (`lianqi demo` starts one itself; docs/operations.md has
# the systemd unit). The test settings use the immediate backend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Scaled out (several app servers), the queue moves to Redis: `LIANQI_REDIS_URL` switches the
# backend to RQ (django-tasks-rq), whose workers are `manage.py rqworker default`. Every task is
# idempotent and the notification outbox's sweep delivers whatever a dead worker left, so neither
# backend has to recover a killed task by itself (docs/operations.md).
LIANQI_REDIS_URL = os.environ.get("LIANQI_REDIS_URL", "")
if LIANQI_REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        "default": {
            "URL": LIANQI_REDIS_URL,
            "DEFAULT_TIMEOUT": int(os.environ.get("LIANQI_RQ_JOB_TIMEOUT", "600")),
        }
    }
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LIANQI_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "lianqi.notifications": {"level": "INFO"}},
}

# --- Notifications (see docs/notifications.md) ------------------------------------------------
# Absolute links in SMS and email (the code page's address, say); empty: links stay relative.
LIANQI_SITE_URL = os.environ.get("LIANQI_SITE_URL", "")
# Working days an enterprise has to rate a reply before the office makes a return visit.
LIANQI_RATING_WINDOW_WORKDAYS = int(os.environ.get("LIANQI_RATING_WINDOW_WORKDAYS", "5"))
LIANQI_SMS_SENDER = os.environ.get("LIANQI_SMS_SENDER", "lianqi.core.sms.LogSmsSender")
# For `lianqi.core.sms.HttpGatewaySmsSender` (see that module for other gateways).
LIANQI_SMS_GATEWAY_URL = os.environ.get("LIANQI_SMS_GATEWAY_URL", "")
LIANQI_SMS_GATEWAY_KEY_ID = os.environ.get("LIANQI_SMS_GATEWAY_KEY_ID", "")
LIANQI_SMS_GATEWAY_KEY_SECRET = os.environ.get("LIANQI_SMS_GATEWAY_KEY_SECRET", "")
LIANQI_SMS_GATEWAY_SIGN_NAME = os.environ.get("LIANQI_SMS_GATEWAY_SIGN_NAME", "")
# How many reverse proxies (nginx …) stand in front of the app: the client's address is read
# that many entries from the right of X-Forwarded-For (`lianqi.core.http.client_address`).
LIANQI_PROXY_COUNT = int(os.environ.get("LIANQI_PROXY_COUNT", "0"))
LIANQI_NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("LIANQI_NOTIFICATION_MAX_ATTEMPTS", "10"))
EMAIL_BACKEND = os.environ.get("LIANQI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("LIANQI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("LIANQI_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("LIANQI_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LIANQI_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("LIANQI_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("LIANQI_DEFAULT_FROM_EMAIL", "lianqi@localhost")

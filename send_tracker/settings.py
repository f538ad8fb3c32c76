"""Settings for SEND Tracker, all from the environment (see README "Configuration")."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from accounts.sso_config import providers_from_env
from core import roles
from core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set to a real secret when DEBUG is off.")
if not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
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
    "django_htmx",
    "django_tables2",
    "django_filters",
    "template_partials",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",  # label "send_tracker": the user model's tables and AUTH_USER_MODEL keep their names
    "inspections",
    "actions",
    "reports",
    "exchange",
    "public",
    "demo",  # the demonstration-data flag and where each demo record comes from
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.privacy_headers.PrivacyHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, which serves static files already compressed; see README "Compression" on BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.AbsoluteSessionLifetimeMiddleware",
    "core.middleware.IdleSessionRefreshMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.middleware.HtmxSignInRedirectMiddleware",
    "core.middleware.ErrorTitleMiddleware",
]

ROOT_URLCONF = "send_tracker.urls"
WSGI_APPLICATION = "send_tracker.wsgi.application"
AUTH_USER_MODEL = "send_tracker.User"

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
                "actions.context_processors.roles",
            ],
        },
    },
    # Hot partials only (many rows a page, where Django's engine costs about 0.3 ms a row): rendered with
    # `using="jinja2"` from jinja2/, autoescaped like every Django template.
    {
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": True, "environment": "core.jinja2.environment"},
    },
]

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'send_tracker.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a second process share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "actions.backends.GroupsAndLeadsModelBackend",  # ModelBackend, one query fewer a page
    "accounts.sso.SingleSignOnBackend",  # the callback of an OpenID Connect sign-in only
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
# Every form's error messages name their field (core/forms.py).
FORM_RENDERER = "core.forms.FormRenderer"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (accounts/throttling.py): a username is locked *from one address* after
# AXES_FAILURE_LIMIT failures from that address (a soft lock: the real user elsewhere still signs in, so
# nobody can lock an administrator out at will), and an address after AXES_IP_FAILURE_LIMIT failures across
# usernames (password spraying), each for AXES_COOLOFF_MINUTES. The client address comes from
# X-Forwarded-For only when BEHIND_TLS_PROXY says a trusted proxy sets it.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]
AXES_HANDLER = "accounts.throttling.LoginThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
AXES_RESET_ON_SUCCESS = True
# The lockout page promises a fixed wait, so further tries during a lockout do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_VERBOSE = False

# Sessions: expire after SESSION_IDLE_MINUTES without a request, and never last longer than
# SESSION_ABSOLUTE_HOURS from login (enforced by AbsoluteSessionLifetimeMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ENGINE = "core.sessions"  # database sessions whose expiry moves with one UPDATE a minute
SESSION_SAVE_EVERY_REQUEST = False  # IdleSessionRefreshMiddleware slides the expiry, once a minute at most
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_ABSOLUTE_HOURS", 10) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Production hardening; all on unless DEBUG. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: no inline scripts or styles; htmx is served from our own static files.
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
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Files browsers and crawlers ask for at the site root by convention (favicon.ico, robots.txt).
WHITENOISE_ROOT = BASE_DIR / "root_files"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Uploaded appendices and published papers' PDFs. Never served directly: views check access and checksums.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "send-tracker@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Update cycle (issue #14): links in reminder emails start with SITE_URL; the scheduled reminder command
# writes to leads once their next update deadline is this many days away or fewer.
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
UPDATE_REMINDER_DAYS = env_int("UPDATE_REMINDER_DAYS", 7)

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}

# Accounts (issue #18): two-step verification, self-service passwords, history kept but never reverted.
MIDDLEWARE += [
    "accounts.headers.PermissionsPolicyMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.sso.RecheckProviderSession",
    "accounts.mfa.RequireSecondFactorMiddleware",
]
# Roles that must use an authenticator app (TOTP) with recovery codes; none in development, so the demo
# users sign in with a password only.
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", [] if DEBUG else [roles.ADMINISTRATOR, roles.PLAN_LEAD])
if unknown_roles := sorted(set(MFA_REQUIRED_ROLES) - set(roles.ROLES)):
    raise ImproperlyConfigured(f"MFA_REQUIRED_ROLES names unknown roles {unknown_roles}; use {roles.ROLES}.")
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "SEND Tracker")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Forgotten-password requests: per client address, and per email address (the second silently).
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 5)
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 2) * 3600
# History pages stay viewable; restoring an old record is refused (NoDeleteMixin in core/admin.py).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Production deployment (issue #16; README "Deployment"). Load balancers and container runtimes probe app
# servers directly over plain HTTP, so the health check is never redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# Behind a proxy that passes the host the browser asked for in X-Forwarded-Host (only then).
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Rate limits (forgotten-password requests) are counted in Django's cache, which is per process by default:
# with several gunicorn workers or app containers, turn CACHE_IN_DATABASE on so they share one count in
# PostgreSQL (the table is made by `manage.py createcachetable`, which the container runs on start).
# The trends page keeps its month-end RAG counts there too (reports.rag_history.brag_history): per process,
# each worker replays the update log once after each change; shared, one of them does (a database cache
# adds one query to each load, and a few to the first after a change).
if env_bool("CACHE_IN_DATABASE", default=False):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "send_tracker_cache",
        }
    }

# Public progress pages (issue #33): served without sign-in from published snapshots only.
PUBLIC_PAGES_INDEXABLE = env_bool("PUBLIC_PAGES_INDEXABLE", True)
PUBLIC_PAGES_MAX_AGE = env_int("PUBLIC_PAGES_MAX_AGE", 300)
PUBLIC_PAGES_RATE_LIMIT = env_int("PUBLIC_PAGES_RATE_LIMIT", 120)
PUBLIC_SMALL_NUMBER_THRESHOLD = env_int("PUBLIC_SMALL_NUMBER_THRESHOLD", 5)
PUBLIC_READING_AGE_LIMIT = env_int("PUBLIC_READING_AGE_LIMIT", 12)

# Single sign-on with the organisation's account (issue #34; README "Single sign-on"): OpenID Connect
# providers from SSO_PROVIDERS and SSO_<NAME>_* (accounts/sso_config.py), through
# mozilla-django-oidc. The ID token is kept in the session for the provider's sign-out (id_token_hint); the
# provider's session is re-checked (silently, prompt=none) once SSO_RECHECK_SECONDS have passed.
SSO_PROVIDERS = providers_from_env()
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = env_int("SSO_RECHECK_SECONDS", 15 * 60)
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
OIDC_CREATE_USER = True
# With PASSWORD_SIGN_IN off, only these usernames (break-glass administrators) may sign in with a password.
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", default=True)
PASSWORD_SIGN_IN_BREAK_GLASS = env_list("PASSWORD_SIGN_IN_BREAK_GLASS", [])
if not PASSWORD_SIGN_IN and not SSO_PROVIDERS:
    raise ImproperlyConfigured("PASSWORD_SIGN_IN=0 needs SSO_PROVIDERS: nobody else could sign in.")

"""Settings for Tỉnh Số.

One module for every environment: production differs only by environment variables, and the
defaults boot with nothing configured (SQLite, demo plugins, console e-mail). `.env.example` lists
every variable.
"""

import datetime as dt
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from tinhso.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env_str("TINHSO_VAR_DIR", str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# The public default lets the demo run with nothing configured; whatever derives a secret from
# SECRET_KEY (gateway callback tokens) refuses to work with it (see notify.channels).
DEFAULT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
# The local demo (`make demo` sets it): shows the codes "sent" on the next page. Never in
# production: the site refuses to start with it when ALLOWED_HOSTS names other hosts.
DEMO_MODE = env_bool("DEMO_MODE", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# An expired form is a page in the layout with a way on (core.error_pages).
CSRF_FAILURE_VIEW = "tinhso.core.error_pages.csrf_failure"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "tinhso.accounts.apps.AdminConfig",  # django.contrib.admin behind our sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_otp",
    "tinhso.core.apps_thirdparty.AuthenticatorConfig",  # django_otp.plugins.otp_totp
    "tinhso.core.apps_thirdparty.BackupCodesConfig",  # django_otp.plugins.otp_static
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from here, not from a CDN
    "django_tasks",
    "tinhso.core.apps_thirdparty.TasksDatabaseConfig",  # django_tasks_db
    "tinhso.core",
    "tinhso.scheduler",
    "tinhso.accounts",
    "tinhso.org",
    "tinhso.notify",
    "tinhso.catalog",
    "tinhso.dossiers",
    "tinhso.portal",
    "tinhso.office",
    "tinhso.demo",
    "tinhso.core.apps_thirdparty.AxesConfig",  # axes, the sign-in limiter (accounts.lockout); last, as its documentation asks
]

MIDDLEWARE = [
    # First: REMOTE_ADDR is the client's address for everything after it (TRUSTED_PROXIES).
    "tinhso.core.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Text in NFC from here on: the query string now, the form body when it is read (ADR 8).
    "tinhso.core.middleware.TextNormalizationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After the language and the user are known: a page's refusal is the site's 400 page in the
    # visitor's language (the API's is JSON).
    "tinhso.core.middleware.RejectNulMiddleware",
    # Answers what tinhso.wsgi's RequestGuard refused (too large, too slow) before any view
    # or the CSRF check reads the body.
    "tinhso.core.request_guard.RequestGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tinhso.accounts.middleware.OfficerIdleTimeoutMiddleware",
    "tinhso.accounts.middleware.SecondFactorMiddleware",
    # Sets the device cookie of a completed sign-in (accounts.lockout, OWASP device cookies).
    "tinhso.accounts.middleware.DeviceCookieMiddleware",
    # A bare 405 (require_POST) becomes the site's page, or JSON under /api/ (issue 7).
    "tinhso.core.error_pages.ErrorPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tinhso.core.middleware.PrivateNoStoreMiddleware",
    # Last: answers a lock that a way in did not answer itself (accounts.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tinhso.urls"
WSGI_APPLICATION = "tinhso.wsgi.application"
ASGI_APPLICATION = "tinhso.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tinhso.core.context_processors.site",
                "tinhso.notify.context_processors.demo_outbox",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tinhso.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A persistent connection is checked before a request reuses it: after a PostgreSQL restart the
# first requests get a new connection instead of an error.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The limiter first: a locked account or address is refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tinhso.accounts.backends.PhoneOrEmailBackend",
]
LOGIN_URL = "accounts:login"
# Officers land on their work queue, everyone else on the home page (unless ``next`` says).
LOGIN_REDIRECT_URL = "portal:after_sign_in"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Validates nothing: Django calls it whenever a password changes, to revoke API tokens.
    {"NAME": "tinhso.accounts.tokens.RevokeTokensOnPasswordChange"},
]

# Rate limits, throttles and cached statistics live in the default cache, which every server
# process must share (two workers with a cache each would double every limit): Redis when
# REDIS_URL is set, else a table of the site's database (core.cache; `migrate` creates it).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {
            "BACKEND": "tinhso.core.cache.DatabaseCache",
            "LOCATION": "tinhso_cache",
            # Culling drops entries (counters too) past this many: keep it well above the
            # number of clients counted in one window.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100_000)},
        }
    ),
    # The rate limits' counters (django-ratelimit) without Redis: one statement a hit, in a
    # table of their own (core.cache.CounterCache, core.RateCounter); with Redis, Redis.
    "ratelimit": {"BACKEND": "tinhso.core.cache.CounterCache", "LOCATION": "core_ratecounter"},
}
RATELIMIT_USE_CACHE = "default" if env_str("REDIS_URL") else "ratelimit"
# The proxies in front of the site, one per hop, the one nearest the site last (addresses or
# CIDR networks, e.g. "127.0.0.1" for nginx on this host): only a request that comes from them
# has its client address read from X-Forwarded-For (core.middleware.ClientAddressMiddleware).
# Empty: the header is never trusted. The nearest one's X-Forwarded-Proto is trusted too: "https"
# from it makes the request secure (HSTS, https links, CSRF's Referer check).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# Language: Vietnamese by default, English switchable.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["tinhso.core.formats"]  # day-first date input in Vietnamese
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads are never served by URL: views check permission and stream them through storage.
MEDIA_URL = "/_protected/"
STORAGES = {
    "default": {"BACKEND": env_str("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@tinhso.localhost")

SESSION_COOKIE_HTTPONLY = True
# Served over https (SITE_URL): Secure cookies and HSTS by default; each can be set alone.
_HTTPS = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", _HTTPS)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", _HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
# Content-Security-Policy (django-csp): scripts only from this site, never inline; styles may
# be inline (the Django admin's style attributes); nothing may frame the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tinhso.accounts.authentication.TokenAuthentication",
        "tinhso.accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
        "tinhso.accounts.authentication.HasTokenScope",
    ],
    "DEFAULT_SCHEMA_CLASS": "tinhso.core.api.AutoSchema",
    # JSON only, as the schema says: no HTML (browsable API) under /api/; /api/docs/ is for people.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "tinhso.core.parsers.JSONParser",
        "tinhso.core.parsers.FormParser",
        "tinhso.core.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "tinhso.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "tinhso.core.api.exception_handler",
    # Throttles read REMOTE_ADDR, which ClientAddressMiddleware resolved; never X-Forwarded-For.
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("RATE_ANON", "300/min"),
        "tracking": env_str("RATE_TRACKING", "60/min"),
        "submission": env_str("RATE_SUBMISSION", "30/min"),
        "auth": env_str("RATE_AUTH", "10/min"),
    },
}
SPECTACULAR_SETTINGS = {
    # The schema and its documentation page are public: a bad token or a session that owes its
    # second factor must not turn them into a 401 (in YAML, or an HTML page).
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "TITLE": "Tỉnh Số API",
    "DESCRIPTION": (
        "Public services of the province: catalogue, dossiers, tracking, officer actions.\n\n"
        "**Authentication.** The catalogue and tracking are public. For the rest, get a token "
        "from `POST /api/v1/auth/token/` (user name, phone or e-mail, and password; officers "
        "and administrators add `otp`, the code of their authenticator app) and send "
        "`Authorization: Token <token>`; the web session works too. Tokens expire (see "
        "`expires_at`); `DELETE /api/v1/auth/token/` revokes the one in use, `/api/v1/auth/"
        "tokens/` lists and revokes your others, and a password change revokes them all. "
        "**Integration tokens** (created there, in the portal or by an administrator) carry "
        "scopes: `dossiers:read`, `dossiers:submit`, `dossiers:act`; a call outside them "
        "answers 403. An expired or revoked token answers 401.\n\n"
        '**Errors** are `{"error": {"code", "message", "fields"}}`: `code` is '
        "stable (`invalid`, `not_found`, `conflict`, `invalid_transition`, "
        "`idempotency_key_reused`, `throttled`…), `message` is for people, in the language "
        "of `Accept-Language` (Vietnamese by default, or English), and `fields` maps each "
        "invalid field to its list of messages, an item of a list by its dotted path "
        "(`files.0`). Every operation declares every error it can answer, each in this "
        "envelope; every answer is JSON.\n\n"
        "**Submitting** a dossier takes an `Idempotency-Key` header: retrying with the same "
        "key never creates a second dossier.\n\n"
        "**Acting** on a dossier takes the `version` you last read as `expected_version`; "
        "a dossier changed meanwhile answers 409 `conflict`.\n\n"
        "Times are ISO 8601 with the province's offset; lists take `limit` and `offset`; an "
        "optional query parameter sent empty is as if it were not sent."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {"DossierStatusEnum": "tinhso.dossiers.constants.Status"},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "DEFAULT_GENERATOR_CLASS": "tinhso.core.api.SchemaGenerator",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # axes tells every failed sign-in at INFO (with the login and address masked).
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- Tỉnh Số: the province and its rules -------------------------------------------------------
# The province is configuration; its wards come from the vietnam-provinces package.
PROVINCE_CODE = env_int("PROVINCE_CODE", 92)
PROVINCE_NAME = env_str("PROVINCE_NAME", "Thành phố Cần Thơ")
# The national procedure database export the demo imports (data pack, shared/data/README.md §1).
NATIONAL_CATALOGUE_FILE = Path(
    env_str(
        "NATIONAL_CATALOGUE_FILE",
        str(PROJECT_DIR.parent / "shared" / "data" / "procedures" / "national-procedures.json.gz"),
    )
)
# The most a national catalogue export may unpack to (bytes; the real file is 15.8 MB unpacked):
# a larger one is refused before it is read whole (a gzip bomb).
NATIONAL_CATALOGUE_MAX_BYTES = env_int("NATIONAL_CATALOGUE_MAX_BYTES", 64 * 1024 * 1024)
# The most an Excel catalogue workbook may unpack to, in all and for any one member (bytes),
# and the highest compression ratio of a member: a larger one is refused before openpyxl reads it.
CATALOG_XLSX_MAX_BYTES = env_int("CATALOG_XLSX_MAX_BYTES", 50 * 1024 * 1024)
CATALOG_XLSX_MAX_RATIO = env_int("CATALOG_XLSX_MAX_RATIO", 200)
# Office hours (local time) for the working-day calendar: a dossier received after
# OFFICE_CLOSE counts from the next working day.
OFFICE_OPEN = env_str("OFFICE_OPEN", "07:00")
OFFICE_CLOSE = env_str("OFFICE_CLOSE", "17:00")
# A dossier is "due soon" when its deadline is within this many working days.
DUE_SOON_WORKING_DAYS = env_int("DUE_SOON_WORKING_DAYS", 1)
# The latest new appointment an apology letter (form 04) may give, in calendar days from today.
APOLOGY_MAX_DAYS = env_int("APOLOGY_MAX_DAYS", 90)
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# Request bodies (tinhso.core.request_guard), refused before they are read: a view that takes
# files allows UPLOAD_MAX_BYTES for each (UPLOAD_MAX_FILES unless it says how many) plus
# REQUEST_MAX_BYTES to a signed-in person; any other request of a signed-in person
# REQUEST_MAX_BYTES; an anonymous request REQUEST_MAX_BYTES_ANONYMOUS wherever it goes.
UPLOAD_MAX_FILES = env_int("UPLOAD_MAX_FILES", 20)
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 1024 * 1024)
REQUEST_MAX_BYTES_ANONYMOUS = env_int("REQUEST_MAX_BYTES_ANONYMOUS", 64 * 1024)
# A body slower than REQUEST_BODY_MIN_RATE bytes a second on average after REQUEST_BODY_GRACE
# seconds, or one read of it waiting longer than REQUEST_BODY_TIMEOUT seconds, is cut off (408).
REQUEST_BODY_MIN_RATE = env_int("REQUEST_BODY_MIN_RATE", 1024)
REQUEST_BODY_GRACE = env_int("REQUEST_BODY_GRACE", 5)
REQUEST_BODY_TIMEOUT = env_int("REQUEST_BODY_TIMEOUT", 10)
# An uploaded image larger than this many pixels is refused before it is decoded.
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_PIXELS", 40_000_000)
TRACKING_RATE_LIMIT = env_str("TRACKING_RATE_LIMIT", "30/m")
# Writes by one account on the portal (submissions, supplements, withdrawals, ratings, settings).
PORTAL_WRITE_RATE_LIMIT = env_str("PORTAL_WRITE_RATE_LIMIT", "10/m")
# Registrations and password-reset requests per client address, and codes sent to one phone or
# e-mail address (taken or not: the answer must not tell).
ACCOUNT_REQUEST_RATE_LIMIT = env_str("ACCOUNT_REQUEST_RATE_LIMIT", "20/10m")
ACCOUNT_CODE_RATE_LIMIT = env_str("ACCOUNT_CODE_RATE_LIMIT", "3/15m")
# Messages with a code (or "someone tried to register") per day: to one phone or e-mail, and to
# one account on all its channels together (5 reset codes of 5 tries: 25 guesses a day).
ACCOUNT_CODES_PER_DESTINATION = env_str("ACCOUNT_CODES_PER_DESTINATION", "10/d")
ACCOUNT_CODES_PER_ACCOUNT = env_str("ACCOUNT_CODES_PER_ACCOUNT", "5/d")
# A code sent by SMS or e-mail (registration, new password): minutes valid, wrong tries allowed.
ACCOUNT_CODE_MINUTES = env_int("ACCOUNT_CODE_MINUTES", 15)
ACCOUNT_CODE_ATTEMPTS = env_int("ACCOUNT_CODE_ATTEMPTS", 5)

# --- Sign-in: API tokens and the officers' second factor (tinhso.accounts) ----------------------
# Days a personal API token lives (POST /api/v1/auth/token/); at most this many per person.
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)
API_TOKEN_MAX_PERSONAL = env_int("API_TOKEN_MAX_PERSONAL", 20)
# The default and longest life of an integration token (named, with scopes); creating one asks
# for the password again (and an officer's code), and it dies with the authenticator's reset.
API_INTEGRATION_TOKEN_TTL_DAYS = env_int("API_INTEGRATION_TOKEN_TTL_DAYS", 90)
# Officers and administrators are signed out after this many minutes without a request (0: never).
OFFICER_IDLE_TIMEOUT_MINUTES = env_int("OFFICER_IDLE_TIMEOUT_MINUTES", 30)
# Wrong second-factor codes in one sign-in before the session is signed out.
OTP_MAX_FAILURES = env_int("OTP_MAX_FAILURES", 5)
# The name authenticator apps show next to the code ("Tỉnh Số <PROVINCE_NAME>" when empty).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "") or f"Tỉnh Số {PROVINCE_NAME}"
# Administrators may delete a lost authenticator (the officer enrols again), never read its key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# The place line of printed forms ("Cần Thơ, ngày …"); derived from PROVINCE_NAME when empty.
PROVINCE_PLACE = env_str("PROVINCE_PLACE", "")

# --- Signing in: one limiter for every way in (django-axes; accounts.lockout) ------------------
# Failed sign-ins allowed per account (from any address) and per client address (on any
# accounts) within the cool-off; a lock ends SIGNIN_COOLOFF_MINUTES after the failure that
# caused it, and a password reset unlocks the account at once.
SIGNIN_FAILURES_PER_ACCOUNT = env_int("SIGNIN_FAILURES_PER_ACCOUNT", 5)
SIGNIN_FAILURES_PER_ADDRESS = env_int("SIGNIN_FAILURES_PER_ADDRESS", 20)
SIGNIN_COOLOFF_MINUTES = env_int("SIGNIN_COOLOFF_MINUTES", 15)
# Failed sign-ins allowed per account in 24 hours; beyond, it stays locked for the rest of them
# (except for device cookies; a password reset unlocks it).
SIGNIN_DAILY_FAILURES = env_int("SIGNIN_DAILY_FAILURES", 20)
# Device cookies (OWASP): a browser that signed in to an account before is not subject to that
# account's or its address's lock, for this many days, until it fails this many times in a day.
SIGNIN_DEVICE_COOKIE_DAYS = env_int("SIGNIN_DEVICE_COOKIE_DAYS", 365)
SIGNIN_DEVICE_FAILURES = env_int("SIGNIN_DEVICE_FAILURES", 10)
AXES_HANDLER = "tinhso.accounts.lockout.AxesHandler"  # the database: shared by every process
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = SIGNIN_FAILURES_PER_ACCOUNT  # the address's limit is scaled to it
AXES_COOLOFF_TIME = dt.timedelta(minutes=SIGNIN_COOLOFF_MINUTES)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_CALLABLE = "tinhso.accounts.lockout.account_key"
AXES_CLIENT_IP_CALLABLE = "tinhso.accounts.lockout.client_ip_or_none"
AXES_LOCKOUT_CALLABLE = "tinhso.accounts.lockout.lockout_response"
AXES_WHITELIST_CALLABLE = "tinhso.accounts.lockout.device_trusted"
# Axes keeps failed attempts (without the typed login: see account_key) but no log of every
# successful sign-in, and masks these form fields in what it keeps and logs.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "login", "password1", "password2", "code"]

# --- Notifications (tinhso.notify) and the scheduler (tinhso.scheduler) ------------------------
# Channel plugins: "email" (Django's mail backend), "esms", "speedsms", or "demo" (sends nothing,
# shows the message in the admin).
# In the demo, the page after a registration or a reset request shows the code message the demo
# channel "sent" (core.outbox). Only with DEMO_MODE, which `make demo` sets, never derived from
# SECRET_KEY; a server for other hosts refuses to start with either (core.checks).
NOTIFY_DEMO_IN_PAGE = env_bool("NOTIFY_DEMO_IN_PAGE", DEMO_MODE)
# "demo" until an operator configures mail: messages show in the admin, never in the console log.
NOTIFY_EMAIL_BACKEND = env_str("NOTIFY_EMAIL_BACKEND", "demo")
NOTIFY_SMS_BACKEND = env_str("NOTIFY_SMS_BACKEND", "demo")
# Seconds to wait after the 1st, 2nd… failed attempt; after the last the delivery is given up.
NOTIFY_RETRY_DELAYS = [
    int(n) for n in env_list("NOTIFY_RETRY_DELAYS", ["60", "300", "1800", "7200"])
]
# Seconds a worker holds a delivery it is sending; if it dies meanwhile, the retry job sends it
# after that (longer than any gateway takes to answer).
NOTIFY_SEND_LEASE_SECONDS = env_int("NOTIFY_SEND_LEASE_SECONDS", 300)
NOTIFY_CALLBACK_RATE_LIMIT = env_str("NOTIFY_CALLBACK_RATE_LIMIT", "120/m")
NOTIFY_ESMS_URL = env_str(
    "NOTIFY_ESMS_URL",
    "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/",
)
NOTIFY_ESMS_API_KEY = env_str("NOTIFY_ESMS_API_KEY", "")
NOTIFY_ESMS_SECRET_KEY = env_str("NOTIFY_ESMS_SECRET_KEY", "")
NOTIFY_ESMS_BRANDNAME = env_str("NOTIFY_ESMS_BRANDNAME", "")
NOTIFY_ESMS_SMS_TYPE = env_str("NOTIFY_ESMS_SMS_TYPE", "2")  # 2: customer-care brandname
NOTIFY_ESMS_SANDBOX = env_bool("NOTIFY_ESMS_SANDBOX", False)
NOTIFY_ESMS_CALLBACK_TOKEN = env_str("NOTIFY_ESMS_CALLBACK_TOKEN", "")  # derived when empty
NOTIFY_SPEEDSMS_URL = env_str("NOTIFY_SPEEDSMS_URL", "https://api.speedsms.vn/index.php/sms/send")
NOTIFY_SPEEDSMS_TOKEN = env_str("NOTIFY_SPEEDSMS_TOKEN", "")
NOTIFY_SPEEDSMS_SENDER = env_str("NOTIFY_SPEEDSMS_SENDER", "")
NOTIFY_SPEEDSMS_SMS_TYPE = env_int("NOTIFY_SPEEDSMS_SMS_TYPE", 3)  # 3: brandname
NOTIFY_SPEEDSMS_CALLBACK_TOKEN = env_str("NOTIFY_SPEEDSMS_CALLBACK_TOKEN", "")
# Scheduled work (`manage.py run_scheduler`): crontab lines in TIME_ZONE.
SCHEDULE_APOLOGIES = env_str("SCHEDULE_APOLOGIES", "30 6 * * *")
SCHEDULE_DUE_SOON = env_str("SCHEDULE_DUE_SOON", "0 7 * * 1-6")
SCHEDULE_TASK_RESULTS_PRUNE = env_str("SCHEDULE_TASK_RESULTS_PRUNE", "15 3 * * *")
# Days a finished background task's result is kept (the every-minute retry job alone leaves
# 1,440 a day); the daily prune deletes older ones.
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 7)
# A task still RUNNING after this many seconds was left by a worker that died (kill -9, the
# machine): the scheduler puts it back in the queue every SCHEDULE_TASKS_RECOVER, and marks it
# FAILED once it has been started TASK_MAX_ATTEMPTS times. Keep every task shorter than this.
TASK_RUNNING_TIMEOUT_SECONDS = env_int("TASK_RUNNING_TIMEOUT_SECONDS", 15 * 60)
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 3)
SCHEDULE_TASKS_RECOVER = env_str("SCHEDULE_TASKS_RECOVER", "* * * * *")
# /healthz answers the database's state to anyone, and the task queue's figures only to a
# monitor sending "Authorization: Bearer <HEALTH_TOKEN>" (never when it is empty).
HEALTH_TOKEN = env_str("HEALTH_TOKEN", "")

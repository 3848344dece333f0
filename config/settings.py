"""Settings for the public credit information platform.

Everything that differs between a laptop, CI and production comes from the environment
(see README "Configuration"). With nothing set the platform runs on SQLite with Celery on a
filesystem broker under ``var/`` (DESIGN.md principle 6).
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from credit_platform.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CREDIT_VAR_DIR", str(BASE_DIR / "var")))

# --- core ------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)
# The development key is only accepted with DEBUG on; production must set its own.
DEV_SECRET_KEY = "django-insecure-dev-only-credit-platform"
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 32 characters when DEBUG is off "
        "(the development default is refused)."
    )
# Key of the HMAC under which personal identifiers that are only matched are stored (credit_platform.privacy).
# Derived from the development SECRET_KEY with DEBUG on; production sets its own and never rotates it (every
# stored hash would stop matching).
IDENTIFIER_HASH_KEY = env_str("IDENTIFIER_HASH_KEY", "")
if not IDENTIFIER_HASH_KEY and DEBUG:
    import hashlib  # noqa: E402

    IDENTIFIER_HASH_KEY = hashlib.sha256(f"identifier-hash:{SECRET_KEY}".encode()).hexdigest()
if not DEBUG and (len(IDENTIFIER_HASH_KEY) < 32 or IDENTIFIER_HASH_KEY == SECRET_KEY):
    raise ImproperlyConfigured(
        "IDENTIFIER_HASH_KEY must be set to a random value of at least 32 characters, different from SECRET_KEY, "
        "when DEBUG is off (it keys the hashes of personal identification numbers)."
    )
# Key of the HMAC that chains the query log (accounts.querylog; Qufu art. 38: query logs must not be altered or
# deleted). Kept outside the database: someone who can write the tables cannot recompute a valid chain after deleting
# or altering an entry. Derived from the development SECRET_KEY with DEBUG on; production sets its own, different
# from SECRET_KEY and IDENTIFIER_HASH_KEY, and never changes it (the whole log would stop verifying).
QUERY_LOG_HASH_KEY = env_str("QUERY_LOG_HASH_KEY", "")
if not QUERY_LOG_HASH_KEY and DEBUG:
    import hashlib  # noqa: E402

    QUERY_LOG_HASH_KEY = hashlib.sha256(f"query-log-hash:{SECRET_KEY}".encode()).hexdigest()
if not DEBUG and (len(QUERY_LOG_HASH_KEY) < 32 or QUERY_LOG_HASH_KEY in (SECRET_KEY, IDENTIFIER_HASH_KEY)):
    raise ImproperlyConfigured(
        "QUERY_LOG_HASH_KEY must be set to a random value of at least 32 characters, different from SECRET_KEY and "
        "IDENTIFIER_HASH_KEY, when DEBUG is off (it keys the query log's hash chain)."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "credit_platform.errors.csrf_failure"

# --- jurisdiction ------------------------------------------------------------------------------
CREDIT_POLICY = env_str("CREDIT_POLICY", "karamay").strip().lower()
# Run on a profile whose instrument is outside its validity period (Qufu: to 2025-06-30). Off: `manage.py check`
# reports an error. On: the platform runs, and the admin and the /rules/ page say the instrument has lapsed.
CREDIT_POLICY_ALLOW_LAPSED = env_bool("CREDIT_POLICY_ALLOW_LAPSED", False)
# A write of more records than this stores the windows of the records it creates on the worker, right after
# commit (disclosure/backlog.py); smaller writes, and every change to an existing record, store them in the write.
DISCLOSURE_INLINE_WINDOWS_MAX = env_int("DISCLOSURE_INLINE_WINDOWS_MAX", 500)
# pushes within this many seconds share one task storing their deferred windows (disclosure.catch_up_windows)
DISCLOSURE_WINDOWS_COALESCE_SECONDS = env_int("DISCLOSURE_WINDOWS_COALESCE_SECONDS", 2)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "simple_history",
    "credit_platform.third_party_apps.AxesConfig",
    "django_otp",
    "credit_platform.third_party_apps.TOTPConfig",
    "django_celery_beat",
    "credit_platform.apps.CreditPlatformConfig",
    "catalog",
    "records",
    "accounts.apps.AccountsConfig",
    "disclosure",
    "objections",
    "repair",
    "sanctions",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # anonymous reads of cached public pages answered here, without the rest of the stack (credit_platform.http_cache)
    "credit_platform.http_cache.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "credit_platform.middleware.PermissionsPolicyMiddleware",
    "credit_platform.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "credit_platform.middleware.OfficialSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # admin URLs' object ids checked against the model's key before any admin view looks them up (404 otherwise)
    "credit_platform.admin_ids.AdminObjectIdMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "credit_platform.context_processors.platform",
                "credit_platform.workdays.calendar_warning",
            ],
        },
    },
]

# --- database ------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
            # IMMEDIATE: a transaction takes the write lock when it begins and waits up to ``timeout`` for it. In the
            # default (deferred) mode a reader that then writes while `make run`'s web, worker and beat write too
            # gets "database is locked" at once — SQLite cannot wait there without breaking its snapshot.
            "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"},
            # A file, not memory, so a real Celery worker in the integration tests sees the test database.
            "TEST": {"NAME": env_str("SQLITE_TEST_PATH", str(VAR_DIR / f"test-{os.getpid()}.sqlite3"))},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (shared by every process: rate-limit counters) ------------------------------------------------
# CACHE_URL (or REDIS_URL): redis://host:6379/1 in production (atomic counters); locmem:// for one process only
# (tests). Unset: files under var/cache/, shared by all processes on the machine with nothing but Python
# (counters there are not atomic, so a burst from many workers at once may slip a few requests past a limit).
CACHE_URL = env_str("CACHE_URL", "") or env_str("REDIS_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    # Short socket timeouts: with Redis unreachable a request waits at most this long before the rate limits fail
    # open (RATELIMIT_FAIL_OPEN) and /healthz reports the cache as degraded.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": "credit",
                          "OPTIONS": {"socket_connect_timeout": env_int("CACHE_TIMEOUT_SECONDS", 2),
                                      "socket_timeout": env_int("CACHE_TIMEOUT_SECONDS", 2)}}}
elif CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "LOCATION": CACHE_URL.removeprefix("locmem://") or "credit"}}
elif not CACHE_URL or CACHE_URL.startswith("file://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": CACHE_URL.removeprefix("file://") or str(VAR_DIR / "cache"),
                          "OPTIONS": {"MAX_ENTRIES": 20000}}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must start with redis://, rediss://, unix://, file:// or locmem:// (got {CACHE_URL.split(':', 1)[0]}://…)")

# The public page cache (credit_platform.http_cache): anonymous subject pages and searches, portal and API. Same
# server as the counters, its own key space — on the file cache its own directory, so pages never crowd out (cull)
# rate-limit counters. PUBLIC_CACHE_SECONDS: how long an unread page is kept (a change never waits for it: pages are
# keyed by version). On files every version is a file, so subjects share PUBLIC_CACHE_SUBJECT_BUCKETS versions there.
# Django's file cache lists its directory on every write (to cull), so it is kept small there: Redis for real traffic.
PUBLIC_CACHE_ENABLE = env_bool("PUBLIC_CACHE_ENABLE", True)
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 86400)
PUBLIC_CACHE_SUBJECT_BUCKETS = 0
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    CACHES["public"] = {"BACKEND": CACHES["default"]["BACKEND"], "LOCATION": str(Path(CACHES["default"]["LOCATION"]) / "public"),
                        "OPTIONS": {"MAX_ENTRIES": env_int("PUBLIC_CACHE_MAX_ENTRIES", 5000)}}
    PUBLIC_CACHE_SUBJECT_BUCKETS = 64
else:  # Redis: another key prefix; locmem: the same store (tests clear it with the default cache), another prefix
    CACHES["public"] = {**CACHES["default"], "KEY_PREFIX": "credit-public"}
PUBLIC_CACHE_SUBJECT_BUCKETS = env_int("PUBLIC_CACHE_SUBJECT_BUCKETS", PUBLIC_CACHE_SUBJECT_BUCKETS)
# Plans survive bulk loads (credit_platform.table_stats): ANALYZE a table after commit once this many rows have been
# pushed into it (or windows stored) since its last refresh; 0 leaves statistics to autovacuum.
STATS_REFRESH_AFTER_ROWS = env_int("STATS_REFRESH_AFTER_ROWS", 100_000)

# --- rate limits (credit_platform.ratelimits: fixed-window counters in the cache above) ------------------------
# "<count>/<s|m|h|d>" per client IP. Search: the portal search, 双公示 search and the public search API; browse: the
# subject pages (portal and public API); bulk: both together over a long window — no person reaches it, a scraper does.
RATELIMIT_SEARCH = env_str("RATELIMIT_SEARCH", "") or "60/m"
RATELIMIT_BROWSE = env_str("RATELIMIT_BROWSE", "") or "120/m"
RATELIMIT_BULK = env_str("RATELIMIT_BULK", "") or "3000/h"
RATELIMIT_LOGIN = env_str("RATELIMIT_LOGIN", "") or "10/m"  # POSTs to the portal and admin login, besides django-axes
RATELIMIT_VERIFY = env_str("RATELIMIT_VERIFY", "") or "20/m"  # report verification checks
RATELIMIT_COMMENT = env_str("RATELIMIT_COMMENT", "") or "10/h"  # anonymous comments on draft catalogs (portal + API)
RATELIMIT_REPORT = env_str("RATELIMIT_REPORT", "") or "10/m"  # public credit report PDFs (each also counts under bulk)
# Citizens' sign-up, sign-in and enterprise binding: per client address, and per identity (the ID number
# or login name tried, counted across addresses) so neither a single host nor a botnet can walk identities.
RATELIMIT_SIGNUP = env_str("RATELIMIT_SIGNUP", "") or "10/h"
RATELIMIT_IDENTITY = env_str("RATELIMIT_IDENTITY", "") or "10/h"
for _name in ("RATELIMIT_SEARCH", "RATELIMIT_BROWSE", "RATELIMIT_BULK", "RATELIMIT_LOGIN", "RATELIMIT_VERIFY",
              "RATELIMIT_COMMENT", "RATELIMIT_SIGNUP", "RATELIMIT_IDENTITY", "RATELIMIT_REPORT"):
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", globals()[_name]):
        raise ImproperlyConfigured(f"{_name} must look like 30/m (a count per s, m, h or d), not {globals()[_name]!r}")
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
# With the cache unreachable: let requests through (true) or refuse them all with 429 (false).
RATELIMIT_FAIL_OPEN = env_bool("RATELIMIT_FAIL_OPEN", True)
# How many reverse proxies in front of the platform append to X-Forwarded-For. 0: the client is REMOTE_ADDR and
# X-Forwarded-For is ignored (anyone can forge it); 1: the address the nearest proxy appended, and so on.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# /healthz shows its details (database, broker, cache, calendar, worker; vendors and error classes) to signed-in staff
# and to a monitor sending "Authorization: Bearer <HEALTHZ_TOKEN>"; everyone else sees only ok/degraded. Unset: staff only.
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN", "")

# --- auth and MLPS 2.0 level 3 (等保三级) login rules ----------------------------------------------------
AUTH_USER_MODEL = "credit_platform.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    "credit_platform.object_permissions.DepartmentScopeBackend",  # a department's own rows (object-level rule)
    "accounts.oidc.CitizenOIDCBackend",  # acts only inside the OIDC callback
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "credit_platform.security.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    # Django's common-password list, also through capitals, symbols and digits (Admin@123 is refused)
    {"NAME": "credit_platform.security.CommonPasswordValidator"},
]
PASSWORD_MAX_AGE = timedelta(days=env_int("PASSWORD_MAX_AGE_DAYS", 90))
OFFICIAL_IDLE_TIMEOUT = timedelta(minutes=env_int("OFFICIAL_IDLE_MINUTES", 10))
# Officials need a second factor (TOTP) for the admin; off by default only in development.
OFFICIAL_OTP_REQUIRED = env_bool("OFFICIAL_OTP_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "公共信用信息平台"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
LOGIN_URL = "/accounts/login/"

# django-axes: lock a username *from one address* for 5 minutes after 5 failed logins from that address. Keyed on the
# pair, so five wrong passwords sent from five addresses cannot lock someone out of their account (the per-address
# rate limit RATELIMIT_LOGIN still slows a distributed guesser). The address is kept as its keyed pseudonym
# (credit_platform.privacy.address_pseudonym), so the lockout log says where attempts came from without storing it.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 5))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "credit_platform.ratelimits.lockout_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_LOCKOUT_CALLABLE = "credit_platform.ratelimits.lockout_response"  # the page with Retry-After

# --- citizens' identity: 政务服务统一身份认证 over OpenID Connect (mozilla-django-oidc) ----------------------------
# Citizens and enterprise agents sign in at the government-service identity platform; the platform never verifies an
# identity itself. With no provider configured and DEBUG off, citizen sign-in, registration and enterprise binding
# are closed (accounts.identity.identity_mode); with DEBUG on the development check stands in for it.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", "")  # the ID token's "iss" must equal it
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "") or None
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_IDP_SIGN_KEY = env_str("OIDC_RP_IDP_SIGN_KEY", "") or None  # PEM public key instead of the JWKS endpoint
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid profile")
OIDC_USE_PKCE = True  # authorization code with PKCE (S256), state and nonce: always
OIDC_USE_NONCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
OIDC_CREATE_USER = True
OIDC_CALLBACK_CLASS = "accounts.oidc.CitizenCallbackView"
OIDC_AUTHENTICATE_CLASS = "accounts.oidc.CitizenAuthenticateView"
LOGIN_REDIRECT_URL = "/my/"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?failed=1"
# Claim names of the provider's ID token / userinfo, and the assurance levels (acr) accepted for a citizen.
DISCLOSURE_OIDC = {
    "issuer": OIDC_OP_ISSUER,
    "name_claim": env_str("OIDC_CLAIM_NAME", "name"),
    "id_number_claim": env_str("OIDC_CLAIM_ID_NUMBER", "id_card_no"),
    "uscc_claim": env_str("OIDC_CLAIM_USCC", "uscc"),
    "enterprise_name_claim": env_str("OIDC_CLAIM_ORG_NAME", "org_name"),
    "acr_claim": env_str("OIDC_CLAIM_ACR", "acr"),
    "accepted_acr": tuple(env_list("OIDC_ACCEPTED_ACR", ["L2", "L3"])),
}
# An approved authorisation letter binds an agent to an enterprise for at most this many days.
AGENT_LETTER_MAX_DAYS = env_int("AGENT_LETTER_MAX_DAYS", 365)

GUARDIAN_RAISE_403 = True
ANONYMOUS_USER_NAME = None  # no guardian anonymous user row: the public never holds object permissions

# --- i18n --------------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]  # the only language the platform has texts in
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 20 * 1024 * 1024)
# Largest report PDF /verify/ accepts for comparison (bytes); larger uploads are refused before they are read, and
# accepted ones are hashed chunk by chunk, never held in memory whole. The platform's own reports are well below 1 MB.
VERIFY_UPLOAD_MAX_BYTES = env_int("VERIFY_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# The CJK font credit reports embed (disclosure/fonts.py). Unset: WenQuanYi Micro Hei if installed, else any font
# `fc-list :lang=zh` lists. A path: that font file. "none": behave as on a host without a CJK font.
REPORT_FONT_PATH = env_str("REPORT_FONT_PATH", "")
# Longest anonymous comment on a draft catalog (characters), portal form and API alike.
CATALOG_COMMENT_MAX_CHARS = env_int("CATALOG_COMMENT_MAX_CHARS", 5000)

# --- security when DEBUG is off -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP by the orchestrator inside the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content Security Policy (django-csp): scripts only from this origin, no framing, no plugins.
# Inline styles stay allowed because the admin's widgets and Swagger UI set style attributes.
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# --- e-mail and SMS ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "credit-centre@example.invalid")
SMS_BACKEND = env_str("SMS_BACKEND", "credit_platform.sms.ConsoleSmsBackend")

# --- Celery ----------------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_FILESYSTEM_DIR = VAR_DIR / "celery"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "out"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "out"),
        "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", f"file://{CELERY_FILESYSTEM_DIR / 'results'}")
else:
    # An unacknowledged message (acks_late: the worker died mid-task) is redelivered after this many seconds.
    # Keep it above the longest sweep: a sweep still running when it passes is run a second time in parallel
    # (harmless — the sweeps claim rows with SKIP LOCKED — but wasted work).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
    CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for another worker
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Rows a sweep claims (SELECT … FOR UPDATE SKIP LOCKED) and commits per transaction; see credit_platform/sweeps.py.
SWEEP_BATCH_SIZE = env_int("SWEEP_BATCH_SIZE", 500)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Installed into django-celery-beat's tables by the DatabaseScheduler at start; editable in the admin.
# Daily sweeps run at night Asia/Shanghai; each is idempotent and catches up on whatever is overdue.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "credit_platform.heartbeat", "schedule": 60.0},
    "prune-sweep-runs": {"task": "credit_platform.prune_sweep_runs", "schedule": crontab(hour=3, minute=30)},
    "disclosure-end-publicity": {"task": "disclosure.end_publicity", "schedule": crontab(hour=0, minute=20)},
    "disclosure-end-retention": {"task": "disclosure.end_retention", "schedule": crontab(hour=0, minute=40)},
    "disclosure-missing-windows": {"task": "disclosure.missing_windows", "schedule": 60.0},
    "repair-deadlines": {"task": "repair.sweep_deadlines", "schedule": crontab(minute=10)},
    "repair-outbox": {"task": "repair.sweep_outbox", "schedule": 300.0},
    # Objections: marks every 10 minutes (the mark is made on its due day even if nobody acts), escalations
    # hourly (anything past due, however long ago), reminders each working morning.
    "objections-marks": {"task": "objections.sweep_marks", "schedule": 600.0},
    "objections-escalations": {"task": "objections.sweep_escalations", "schedule": crontab(minute=5)},
    "objections-reminders": {"task": "objections.sweep_reminders", "schedule": crontab(hour=8, minute=30)},
    # Sanctions: publicity stops and record changes every 10 minutes; list terms, commitment reminders and
    # evaluation recomputation nightly (each catches up on whatever fell due meanwhile).
    "sanctions-publicity": {"task": "sanctions.publicity", "schedule": 600.0},
    "sanctions-record-changes": {"task": "sanctions.record_changes", "schedule": 600.0},
    "sanctions-severe-list-terms": {"task": "sanctions.severe_list_terms", "schedule": crontab(hour=0, minute=5)},
    "sanctions-red-list-terms": {"task": "sanctions.red_list_terms", "schedule": crontab(hour=0, minute=10)},
    "sanctions-commitments": {"task": "sanctions.commitments", "schedule": crontab(hour=8, minute=0)},
    "sanctions-evaluations": {"task": "sanctions.evaluations", "schedule": crontab(hour=1, minute=15)},
    # Forwarding to the provincial platform (Heilongjiang art. 22 para. 2): send, retry and flag overdue.
    "records-provincial-forward": {"task": "records.forward_provincial", "schedule": 300.0},
    # Qufu art. 41: the published joint reward/punishment implementation report, refreshed nightly.
    "sanctions-implementation": {"task": "sanctions.implementation", "schedule": crontab(hour=2, minute=0)},
}

# --- forwarding to the provincial credit platform (Heilongjiang art. 22 para. 2) ------------------------------
# Only profiles whose platform_forward_days is set queue anything; with the URL empty the rows wait (and are
# flagged overdue) until it is configured. Each POST is signed: HMAC-SHA256 over "<timestamp>.<body>".
PROVINCIAL_PLATFORM_URL = env_str("PROVINCIAL_PLATFORM_URL", "")
PROVINCIAL_PLATFORM_KEY = env_str("PROVINCIAL_PLATFORM_KEY", "")
PROVINCIAL_PLATFORM_TIMEOUT_SECONDS = env_int("PROVINCIAL_PLATFORM_TIMEOUT_SECONDS", 10)
PROVINCIAL_PLATFORM_MAX_ATTEMPTS = env_int("PROVINCIAL_PLATFORM_MAX_ATTEMPTS", 10)
PROVINCIAL_PLATFORM_BACKOFF_SECONDS = env_int("PROVINCIAL_PLATFORM_BACKOFF_SECONDS", 60)

# --- platform settings of the apps (not statutory numbers: those live in the policy profiles) ----------------
# records: the most rows one push may carry (larger batches are refused with batch_too_large).
RECORDS_BATCH_LIMIT = env_int("RECORDS_BATCH_LIMIT", 5000)
# disclosure: how long a credit report's verification stays valid, and the longest span a special report may cover.
DISCLOSURE_REPORT_VALID_DAYS = env_int("DISCLOSURE_REPORT_VALID_DAYS", 30)
DISCLOSURE_SPECIAL_REPORT_MAX_YEARS = env_int("DISCLOSURE_SPECIAL_REPORT_MAX_YEARS", 5)
# Citizens' identity backend (dotted path). The development backend signs in the identities listed below (DEBUG
# only, never the real 政务服务统一身份认证); the OIDC backend is used when the OIDC_* settings are complete.
DISCLOSURE_IDENTITY_BACKEND = env_str("DISCLOSURE_IDENTITY_BACKEND", "accounts.identity.DevelopmentIdentityBackend")
DISCLOSURE_DEV_IDENTITIES: dict = {}  # {id number: name} the development backend accepts; set by tests and demos
DISCLOSURE_DEV_AGENT_CODE = env_str("DISCLOSURE_DEV_AGENT_CODE", "DEMO-AUTH")
# sanctions: reminder lead time before a commitment's verification is due (days); the courts' department codes whose
# pushed dishonest judgment debtors are listed on receipt (Heilongjiang art. 38 para. 2); history rows per batch
# read by the record-change sweep.
SANCTIONS_COMMITMENT_REMIND_DAYS = env_int("SANCTIONS_COMMITMENT_REMIND_DAYS", 10)
SANCTIONS_COURT_DEPARTMENTS = env_list("SANCTIONS_COURT_DEPARTMENTS", ["FY"])
SANCTIONS_RECORD_SYNC_BATCH = env_int("SANCTIONS_RECORD_SYNC_BATCH", 5000)
SANCTIONS_RECORD_CHANGES_COALESCE_SECONDS = env_int("SANCTIONS_RECORD_CHANGES_COALESCE_SECONDS", 5)
# objections: evidence files are kept outside MEDIA_ROOT and served only through the permission-checking download
# view; the largest file and files per objection; handlers are reminded this many working days before a due date;
# tolerance for a department system's clock when checking that a receipt time is not in the future (seconds).
OBJECTION_EVIDENCE_ROOT = env_str("OBJECTION_EVIDENCE_ROOT", str(VAR_DIR / "private" / "objections"))
OBJECTION_EVIDENCE_MAX_BYTES = env_int("OBJECTION_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
OBJECTION_EVIDENCE_MAX_FILES = env_int("OBJECTION_EVIDENCE_MAX_FILES", 10)
OBJECTION_REMIND_WORKING_DAYS = env_int("OBJECTION_REMIND_WORKING_DAYS", 1)
OBJECTION_RECEIVED_AT_SKEW_SECONDS = env_int("OBJECTION_RECEIVED_AT_SKEW_SECONDS", 120)
# repair: evidence as for objections; the subscriber webhook outbox: attempts before a delivery is dead-lettered,
# the first retry delay (doubling each retry, capped), one call's timeout, and how long a worker holds a delivery it
# is sending before a sweep may take it back.
REPAIR_EVIDENCE_ROOT = env_str("REPAIR_EVIDENCE_ROOT", str(VAR_DIR / "private" / "repair"))
REPAIR_EVIDENCE_MAX_BYTES = env_int("REPAIR_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
REPAIR_EVIDENCE_MAX_FILES = env_int("REPAIR_EVIDENCE_MAX_FILES", 10)
REPAIR_REMIND_WORKING_DAYS = env_int("REPAIR_REMIND_WORKING_DAYS", 1)
REPAIR_OUTBOX_MAX_ATTEMPTS = env_int("REPAIR_OUTBOX_MAX_ATTEMPTS", 8)
REPAIR_OUTBOX_BACKOFF_SECONDS = env_int("REPAIR_OUTBOX_BACKOFF_SECONDS", 60)
REPAIR_OUTBOX_BACKOFF_MAX_SECONDS = env_int("REPAIR_OUTBOX_BACKOFF_MAX_SECONDS", 6 * 3600)
REPAIR_OUTBOX_TIMEOUT_SECONDS = env_int("REPAIR_OUTBOX_TIMEOUT_SECONDS", 10)
REPAIR_OUTBOX_LEASE_SECONDS = env_int("REPAIR_OUTBOX_LEASE_SECONDS", 300)

# --- REST API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "credit_platform.api.authentication.DepartmentTokenAuthentication",
        # DRF's session authentication, refusing an official's session that lacks its second factor or has an
        # expired password (the same rule as the middleware, so no door is missed)
        "credit_platform.api.authentication.OfficialSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # size-limited, NUL- and depth-checked JSON and form bodies (credit_platform/api/parsers.py)
    "DEFAULT_PARSER_CLASSES": [
        "credit_platform.api.parsers.JSONParser",
        "credit_platform.api.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "credit_platform.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "credit_platform.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "公共信用信息平台 API / Public Credit Information Platform API",
    "DESCRIPTION": "Department systems push records, ask the joint check and follow objections. "
    "Authenticate with `Authorization: Token <department token>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package, not a CDN: the platform runs on government intranets.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # <id:…> path parameters (credit_platform.api.converters): positive and within the database's 64-bit keys.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
    # Names for the choice sets several apps call "status", "kind" … so generated clients get readable types instead
    # of hashed ones (Status6ddEnum); each value list is the choice set it names.
    "ENUM_NAME_OVERRIDES": {
        "RecordStatusEnum": "records.models.RecordStatus",
        "SeverityEnum": "records.models.Severity",
        "ResponsiblePersonRoleEnum": "records.models.RelatedRole",
        "ObjectionOutcomeEnum": "objections.models.Outcome",
        "ObjectionGroundEnum": "objections.models.Ground",
        "RepairRevocationGroundEnum": "repair.models.RevocationGround",
        "MeasureKindEnum": "sanctions.models.Kind",
        "CommitmentKindEnum": "sanctions.models.Commitment.CommitmentKind",
        "InterviewKindEnum": "sanctions.models.Interview.InterviewKind",
        "FeedbackOutcomeEnum": "sanctions.api.serializers.FEEDBACK_OUTCOMES",
    },
}

# --- logging -----------------------------------------------------------------------------------------
# Every handler masks resident ID and mobile numbers (credit_platform.privacy.IdentifierMaskingFilter). Django's
# own default handlers are replaced ("django" logs through the root handler) so none writes unfiltered.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_identifiers": {"()": "credit_platform.privacy.IdentifierMaskingFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_identifiers"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["mask_identifiers"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

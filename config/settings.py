"""Serambi's settings, read once from the environment (12-factor).

With no environment at all except DEBUG=1, Serambi runs on its embedded defaults: SQLite,
an in-memory channel layer, local-memory cache, console email, database search and tasks run
immediately. Production is chosen by environment variables alone (see .env.example):
DATABASE_URL, REDIS_URL, ELASTICSEARCH_URL, EMAIL_URL, SECRET_KEY, ALLOWED_HOSTS.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("SERAMBI_VAR_DIR", str(BASE_DIR / "var")))

# --- Core -----------------------------------------------------------------------------------

# Off unless asked for: a production container that forgets DEBUG must not show tracebacks.
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production set SECRET_KEY to a long random string, e.g. "
            "the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'. "
            "For local development set DEBUG=1 instead (make run does)."
        )
    SECRET_KEY = "django-insecure-serambi-local-development-only"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set: Serambi would answer every request with 400. Set it to the "
        "host names Serambi is served under, comma-separated (ALLOWED_HOSTS=serambi.example.id)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Serambi's own apps, in dependency order (DESIGN.md: accounts <- forum <- kb <- programme;
# search apart, the apps plugging into it).
SERAMBI_APPS = ["accounts", "forum", "kb", "search", "programme"]

INSTALLED_APPS = [
    "daphne",  # first, so that runserver speaks ASGI (websockets) in development
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "taggit",
    "modelcluster",
    "wagtail.contrib.typed_table_block",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    *SERAMBI_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.reject_nul_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.friendly_refusals_middleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.admin_framing_middleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "config.context_processors.languages",
                "config.context_processors.limits",
                "forum.context_processors.forum",
                "programme.context_processors.programme",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------

DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'serambi.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        # Reopening a connection per request halved a signed-in page's rate (bench/);
        # compose's Daphne service, where Django's docs advise 0, sets it.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one request writes; IMMEDIATE takes the write lock at the
    # start of a transaction, so concurrent writers wait (busy_timeout) instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 10,
    }

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis; while Redis is away, this process's memory answers instead, so that
            # pages, sign-in and posting keep working (config/cache.py, DESIGN.md).
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "serambi",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    # Redis pub/sub: a broadcast reaches each Daphne process once, which hands it to its own
    # sockets, where the list-based layer stored and popped one message per socket (1,000
    # round trips a reply) and closed quiet sockets with 1011 when a blocking pop met
    # redis-py's socket timeout. Nothing needs the list layer's persistence: the topic's event
    # log is what a page catches up from (bench/realtime.py measures both).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "serambi"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Sessions are read from the cache (no query on a signed-in page) and written through to the
# database, which answers when the cache is cold or away.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background work: run at once in the embedded default, by `manage.py db_worker` in production.
TASKS_BACKEND = env("TASKS_BACKEND", "database" if env("DATABASE_URL") else "immediate")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND={TASKS_BACKEND!r}: use 'immediate' or 'database'.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# Search answers from Elasticsearch when ELASTICSEARCH_URL is set, else from the database; the
# database's index is kept either way, to answer while Elasticsearch is away (search.backends).
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", "serambi")
SEARCH_BACKEND = "elasticsearch" if ELASTICSEARCH_URL else "database"
# Index updates are drained right after each change commits (the embedded default), or by
# `manage.py search_worker` (production: compose's search-worker service).
SEARCH_INDEXING = env("SEARCH_INDEXING", "immediate" if TASKS_BACKEND == "immediate" else "worker")
if SEARCH_INDEXING not in {"immediate", "worker"}:
    raise ImproperlyConfigured(f"SEARCH_INDEXING={SEARCH_INDEXING!r}: use 'immediate' or 'worker'.")

# Live updates over websockets (forum.consumers), served by Daphne (compose's `ws`). Off, pages
# never try to connect: for a site served without Daphne.
LIVE_UPDATES = env_bool("LIVE_UPDATES", True)

# --- Email ----------------------------------------------------------------------------------

EMAIL_URL = env("EMAIL_URL")
if EMAIL_URL:
    _email = dj_email_url.parse(EMAIL_URL)
    # dj-email-url ignores a scheme it does not know (smtp+tls://…) and Django would then send
    # unencrypted: refuse instead.
    if not _email.get("EMAIL_BACKEND"):
        raise ImproperlyConfigured(
            f"EMAIL_URL has an unknown scheme {EMAIL_URL.split(':', 1)[0]!r}: use "
            "submission://user:pass@host:587 (STARTTLS), smtps://user:pass@host:465 (TLS) or "
            "console://."
        )
    globals().update(_email)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Serambi <noreply@serambi.localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = 10

# --- Accounts (django-allauth) --------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
# The username is the @handle used in mentions and profile addresses; people sign in by email.
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
# Handles are stored lowercase, so that @Sari and @sari mention the same member.
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_USERNAME_BLACKLIST = ["admin", "administrator", "moderator", "editor", "serambi", "staff"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # link scanners in mail clients must not confirm
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so that they are seen and kept.
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Serambi] "
ACCOUNT_USER_DISPLAY = "accounts.adapter.user_display"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
# Our own strings; then the Wagtail admin's strings that Wagtail leaves untranslated.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "wagtail"]
TIME_ZONE = "Asia/Jakarta"  # WIB, the time of Lubuklinggau
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))

# --- Security -------------------------------------------------------------------------------

# Behind the reverse proxy of compose.yaml, which terminates TLS and sets these headers.
TRUST_PROXY_HEADERS = env_bool("TRUST_PROXY_HEADERS", False)
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# Whose X-Forwarded-For is believed, and how many hops of it (config/client_ip.py): the
# address the proxy saw counts for rate limits and the sign-in lockout, not the proxy's own.
# compose's Caddy reaches the app from the stack's private network, one hop.
TRUSTED_PROXIES = env_list(
    "TRUSTED_PROXIES",
    ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
try:
    [ipaddress.ip_network(entry, strict=False) for entry in TRUSTED_PROXIES]
except ValueError as error:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXIES has an entry that is not an address or network ({error}): use "
        "comma-separated CIDR ranges, e.g. TRUSTED_PROXIES=172.16.0.0/12,10.0.0.0/8."
    ) from None
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 1 or more (the proxies in front).")

HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # our script reads the token from the form, never the cookie
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes inside the stack speak plain HTTP
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 60 * 60 * 24 * 365) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading into browsers is hard to undo and a decision for the domain's owner: opt-in.
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")  # "preload not set": deliberate, see above
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A covering index's INCLUDE columns (forum.Post's answers_by_date) serve PostgreSQL's
    # index-only scans; SQLite keeps the same index without them, which is all it needs.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
# Where Serambi is reached, for links in emails sent outside a request (notifications).
SITE_URL = env("SITE_URL").rstrip("/") or f"{ACCOUNT_DEFAULT_HTTP_PROTOCOL}://{ALLOWED_HOSTS[0]}"

# No inline script or style anywhere: a page that needs one must ship a file instead.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Request size limits: a bigger body is refused with 400 before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# --- Knowledge base (Wagtail) --------------------------------------------------------------

WAGTAIL_SITE_NAME = "Serambi"
WAGTAILADMIN_BASE_URL = SITE_URL
# One door: Wagtail's (and Django admin's) own sign-in forms lead to allauth's (accounts.views).
WAGTAILADMIN_LOGIN_URL = "cms_login"
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False  # one language of content; the interface is translated
# Nothing in the admin may reach third-party hosts (avatars, release checks).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The same limits as forum uploads (forum/uploads.py).
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 8 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "kb.forms.DocumentForm"  # adds the 5 MB limit
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # through Django: privacy and content type checked
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # allauth manages passwords
WAGTAILUSERS_PASSWORD_ENABLED = False

# --- Logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"expected_refusals": {"()": "config.logging.ExpectedRefusalFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # A 403 or 404 is one line at INFO, not a warning with a traceback (config/logging.py).
        "django.request": {"filters": ["expected_refusals"]},
        # A line per task started and finished drowns what matters (the worker logs failures).
        "django_tasks": {"level": "WARNING"},
    },
}

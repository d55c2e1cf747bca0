"""Settings for lao-integrity.

Everything that differs between a laptop and a server comes from the environment:
DJANGO_DEBUG, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, and for HTTPS behind a
reverse proxy DJANGO_CSRF_TRUSTED_ORIGINS, DJANGO_TRUSTED_PROXY_COUNT, DJANGO_SECURE_SSL_REDIRECT,
DJANGO_SECURE_HSTS_SECONDS (see README, "Production"); DJANGO_BENCHMARKS installs the benchmarks
app (its data generator) also with debug off; REDIS_URL and DJANGO_S3_* for more than one
application server (README, "Configuration").
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from lao_integrity import export_formats
from lao_integrity.security import csp_hash

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = (os.environ.get(name) or "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # Only for local development; never used with debug off.
    SECRET_KEY = "insecure-dev-key-do-not-use-in-production"

# The private keys of signing certificates are sealed with this (lao_integrity/signing/sealing.py);
# a passphrase, kept apart from the database and its backups. Debug has a development one.
SIGNING_KEY = os.environ.get("DJANGO_SIGNING_KEY", "" if not DEBUG else "insecure-dev-signing-key")
# An RFC 3161 timestamp authority: signatures become PAdES B-T instead of B-B.
TSA_URL = os.environ.get("DJANGO_TSA_URL", "")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    # django.contrib.admin with a site only superusers may enter (lao_integrity/admin_site.py).
    "lao_integrity.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # /sitemap.xml of the public pages (lao_integrity/publication/sitemaps.py)
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",  # installed whichever backend runs, so migrations stay the same
    "lao_integrity",
    "lao_integrity.orgs",
    "lao_integrity.signing",
    "lao_integrity.announcements",
    "lao_integrity.jobs",
    "lao_integrity.pagecache",
    "lao_integrity.submissions",
    "lao_integrity.notifications",
    "lao_integrity.review",
    "lao_integrity.obligations",
    "lao_integrity.supervision",
    "lao_integrity.publication",
    "lao_integrity.verification",
    "plans",
    "ita",
    "agreements",
    "lpa",
]
# The benchmarks app only brings `manage.py generate_scale_data` (national-scale synthetic data):
# on in development, off in production unless DJANGO_BENCHMARKS=1 (make bench sets it).
if env_bool("DJANGO_BENCHMARKS", DEBUG):
    INSTALLED_APPS.append("benchmarks")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # A view's own upload handlers (the verification page's: hashed, kept nowhere), before the body is read.
    "lao_integrity.middleware.ViewUploadHandlers",
    # Before anything reads the database: a NUL in the address, a parameter or a form field is a
    # Thai 400, not a PostgreSQL error (lao_integrity/middleware.py).
    "lao_integrity.middleware.RejectControlCharacters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their cache headers); outside the rest, so every response
    # to a signed-in user, a redirect included, leaves with Cache-Control: no-store, private.
    "lao_integrity.middleware.PrivateCache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A fresh one-time submission token in every POST form of every page (lao_integrity/submissions).
    "lao_integrity.submissions.once.SubmissionTokenMiddleware",
    # The bell's and the menu's counts, put in as each page leaves (kept pages included).
    "lao_integrity.late_parts.LatePartsMiddleware",
    # Records who made each change in the audit trail (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a refused (locked-out) login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lao_integrity.urls"

# Django's widget templates through Jinja2, the admin's through Django's language (lao_integrity/form_renderer.py).
FORM_RENDERER = "lao_integrity.form_renderer.FormRenderer"

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
                "lao_integrity.branding.product",
                "lao_integrity.notifications.context.bell",
                "lao_integrity.supervision.context.menu",
            ],
            "builtins": ["lao_integrity.templatetags.thai", "lao_integrity.templatetags.submissions",
                         "lao_integrity.templatetags.glossary"],
        },
    },
    # Hot fragments only (table rows rendered many times a page): lao_integrity/jinja_env.py.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,  # <app>/jinja2/
        "OPTIONS": {"environment": "lao_integrity.jinja_env.environment", "autoescape": True},
    },
]

WSGI_APPLICATION = "lao_integrity.wsgi.application"

# REDIS_URL (e.g. redis://127.0.0.1:6379/0) puts the shared caches in Redis, so that two or more
# application servers behind one address share them: the public pages' rate-limit counters and the
# menu's counts ("default") and the kept pages ("pages"). Without it each process keeps its own in
# memory, as one server needs. DJANGO_CACHE_KEY_PREFIX keeps two installations (or a test) that use
# one Redis apart, and ":default"/":pages" after it keep the two caches' keys apart. (A cache's
# clear() would empty the whole Redis database whatever the prefix: the portal never calls it.)
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_KEY_PREFIX = os.environ.get("DJANGO_CACHE_KEY_PREFIX", "lao-integrity").strip()


def _shared_cache(prefix: str, **local) -> dict:
    if REDIS_URL:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"{CACHE_KEY_PREFIX}:{prefix}"}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", **local}


CACHES = {
    "default": _shared_cache("default"),
    # Rendered PDFs by content hash: the 60-page plan book takes seconds to lay out, and the same
    # data gives the same bytes, so a repeat download (or another user's) is served at once. It stays
    # a folder on each host even with Redis: the key is the content's hash, so a host that lacks an
    # entry only renders it again (never serves a stale one), and PDFs of megabytes are kept out of
    # the Redis that every page asks.
    "documents": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("DJANGO_DOCUMENT_CACHE", str(BASE_DIR / ".cache" / "documents")),
        "TIMEOUT": 7 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

# Signed-in pages kept until the data they show changes (lao_integrity/pagecache): per worker in
# memory, or shared by every server in Redis. The key holds the data versions, which live in the
# database, so a write through any server makes every server's kept copy unreachable.
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", True)
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = 600
# On, every page served from memory is rendered again and compared: the test suite's check that no
# write leaves a kept page stale.
PAGE_CACHE_VERIFY = False
CACHES["pages"] = {
    **_shared_cache("pages", LOCATION="pages", OPTIONS={"MAX_ENTRIES": 800}),  # 400 pages, each with its apps
    "TIMEOUT": PAGE_CACHE_SECONDS,
}

DATABASES = {
    "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)
    if os.environ.get("DATABASE_URL")
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย")]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
# Thai for what Django, its admin and django-import-export leave in English (locale/th; the
# compiled .mo is committed, so no gettext tools are needed to run).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (evidence, emblems, signatures, signed PDFs, job results): MEDIA_ROOT on this
# host, or with DJANGO_S3_BUCKET an S3-compatible bucket that every application server shares.
# Private either way: no public ACL, no signed links handed out; every download streams through a
# view that checked access first (lao_integrity/uploads.py, stored_file_response).
S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "").strip()
if S3_BUCKET:
    _media_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": S3_BUCKET,
        "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,  # None: AWS itself
        "region_name": os.environ.get("DJANGO_S3_REGION") or None,
        "location": os.environ.get("DJANGO_S3_PREFIX", "").strip("/"),  # a folder of a shared bucket
        # The keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (boto3 reads them itself).
        "default_acl": None,  # the bucket's own: private
        "file_overwrite": False,  # a second upload of one name gets a new name, as on disk
        "querystring_auth": True,  # a .url, were one ever made, would expire rather than be public
        "signature_version": "s3v4",
    }}
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        # WhiteNoise's compressed manifest storage, each address worked out once per process.
        "BACKEND": "lao_integrity.staticstorage.ManifestStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# Long jobs (plan book PDF, national ITA import and export; lao_integrity/jobs) on django-tasks.
# By default they run in-process, inside the request that starts them, so `make run` needs nothing
# else. DJANGO_TASKS_BACKEND=database queues them in the database instead; then run
# `python manage.py db_worker` beside the web server (README, "Background jobs").
TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks_backend = (os.environ.get("DJANGO_TASKS_BACKEND") or "immediate").strip().lower()
if _tasks_backend not in TASKS_BACKENDS:
    raise ImproperlyConfigured(f"DJANGO_TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}, "
                               f"not {_tasks_backend!r}.")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[_tasks_backend]}}

# Evidence files and imports: refuse anything bigger than this.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Email (the password reset link): printed on the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
# The portal's address as its users reach it: the links in notification and reminder emails.
PORTAL_URL = os.environ.get("DJANGO_PORTAL_URL", "http://127.0.0.1:8000")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- security ------------------------------------------------------------------------------

# A session ends when the browser closes, and on the server 8 hours (a working day) after sign-in
# or the session's last change, whichever is later; then the next page asks for a login again.
SESSION_ENGINE = "lao_integrity.sessions"  # Django's database sessions, read with plain SQL
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "lao_integrity.views.csrf_failure"  # Thai, not Django's English page
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")  # e.g. https://integrity.example.go.th
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Repeated failed logins (django-axes): 5 failures for one username from one address lock that
# pair out for 30 minutes, the correct password included; any failure during the lock restarts
# it. A superuser unlocks early in the admin (Axes > Access attempts) or with
# `python manage.py axes_reset_username <username>`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before checking passwords
    # Django's ModelBackend, the user of every request read by one plain statement.
    "lao_integrity.accounts.backends.ModelBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_USERNAME_CALLABLE = "lao_integrity.security.login_username"
AXES_CLIENT_IP_CALLABLE = "lao_integrity.security.client_ip"
# Reverse proxies in front of Django that append to X-Forwarded-For (0: use REMOTE_ADDR only).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# Content-Security-Policy (django-csp). Everything comes from this site; no inline scripts
# except the event handlers below, allowed one by one by their hash. Styles may be inline
# (templates and the document previews use style="" and <style>); images may be data: URIs
# (documents embed the emblem and signatures that way).
CSP_INLINE_EVENT_HANDLERS = [
    "this.form.submit()",
    "onSelectToggleChange(event)",  # django-import-export's export form in the admin
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_HASHES, *sorted(csp_hash(h) for h in CSP_INLINE_EVENT_HANDLERS)],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Public pages (lao_integrity/publication/web.py): requests a minute per client address (0: no
# limit), and the origins that may frame them, e.g. an organisation's own website
# (DJANGO_PUBLIC_FRAME_ANCESTORS="https://www.banhaeng.go.th https://example.org", space-separated).
# Without any, public pages refuse framing as every other page does.
PUBLIC_RATE_LIMIT = env_int("DJANGO_PUBLIC_RATE_LIMIT", 120)
PUBLIC_FRAME_ANCESTORS = os.environ.get("DJANGO_PUBLIC_FRAME_ANCESTORS", "").split()
for _origin in PUBLIC_FRAME_ANCESTORS:
    if _origin != "'self'" and not re.fullmatch(r"https?://[A-Za-z0-9.*-]+(:\d+)?", _origin):
        raise ImproperlyConfigured(f"DJANGO_PUBLIC_FRAME_ANCESTORS: {_origin!r} is not an origin such as "
                                   "https://www.example.go.th")

if not DEBUG:
    # Production: HTTPS terminated at a reverse proxy that sets X-Forwarded-Proto (README).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the proxy's plain-HTTP health check; it shows no data
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)

# django-import-export serves the admin's export pages only (imports, the admin's included, run
# through lao_integrity.table_import). They export the project's one format (not html, json, tsv...),
# written by lao_integrity.tabular as every other export is: a text that a spreadsheet would run as
# a formula (=HYPERLINK(...), +cmd|...) stays text (lao_integrity/export_formats.py).
EXPORT_FORMATS = export_formats.FORMATS

# Warnings and errors, a 500's traceback included (django.request propagates here), go to the
# application server's error log under gunicorn and to stderr otherwise (lao_integrity/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"}},
    "handlers": {"server": {"class": "lao_integrity.logs.ServerLogHandler", "formatter": "plain"}},
    "root": {"handlers": ["server"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

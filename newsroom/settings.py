"""Settings for the newsroom, read from the environment.

Nothing here is edited by hand between machines: every choice that differs
between a laptop and production is an environment variable (see
``.env.example``). Unset, everything falls back to the embedded default:
SQLite in the project folder, files under ``media/``, the local-memory cache.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Security ---------------------------------------------------------------

# Off unless asked for: a deploy that forgets the variable runs as production
# (and then refuses to start without a real secret key). `make run` and the
# test settings turn it on.
DEBUG = env_bool("DJANGO_DEBUG", False)

_DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "chưa đặt DJANGO_SECRET_KEY. Khi chạy thật (DJANGO_DEBUG khác 1) hãy đặt "
            "DJANGO_SECRET_KEY là một chuỗi ngẫu nhiên ít nhất 50 ký tự, ví dụ kết quả "
            "của `python -c 'import secrets; print(secrets.token_urlsafe(50))'`, hoặc "
            "DJANGO_DEBUG=1 khi phát triển."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY quá yếu để chạy thật: cần ít nhất 50 ký tự ngẫu nhiên "
        "(không bắt đầu bằng 'django-insecure-'), ví dụ kết quả của "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

NEWSROOM_BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
    SECURE_PROXY_SSL_HEADER = (
        ("HTTP_X_FORWARDED_PROTO", "https") if NEWSROOM_BEHIND_PROXY else None
    )
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False
)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"  # no page of the site is meant to be framed

# Content-Security-Policy (django-csp): scripts only from the site itself,
# never inline, on the public pages and in the admin with CKEditor 5 alike.
# Styles may be inline: CKEditor 5 writes its own (it needs no eval).
_MEDIA_HOST = env_str("NEWSROOM_MEDIA_DOMAIN", "")
_IMAGES = [
    "'self'",
    "data:",
    "blob:",
    *([f"https://{_MEDIA_HOST}"] if _MEDIA_HOST else []),
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": _IMAGES,
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Features no page of the site uses (django-permissions-policy).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer",
        "microphone", "payment", "usb", "browsing-topics",
    )
}  # fmt: skip

# --- Applications -----------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_ckeditor_5",
    "reversion",
    "axes",
    "csp",
    "django_tasks",
    "newsroom.apps.BackgroundJobsConfig",  # django-tasks-db's results
    "articles",
]

MIDDLEWARE = [
    # First: a cached page is answered before any other middleware runs, with
    # the headers the ones below gave it when it was stored (security, CSP,
    # permissions policy); it costs no session, user or query.
    "newsroom.pagecache.PageCacheMiddleware",
    # Inside the page cache, so that a stored page keeps its cache tags.
    "newsroom.edge.EdgeTagsMiddleware",
    # A reader's queries go to the replica, when there is one.
    "newsroom.replica.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After the page cache: with the database away, cached pages still serve
    # and the rest get the 503 page at once (newsroom/faults.py).
    "newsroom.faults.DatabaseGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese unless English was chosen; not the browser's preference.
    "newsroom.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An article form posted after the session expired is kept for the login.
    "articles.admin.rescue.RescueMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it answers a locked-out login attempt itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
# A refused form token: the admin's own page, which keeps an article form.
CSRF_FAILURE_VIEW = "articles.admin.rescue.csrf_failure"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "articles.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# DATABASE_URL selects the database; unset, an SQLite file in the project.

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        # WAL lets readers and a writer work at once (gunicorn workers, an
        # import running beside the site); IMMEDIATE avoids "database is
        # locked" upgrades inside write transactions.
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=5000;PRAGMA cache_size=-20000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # One connection per worker, kept: opening SQLite and running the PRAGMAs
    # above on every request would cost more than the page's queries.
    _db["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 600)
    _db["CONN_HEALTH_CHECKS"] = True
    # Tests use a file too, not Django's in-memory default: the live server
    # answers several browsers at once, and an in-memory database would have
    # all its threads share one connection (and one transaction).
    _db["TEST"] = {
        "NAME": str(
            Path(tempfile.gettempdir()) / f"newsroom-test-{os.getpid()}.sqlite3"
        )
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    if env_bool("DATABASE_POOL", True):
        # psycopg's pool: a page never pays for a new connection. Django
        # requires CONN_MAX_AGE=0 with a pool; with CONN_HEALTH_CHECKS it has
        # the pool check each connection before handing it out.
        _db["CONN_MAX_AGE"] = 0
        _db["CONN_HEALTH_CHECKS"] = True
        # A short wait: with the database away, readers get the 503 page in
        # a couple of seconds instead of workers hanging on the pool.
        _db["OPTIONS"] = {
            "pool": {
                "min_size": env_int("DATABASE_POOL_MIN", 2),
                "max_size": env_int("DATABASE_POOL_MAX", 8),
                "timeout": env_int("DATABASE_POOL_TIMEOUT", 1),
            },
            "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 2),
        }
    else:
        _db["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
        _db["CONN_HEALTH_CHECKS"] = True
        _db["OPTIONS"] = {"connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 2)}
if env_bool("DATABASE_PGBOUNCER", False):
    # PgBouncer in transaction mode: a cursor cannot outlive its transaction.
    _db["DISABLE_SERVER_SIDE_CURSORS"] = True
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, so psycopg prepares a statement run
    # five times on a connection: a reader's query is planned once per
    # connection instead of on every page (planning was two thirds of the
    # server's time for an article page's queries). Not behind PgBouncer
    # in transaction mode, where a connection's statements are not its own.
    _db["OPTIONS"]["server_side_binding"] = True
    _db["OPTIONS"]["prepare_threshold"] = 5
DATABASES = {"default": _db}
# A PostgreSQL streaming replica for the readers' pages (newsroom/replica.py):
# the same options as the primary; in tests, a mirror of it.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    _replica = dj_database_url.parse(DATABASE_REPLICA_URL)
    for _key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS"):
        _replica[_key] = _db.get(_key)
    _replica["DISABLE_SERVER_SIDE_CURSORS"] = _db.get(
        "DISABLE_SERVER_SIDE_CURSORS", False
    )
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["newsroom.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    # Django's Redis backend, failing open (newsroom/cache.py): with Redis
    # gone, pages are served uncached instead of answering 500.
    _redis_timeout = env_int("REDIS_TIMEOUT_MS", 300) / 1000
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {
                "socket_connect_timeout": _redis_timeout,
                "socket_timeout": _redis_timeout,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            # Cards of every story a busy list shows, pages and lists: more
            # than the default 300 (a few kilobytes each).
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# --- Background jobs ----------------------------------------------------------
# Django's tasks API (the django-tasks backport of Django 6's django.tasks):
# renditions, edge purges, the desk's e-mails and feed polling run as jobs
# (newsroom/jobs.py). NEWSROOM_TASKS picks where they run: "immediate" (in
# the process that asks, after its commit: development and tests), "database"
# (a row per job, run by `manage.py db_worker`: one machine, no extra
# service), "rq" (Redis, run by `manage.py rqworker`). Unset: "rq" with
# REDIS_URL, else "immediate" in development, else "database".
NEWSROOM_TASKS = env_str(
    "NEWSROOM_TASKS", "rq" if REDIS_URL else ("immediate" if DEBUG else "database")
)
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
if NEWSROOM_TASKS not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"NEWSROOM_TASKS={NEWSROOM_TASKS!r} không hợp lệ: chọn một trong "
        "immediate, database, rq."
    )
if NEWSROOM_TASKS == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("NEWSROOM_TASKS=rq cần REDIS_URL.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[NEWSROOM_TASKS], "QUEUES": ["default"]}}
if NEWSROOM_TASKS == "rq":  # its worker command and its dashboard in the admin
    _at = INSTALLED_APPS.index("articles")
    INSTALLED_APPS[_at:_at] = ["django_rq", "django_tasks_rq"]
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
# A failed job is tried again this many times, waiting 2, 4, 8… seconds
# (where the backend can wait: the database and RQ).
NEWSROOM_JOB_RETRIES = env_int("NEWSROOM_JOB_RETRIES", 5)
# The scheduler (manage.py scheduler): seconds between its looks for stories
# whose time has come; seconds between feed polls (0: never).
NEWSROOM_SCHEDULER_SECONDS = env_int("NEWSROOM_SCHEDULER_SECONDS", 1)
NEWSROOM_FEED_POLL_SECONDS = env_int("NEWSROOM_FEED_POLL_SECONDS", 300)

# --- Authentication ---------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # "matkhau123", "hanoi2026", "Toasoan2026", the demo password: refused.
    {"NAME": "newsroom.security.VietnameseCommonPasswordValidator"},
]

# Logins are throttled by django-axes: after NEWSROOM_LOGIN_FAILURES wrong
# passwords for one account, or from one address, that account or address
# waits NEWSROOM_LOGIN_COOLOFF_MINUTES; each lockout is logged ("axes").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("NEWSROOM_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NEWSROOM_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.security.client_ip"
AXES_LOCKOUT_CALLABLE = "newsroom.security.lockout_response"
AXES_VERBOSE = False
# Where the admin lives; a site may move it off the well-known address.
NEWSROOM_ADMIN_PATH = env_str("NEWSROOM_ADMIN_PATH", "admin/").strip("/") + "/"

# --- Language and time ------------------------------------------------------

LANGUAGE_CODE = "vi"
# Each language is named in itself, as a language switcher shows it.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsroom.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
NEWSROOM_SERVE_MEDIA = env_bool("NEWSROOM_SERVE_MEDIA", DEBUG)

# Media on the local disk by default; on S3-compatible object storage
# (django-storages) when NEWSROOM_S3_BUCKET is set. Names of renditions change
# with their content, so they are served with a one-year cache lifetime.
NEWSROOM_S3_BUCKET = env_str("NEWSROOM_S3_BUCKET", "")
if NEWSROOM_S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": NEWSROOM_S3_BUCKET,
            "endpoint_url": env_str("NEWSROOM_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("NEWSROOM_S3_REGION", "") or None,
            "access_key": env_str("NEWSROOM_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("NEWSROOM_S3_SECRET_KEY", "") or None,
            "custom_domain": env_str("NEWSROOM_MEDIA_DOMAIN", "") or None,
            "location": env_str("NEWSROOM_S3_PREFIX", "media"),
            # Pages link the files by name: readable by anyone with the name
            # (content hashes, nothing to guess), listable by nobody. A bucket
            # with ACLs turned off (AWS's default) takes NEWSROOM_S3_ACL="" and
            # a bucket policy that lets anyone read its objects.
            "default_acl": env_str("NEWSROOM_S3_ACL", "public-read") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {
                "CacheControl": "public, max-age=31536000, immutable"
            },
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "newsroom.staticfiles.StaticFilesStorage"
        )
    },
}

# --- Rich-text editor (CKEditor 5) ------------------------------------------

from articles.editor import CKEDITOR_5_CONFIGS  # noqa: E402, F401

# Uploads from the editor go to our own view (articles.admin.views.photo_upload):
# staff with the add-photo permission, images checked by Pillow, a Photo row.
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "photo_upload"
CKEDITOR_5_USER_LANGUAGE = True  # the editor speaks the user's language
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "gif", "webp"]

NEWSROOM_IMAGE_MAX_BYTES = env_int("NEWSROOM_IMAGE_MAX_BYTES", 20 * 1024 * 1024)
NEWSROOM_IMAGE_MAX_PIXELS = env_int("NEWSROOM_IMAGE_MAX_PIXELS", 50_000_000)
# Widths of the renditions readers get (never wider than the original).
NEWSROOM_RENDITION_WIDTHS = [
    int(w)
    for w in env_list(
        "NEWSROOM_RENDITION_WIDTHS", ["320", "640", "960", "1280", "1920"]
    )
]


# Cropped renditions, per use: name → width:height and widths. Each crop keeps
# the photo's focal point (an editor's click) in frame, else its centre.
# NEWSROOM_CROPS="the=16:9:320,640;vuong=1:1:160,320" replaces the set.
def _crops(value: str) -> dict:
    crops = {}
    for part in filter(None, value.split(";")):
        name, spec = part.split("=", 1)
        ratio_w, ratio_h, widths = spec.split(":")
        crops[name.strip()] = {
            "ratio": (int(ratio_w), int(ratio_h)),
            "widths": [int(w) for w in widths.split(",")],
        }
    return crops


NEWSROOM_CROPS = _crops(
    env_str(
        "NEWSROOM_CROPS", "the=16:9:320,640,960;vuong=1:1:160,320;ngang=4:3:320,640"
    )
)
# Django refuses request bodies larger than this before our check runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Newsroom ---------------------------------------------------------------

NEWSROOM_SITE_NAME = env_str("NEWSROOM_SITE_NAME", "Tin tức Chính phủ")
# The site's images: a logo (JSON-LD publisher, 600×60 at most), the share
# image of pages and stories without a photo (1200×630), the favicon. Each a
# static path or an absolute address, with its size as WIDTHxHEIGHT.
NEWSROOM_LOGO = env_str("NEWSROOM_LOGO", "brand/logo.png")
NEWSROOM_LOGO_SIZE = env_str("NEWSROOM_LOGO_SIZE", "600x60")
NEWSROOM_SHARE_IMAGE = env_str("NEWSROOM_SHARE_IMAGE", "brand/share.png")
NEWSROOM_SHARE_IMAGE_SIZE = env_str("NEWSROOM_SHARE_IMAGE_SIZE", "1200x630")
NEWSROOM_FAVICON = env_str("NEWSROOM_FAVICON", "brand/favicon.ico")
# Whole-page cache for anonymous readers; 0 turns it off. See newsroom/pagecache.py.
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 60)
NEWSROOM_GENERATION_FILE = env_str(
    "NEWSROOM_GENERATION_FILE", str(BASE_DIR / "var" / "content-generation")
)
NEWSROOM_SITE_URL = env_str("NEWSROOM_SITE_URL", "")  # e.g. https://tintuc.example.vn
# Edge caches in front of the app servers (newsroom/edge.py), purged by tag
# after each commit: NEWSROOM_EDGE_VARNISH="http://10.0.0.5:6081,…" (Varnish
# with xkey, deploy/varnish/newsroom.vcl); NEWSROOM_EDGE_PURGE_URL (a generic
# PURGE or BAN: _METHOD, and _HEADER with the tags); NEWSROOM_EDGE_CLOUDFLARE_
# ZONE and _TOKEN. Public pages say an edge may keep them NEWSROOM_EDGE_SECONDS.
NEWSROOM_EDGE = {}
if env_str("NEWSROOM_EDGE_VARNISH", ""):
    NEWSROOM_EDGE["varnish"] = {
        "BACKEND": "newsroom.edge.Varnish",
        "LOCATIONS": env_list("NEWSROOM_EDGE_VARNISH", []),
    }
if env_str("NEWSROOM_EDGE_PURGE_URL", ""):
    NEWSROOM_EDGE["http"] = {
        "BACKEND": "newsroom.edge.HTTPPurge",
        "URL": env_str("NEWSROOM_EDGE_PURGE_URL", ""),
        "METHOD": env_str("NEWSROOM_EDGE_PURGE_METHOD", "PURGE"),
        "HEADER": env_str("NEWSROOM_EDGE_PURGE_HEADER", "Surrogate-Key"),
    }
if env_str("NEWSROOM_EDGE_CLOUDFLARE_ZONE", ""):
    NEWSROOM_EDGE["cloudflare"] = {
        "BACKEND": "newsroom.edge.Cloudflare",
        "ZONE": env_str("NEWSROOM_EDGE_CLOUDFLARE_ZONE", ""),
        "TOKEN": env_str("NEWSROOM_EDGE_CLOUDFLARE_TOKEN", ""),
    }
NEWSROOM_EDGE_SECONDS = env_int("NEWSROOM_EDGE_SECONDS", 3600 if NEWSROOM_EDGE else 0)
# Story cards are kept in the cache
# under the content generation, at most this long (articles/cards.py).
NEWSROOM_FRAGMENT_SECONDS = env_int("NEWSROOM_FRAGMENT_SECONDS", 3600)
# A list page's count and ids (sections, days, authors, topics) are kept this
# long at most: a story scheduled for later joins its lists within it.
NEWSROOM_LIST_SECONDS = env_int("NEWSROOM_LIST_SECONDS", 30)
# Feeds (import_articles --format feed, poll_feeds): seconds to wait for an
# answer, and the largest feed read.
NEWSROOM_FEED_TIMEOUT = env_int("NEWSROOM_FEED_TIMEOUT", 20)
NEWSROOM_FEED_MAX_BYTES = env_int("NEWSROOM_FEED_MAX_BYTES", 10 * 1024 * 1024)
# "Đọc nhiều" (articles/reads.py): each worker writes its read counts at most
# this often; the list is rebuilt at most this often.
NEWSROOM_READS_FLUSH_SECONDS = env_int("NEWSROOM_READS_FLUSH_SECONDS", 30)
NEWSROOM_READS_LIST_SECONDS = env_int("NEWSROOM_READS_LIST_SECONDS", 300)

# The desk (articles/desk.py): the editor autosaves every few seconds of
# change; unsaved working copies are kept this many days; a story's edit lock
# lapses when its page has sent no heartbeat for this long.
NEWSROOM_AUTOSAVE_SECONDS = env_int("NEWSROOM_AUTOSAVE_SECONDS", 5)
NEWSROOM_WORKING_COPY_DAYS = env_int("NEWSROOM_WORKING_COPY_DAYS", 14)
NEWSROOM_LOCK_SECONDS = env_int("NEWSROOM_LOCK_SECONDS", 40)

# E-mail to the desk (a story submitted, returned, assigned, taken over):
# printed to the console in development, sent through SMTP otherwise.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_EMAIL_FROM", "toa-soan@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}

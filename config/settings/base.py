"""Settings shared by every environment. Safe by default: DEBUG is off and
everything environment-specific comes from environment variables."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps, lowest first (see README: imports point up this list, never down).
    "privatefiles",
    "outbox",
    "search",
    "departments",
    "accounts",
    "quizzes",
    "studytime",
    "courses",
    "assignments",
    "reports",
    "hours",
    "certificates",
    "notifications",
    "privacy",
    "records",
    "home",
    "demo",
    "operations",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.AccountsUsersAppConfig",  # wagtail.users with our user views (accounts/viewsets.py)
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: the request id and the request's log line cover everything below (config.logs).
    "config.logs.RequestLogMiddleware",
    # Each request's own store of cache values read ahead for it (config.cache.read_ahead).
    "config.cache.ReadAheadMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The request's Wagtail Site from the cache instead of a query per request (home.sites).
    "home.middleware.CachedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with sessions of its ModelBackend moved to accounts.backends (the same, cheaper to read).
    "accounts.middleware.AuthenticationMiddleware",
    # Signed-in pages are never stored by a shared cache or the back button (private, no-store).
    "accounts.middleware.PrivateCacheMiddleware",
    "accounts.middleware.AbsoluteSessionLifetimeMiddleware",
    "accounts.middleware.IdleSessionTimeoutMiddleware",
    # Records which session a person is signed in with, so deactivating them ends it.
    "accounts.middleware.SessionRecordMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After the two above, so Wagtail's previews may be framed by the admin (and only they).
    "config.middleware.PreviewFramingMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes must be last: it turns a lockout signalled by the backend into a response.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "notifications.context_processors.unread_notifications",
            ],
            # Site-wide template libraries for every app's templates: the components
            # (config/components.py) and the language filters (plural forms, the language of content).
            "libraries": {"components": "config.components", "language": "config.language_tags"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The Wagtail editor writes from several requests at once (autosave, the preview's form state,
    # editing-session pings). SQLite refuses a deferred transaction that has to upgrade to a write
    # lock while another holds one ("database is locked", a 500 in the editor): take the write lock
    # when the transaction begins and wait for it instead.
    # https://docs.djangoproject.com/en/5.2/ref/databases/#database-is-locked-errors
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
elif env_bool("DATABASE_PREPARED_STATEMENTS", True):
    # PostgreSQL parses and plans every statement again; on a page that reads little else that is
    # most of the database's CPU (issue 17: a lesson's routing read cost the server about 0.6 ms,
    # the About page's 0.2 ms). With server-side binding psycopg prepares a statement a connection
    # has run prepare_threshold times and then only executes it (persistent connections,
    # DATABASE_CONN_MAX_AGE, keep them). Never behind a connection pooler in transaction mode,
    # which may hand a prepared statement's next run to another server connection: there =0.
    # https://docs.djangoproject.com/en/5.2/ref/databases/#server-side-parameters-binding
    # A statement with more parameters than the protocol carries is bound on the client (config.database).
    from config.database import ServerBindingUnlessTooMany

    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5, "cursor_factory": ServerBindingUnlessTooMany}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out account or address is refused before the password is checked.
    "accounts.backends.AxesBackend",
    # Django's ModelBackend, reading the signed-in person in plain SQL on every request (issue 17).
    "accounts.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Failed logins are throttled per account and, separately, per address
# (https://django-axes.readthedocs.io/en/latest/4_configuration.html).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
# The client's address behind reverse proxies (accounts.client_address, one rule for axes and the
# audit trail): the number of proxies that append to X-Forwarded-For, and optionally the proxies'
# own addresses or networks (the header is then read only from them). django-ipware is not
# installed, so axes' AXES_IPWARE_* settings would have no effect; axes asks our callable instead.
# https://django-axes.readthedocs.io/en/latest/4_configuration.html#configuring-reverse-proxies
TRUSTED_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))
TRUSTED_PROXY_IPS = env_list("TRUSTED_PROXY_IPS")
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_ip"

# Sessions: HTTP-only, and ended after this many seconds without a request
# (accounts.middleware.IdleSessionTimeoutMiddleware refreshes the expiry at most once a minute).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_TIMEOUT", "1800"))
# And ended this many seconds after signing in, however active (accounts.middleware.
# AbsoluteSessionLifetimeMiddleware): a session left open on a shared office computer ends the same day.
SESSION_ABSOLUTE_LIFETIME = int(os.environ.get("SESSION_ABSOLUTE_LIFETIME", str(12 * 60 * 60)))
# Pages warn this many seconds before the idle timeout and offer "stay signed in".
SESSION_IDLE_WARNING_SECONDS = int(os.environ.get("SESSION_IDLE_WARNING", "120"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
# Sessions are read from the cache and written through to the database.
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.cached_db")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Only Wagtail's previews may be framed (config.middleware.PreviewFramingMiddleware).

# Content-Security-Policy for the learner-facing site: no inline script or style anywhere.
# The Wagtail admin is excluded because it relies on inline styles it does not let us nonce.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF, *env_list("CSP_MEDIA_HOSTS")],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language for the whole site (config/formats).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Every file with personal data (exports, uploads, offline-training evidence, certificates) lives
# here, outside MEDIA_ROOT, and is sent only by views that check who asks (privatefiles).
PRIVATE_ROOT = Path(os.environ.get("DJANGO_PRIVATE_ROOT", BASE_DIR / "private"))
# Set to an nginx `internal` location that maps to PRIVATE_ROOT (e.g. "/_private/") to let nginx
# send private files after the view's check; empty: Django streams them. See the README.
PRIVATE_FILES_X_ACCEL_REDIRECT = os.environ.get("PRIVATE_FILES_X_ACCEL_REDIRECT", "")
# The same for CMS images: an nginx `internal` location mapped to MEDIA_ROOT (e.g. "/_media/"),
# used after courses.views.cms_image_view has checked who asks. See the README.
MEDIA_FILES_X_ACCEL_REDIRECT = os.environ.get("MEDIA_FILES_X_ACCEL_REDIRECT", "")
# Days a finished report export is kept, and an uploaded import file (people, questions) or an
# unconfirmed dry run; records.tasks.apply_retention deletes them after that.
EXPORT_RETENTION_DAYS = int(os.environ.get("EXPORT_RETENTION_DAYS", "7"))
UPLOAD_RETENTION_DAYS = int(os.environ.get("UPLOAD_RETENTION_DAYS", "30"))
# Uploads (privatefiles.uploads): the most bytes of a learner's attachment or an import file; the
# most pixels of any uploaded image, read from its header before anything decodes it (a 50-million
# pixel image takes about 150 MB to open; a 30,000 x 30,000 PNG of 100 KB would take 900 MB);
# the most a ZIP-based file (xlsx, docx) may unpack to, read from its directory.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_MAX_IMAGE_PIXELS = 50_000_000
UPLOAD_MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
# A report export or "My data" archive waiting or running with no progress for this many minutes
# was lost with its worker: it is marked failed (its page says so) and may be requested again
# (privatefiles.jobs). Progress is recorded every 1% of an export's rows, so a live job never
# goes this long without it.
FILE_JOB_STALE_MINUTES = int(os.environ.get("FILE_JOB_STALE_MINUTES", "30"))
# Whom learners ask about their personal data, named in the privacy notice (/privacy/): the office
# that runs the platform, in Chinese and English; an address and a telephone number if set.
PRIVACY_CONTACT = {
    "name": ("市信息化办公室", "Municipal Informatization Office"),
    "email": os.environ.get("PRIVACY_CONTACT_EMAIL", ""),
    "phone": os.environ.get("PRIVACY_CONTACT_PHONE", ""),
}

# Days after a person is deactivated (left) before accounts.tasks.anonymise_leavers replaces their
# personal fields; their learning records (grades, hours, progress, certificates) stay (PIPL).
LEAVER_RETENTION_DAYS = int(os.environ.get("LEAVER_RETENTION_DAYS", "365"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# config.cache.TolerantRedisCache: a Redis that does not answer is a cache miss, not a failed
# request (the site's cached rows can all be read from the database); short socket timeouts so a
# Redis that is unreachable (not just refusing) does not hold requests either.
_CACHE = (
    {
        "BACKEND": "config.cache.TolerantRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if os.environ.get("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
)
# Wagtail looks image renditions up in the "renditions" cache before the database.
# "fragments": rendered page bodies, in each process's own memory. Their keys name the page's
# publication and the language, so an entry never changes; a read costs no round trip to Redis.
_FRAGMENTS = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
CACHES = {"default": _CACHE, "renditions": {**_CACHE, "KEY_PREFIX": "renditions"}, "fragments": _FRAGMENTS}

# Celery: a real broker when CELERY_BROKER_URL is set, otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
# No task may be lost with its worker. Every task of ours (accounts.people_import_run and
# anonymise_leavers, assignments.roll_over_assignments, certificates.render_certificate_pdf,
# courses.recompute_course_progress, notifications.*, privacy.build_archive,
# quizzes.finalise_overdue_attempts, records.*, reports.refresh_* and run_export,
# studytime.flush_study_time) is idempotent, so
# they are all acknowledged only once they have run (acks_late) and given back to the broker when
# the process running them dies (reject_on_worker_lost) rather than acknowledged as failed. A file
# job (export, archive) redelivered after its claim does nothing (it claims only a queued row)
# and is expired by the stale rule (FILE_JOB_STALE_MINUTES); summaries a lost refresh left wrong
# are found by records.tasks.reconcile_summaries.
# https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-reject-on-worker-lost
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A worker that loses the broker connection stops its running tasks: they are redelivered anyway
# (not acknowledged yet), and running them twice at once would only waste the time.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Redis gives an unacknowledged task to another worker after visibility_timeout seconds: that is
# how a task whose worker was killed (-9, OOM, a lost machine) comes back. It must be longer than
# the longest task (run_export: time_limit 3600 s), or a task still running would be started a
# second time. https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html#visibility-timeout
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "7200"))}
# A department summary's refresh runs this many seconds after the change that queued it; the
# pair's further changes meanwhile queue nothing (reports.SummaryRefreshDue). Heads see a
# learner's result that much later; on exam day a department's many grades cost one refresh.
SUMMARY_REFRESH_DELAY_SECONDS = float(os.environ.get("SUMMARY_REFRESH_DELAY_SECONDS", "5"))
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

WAGTAIL_SITE_NAME = _("City E-Government Training")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's database backend (PostgreSQL tsvector / SQLite FTS5) with Chinese segmentation (README: Search).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend"}}
# Documents are always sent by Wagtail's view, which applies the collection's privacy settings;
# "redirect" or "direct" would hand out the /media/ address and skip them. The web server must not
# serve /media/documents/ itself (README). https://docs.wagtail.org/en/stable/reference/settings.html
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Every document is sent as a download (Content-Disposition: attachment), a PDF too: opened inline
# it would run in our origin's viewer. https://docs.wagtail.org/en/stable/reference/settings.html
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
# The admin's upload forms run privatefiles.uploads (type by content, size, pixels) first.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "privatefiles.forms.CheckedDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "privatefiles.forms.CheckedImageForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = UPLOAD_MAX_IMAGE_PIXELS
# Renditions stay under MEDIA_ROOT/images/, but their URLs lead to the checked view
# (courses.views.cms_image_view): the web server no longer publishes images.
WAGTAILIMAGES_RENDITION_STORAGE = "courses.image_storage.CheckedRenditionStorage"

# Optional: media and private files in an S3-compatible object store (django-storages), for
# several application machines without a shared folder. Two buckets, neither public: media
# (AWS_STORAGE_BUCKET_NAME: images, documents, avatars) and private files
# (PRIVATE_STORAGE_BUCKET_NAME, privatefiles.s3). Credentials from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY. https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "filesystem")
if STORAGE_BACKEND == "s3":
    AWS_STORAGE_BUCKET_NAME = os.environ["AWS_STORAGE_BUCKET_NAME"]
    PRIVATE_STORAGE_BUCKET_NAME = os.environ["PRIVATE_STORAGE_BUCKET_NAME"]
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None  # e.g. the city's MinIO
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME", "us-east-1")
    # Path-style addresses (endpoint/bucket/key): what on-premises S3-compatible servers expect.
    AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE", "path")
    AWS_DEFAULT_ACL = None  # objects inherit the bucket's (private) policy
    AWS_QUERYSTRING_AUTH = True  # a media URL (an avatar) is presigned and expires
    AWS_S3_FILE_OVERWRITE = False  # two uploads of the same name keep both, as on disk
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    WAGTAILIMAGES_RENDITION_STORAGE = "courses.image_storage_s3.CheckedRenditionS3Storage"
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# The admin makes no request outside this site (the government network cannot reach the internet,
# and nothing about who uses the admin should leave it): no check for new Wagtail releases, no
# Gravatar pictures (initials instead), no oEmbed look-ups (lessons play videos from the city's own
# server), no "what's new" banner pointing at Wagtail's online guide.
# https://docs.wagtail.org/en/stable/reference/settings.html
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILEMBEDS_FINDERS: list[dict] = []
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# JSON lines on stderr with the request or task id (config.logs); DJANGO_LOG_FORMAT=text for a
# developer's console. One INFO line per request (egov.request) unless DJANGO_REQUEST_LOG_LEVEL says less.
LOGGING = logging_config(
    level=os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    request_level=os.environ.get("DJANGO_REQUEST_LOG_LEVEL", "INFO"),
    json_lines=os.environ.get("DJANGO_LOG_FORMAT", "json") != "text",
)
# The worker keeps these logs instead of installing Celery's own format on the root logger.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs for `celery -A config beat`.
CELERY_BEAT_SCHEDULE = {
    # Proof of life for /health/ready and `manage.py doctor`: beat sent it and a worker ran it
    # within the last few minutes (operations.health.BEAT_ALIVE_SECONDS; one cache write).
    "beat-alive": {"task": "operations.beat_alive", "schedule": 60.0},
    # An attempt left open past its deadline is graded from its autosaved answers. Every minute
    # keeps the wait short; the job is idempotent, so an overlapping run changes nothing.
    "finalise-overdue-quiz-attempts": {"task": "quizzes.tasks.finalise_overdue_attempts", "schedule": 60.0},
    # Jobs the broker refused when a request enqueued them (outbox.services.enqueue_on_commit)
    # are sent once it answers again. Every minute; a run with nothing waiting is one query.
    "drain-task-outbox": {"task": "outbox.tasks.drain_outbox", "schedule": 60.0},
    # Required learning: open the next cycle of yearly assignments whose due date has passed.
    # Daily is enough (a cycle opens the day after its due date); the job is idempotent.
    "roll-over-yearly-assignments": {"task": "assignments.tasks.roll_over_assignments", "schedule": 24 * 60 * 60.0},
    # Reports: people become overdue when a due date passes, which changes no row; refresh the
    # stored overdue figures that are stale. Hourly keeps the reports right soon after midnight
    # (and after a missed run); a run with nothing stale costs two grouped queries.
    "refresh-overdue-report-figures": {"task": "reports.tasks.refresh_overdue_summaries", "schedule": 60 * 60.0},
    # Reminders of required courses (REMINDER_DAYS): once a day, in the morning of CELERY_TIMEZONE
    # so the e-mail is there when people start work. Idempotent: a re-run sends nothing twice.
    "send-due-reminders": {"task": "notifications.tasks.send_due_reminders", "schedule": crontab(hour=8, minute=0)},
    # Heads' digest of their overdue people: Monday morning, the start of the working week.
    # Once per head and ISO week, so a re-run (or a run on another day) sends nothing more.
    "send-overdue-digests": {
        "task": "notifications.tasks.send_overdue_digests",
        "schedule": crontab(hour=8, minute=30, day_of_week="mon"),
    },
    # Retention: exports after EXPORT_RETENTION_DAYS, uploads and unconfirmed dry runs after
    # UPLOAD_RETENTION_DAYS. Daily, at night when nobody is downloading; idempotent.
    "apply-retention": {"task": "records.tasks.apply_retention", "schedule": crontab(hour=3, minute=15)},
    # Leavers: anonymise the personal fields of people deactivated more than LEAVER_RETENTION_DAYS
    # ago. Daily, at night; idempotent (an anonymised person is not picked again).
    "anonymise-leavers": {"task": "accounts.tasks.anonymise_leavers", "schedule": crontab(hour=3, minute=30)},
    # Department summaries a lost or failed refresh left wrong (a worker killed before Redis gives
    # its task back, a bug): recomputed from the raw rows (six grouped queries, well under a second
    # for a city) and only the wrong pairs repaired and logged. Every 15 minutes bounds how long a
    # head sees a wrong figure; idempotent, and a clean run writes nothing.
    "reconcile-department-summaries": {"task": "records.tasks.reconcile_summaries", "schedule": 15 * 60.0},
    # Study time: the heartbeats' credit, accumulated in Redis (or the cache), written to the
    # database. Every minute bounds what a crash of the ledger could take; idempotent and exact.
    "flush-study-time": {"task": "studytime.tasks.flush_study_time", "schedule": 60.0},
}

# Reminders (notifications): days before the due date (negative: after it) on which a learner
# with an open required course is reminded: a week and a day before, on the day, 3 and 7 days late.
REMINDER_DAYS = [7, 1, 0, -3, -7]
# A reminder day missed by at most this many days (beat down, a deploy) is made up; older ones are
# dropped rather than sent in a burst, and of several due only the latest is sent.
REMINDER_CATCH_UP_DAYS = 1
# An e-mail that failed is retried by the next daily runs, up to this many attempts in all, for
# this many days after its notification was created; the notification itself is always on the site.
NOTIFICATION_EMAIL_MAX_ATTEMPTS = 3
NOTIFICATION_EMAIL_RETRY_DAYS = 3
# Links in e-mails are made absolute with this address (the learner site, not only the admin).
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", WAGTAILADMIN_BASE_URL)

# E-mail: SMTP when EMAIL_HOST is set, otherwise printed to the console (development, demo).
# https://docs.djangoproject.com/en/5.2/topics/email/
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 30  # seconds: a hung mail server must not hold the reminder job
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "training@localhost")

# Seconds after a quiz deadline during which answers are still accepted (network delay, slow submit).
QUIZ_GRACE_SECONDS = int(os.environ.get("QUIZ_GRACE_SECONDS", "30"))

# Study time (studytime): what a step asks for before "Mark as done", and how heartbeats count.
# "enforce" refuses "Mark as done" before the step's minimum; "record-only" records time and refuses nothing.
STUDY_TIME_MODE = os.environ.get("STUDY_TIME_MODE", "enforce")
# Reading speeds for a step's minimum, a little above the measured average silent reading speeds
# (about 255 Chinese characters and 238 English words a minute; Trauzettel-Klosinski et al. 2012,
# Brysbaert 2019): someone who reads the text reaches the minimum, someone who skims it does not.
STUDY_TIME_ZH_CHARS_PER_MINUTE = 300
STUDY_TIME_EN_WORDS_PER_MINUTE = 250
# A visible page beats every STUDY_TIME_BEAT_SECONDS while the person was active (input, scroll,
# a playing video) within the last STUDY_TIME_IDLE_SECONDS: two minutes covers reading a screen
# of text (about 600 characters at 300 a minute) without touching anything.
STUDY_TIME_BEAT_SECONDS = 30
STUDY_TIME_IDLE_SECONDS = 120
# A page-view token is good for as long as the longest session (SESSION_ABSOLUTE_LIFETIME).
STUDY_TIME_TOKEN_MAX_AGE = SESSION_ABSOLUTE_LIFETIME
# Heartbeats accumulate in Redis when there is one (studytime.ledger); without it, in the default cache.
STUDY_TIME_REDIS_URL = os.environ.get("REDIS_URL", "")
STUDY_TIME_KEY_PREFIX = "studytime"
# The heads' integrity report (hours.integrity). Many courses in one sitting: at least this many
# completed within this many minutes.
STUDY_TIME_SITTING_COURSES = 3
STUDY_TIME_SITTING_MINUTES = 120
# Overlapping sessions: at least this many minutes in one day during which a person's page views
# were active at once (two screens, two devices; a visible but unread page goes idle in two minutes).
STUDY_TIME_OVERLAP_MINUTES = 10
# Machine-regular heartbeats: at least this many steady beats on a course whose gaps spread (standard
# deviation) less than this. The pages' timer adds up to ±10 % of jitter (about 1.7 s at 30 s), and
# networks and timers alone spread tens of milliseconds; a script's sleep loop spreads a few.
STUDY_TIME_REGULAR_MIN_GAPS = 20
STUDY_TIME_REGULAR_MAX_SPREAD_MS = 250

# Credit hours (学时): rules differ by city, so they are settings (hours.services.hour_rules).
HOURS_ANNUAL_TARGET = 50
# (minimum estimated minutes, hours): a course of at least that length earns those hours.
HOURS_LENGTH_BANDS = [(30, "1"), (15, "0.5"), (0, "0.25")]
# Added once per course when its final exam is passed.
HOURS_FINAL_QUIZ_BONUS = "0.5"
# Use the trainer's CoursePage.credit_hours when above 0; otherwise the length bands.
HOURS_USE_COURSE_VALUE = True
# A course completion earns its hours only when the person's verified active time on the course
# reaches this share of the course's expected time (CoursePage.estimated_minutes); below it the
# entry waits for the head's review. 0.5, not 1: the estimate is the trainer's figure for an
# average learner, fast readers and people who know the subject finish sooner, quiz steps are
# not timed yet, and each lesson step already asks for its reading time before "Mark as done".
# Half still catches a course clicked through in minutes. 0 switches the rule off.
STUDY_TIME_HOURS_SHARE = float(os.environ.get("STUDY_TIME_HOURS_SHARE", "0.5"))
# The integrity report's "many courses in one sitting": this many completions within these minutes.
STUDY_TIME_SITTING_COURSES = 3
STUDY_TIME_SITTING_MINUTES = 120

# Certificates: PDFs are private files (PRIVATE_ROOT) sent by the owner-checked download view;
# the QR code points to SITE_BASE_URL.
# The issuing body printed on certificates (Chinese, English).
CERTIFICATE_ISSUER = ("市信息化办公室", "Municipal Informatization Office")

# Optional error reporting: set SENTRY_DSN (and SENTRY_ENVIRONMENT) to send unhandled errors of the
# web processes and the Celery workers to Sentry. No personal data is sent (send_default_pii off:
# no names, e-mail addresses, cookies or request bodies; a person is their user id in our logs).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=0.0,
    )

"""Test settings: fast hasher, local memory cache, plain static storage, fixed secret.

The database and broker still come from DATABASE_URL / CELERY_BROKER_URL so CI runs on
PostgreSQL and Redis. Tasks run eagerly unless a test starts a real worker."""

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "renditions"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
AXES_FAILURE_LIMIT = 5
WAGTAILADMIN_BASE_URL = "http://testserver"
# Private files go to an ignored test folder beside the test media, never into the checkout's private/.
PRIVATE_ROOT = BASE_DIR / ".test-private"  # noqa: F405
PRIVATE_FILES_X_ACCEL_REDIRECT = ""
# The request lines are tested where they matter (tests/config/test_logs.py), not printed for every test request.
LOGGING["loggers"]["egov.request"]["level"] = "WARNING"  # noqa: F405
# Existing tests complete steps at once, as a trainer's preview or a fixture does; the study-time
# tests switch enforcement on (tests/studytime). Heartbeats go to the local-memory cache.
STUDY_TIME_MODE = "record-only"
STUDY_TIME_REDIS_URL = ""
MEDIA_FILES_X_ACCEL_REDIRECT = ""
# Existing tests complete courses without study time; the tests of the rule set a share (tests/hours).
STUDY_TIME_HOURS_SHARE = 0

"""Local development: `make run`. Debug pages and a fixed, non-secret key."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"  # noqa: F405, S105
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Plain log lines for a developer's console (runserver prints its own request lines).
LOGGING = logging_config(  # noqa: F405
    level=os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),  # noqa: F405
    request_level=os.environ.get("DJANGO_REQUEST_LOG_LEVEL", "WARNING"),  # noqa: F405
    json_lines=os.environ.get("DJANGO_LOG_FORMAT", "text") == "json",  # noqa: F405
)

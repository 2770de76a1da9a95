from django.conf import settings
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from operations import health

urlpatterns = [
    # For load balancers and monitoring: no login, JSON, never cached (operations.health).
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("accounts.urls")),
    path("learn/", include("courses.urls")),
    path("study/", include("studytime.urls")),
    path("quiz/", include("quizzes.urls")),
    path("assignments/", include("assignments.urls")),
    path("reports/", include("reports.urls")),
    path("hours/", include("hours.urls")),
    path("certificates/", include("certificates.urls")),
    path("notifications/", include("notifications.urls")),
    path("privacy/", include("privacy.urls")),
    # Translations for static/js (the djangojs catalogue). Pages add ?lang=<code> so a browser
    # keeps one cached copy per language.
    path(
        "jsi18n/",
        cache_control(public=True, max_age=3600)(JavaScriptCatalog.as_view(domain="djangojs")),
        name="javascript-catalog",
    ),
]

if settings.DEBUG:
    from config.media import media_urlpatterns

    urlpatterns += media_urlpatterns()

urlpatterns += [path("", include(wagtail_urls))]

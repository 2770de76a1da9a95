"""The site's URLs plus /media/ served from MEDIA_ROOT, as the web server publishes it in
production, so a test can ask for a file by its old public address and be sure a 404 means the
file is not there (not merely that DEBUG is off)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from config.urls import urlpatterns as site_urlpatterns


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *site_urlpatterns]

"""/media/ as the web server publishes it (the README's nginx configuration): MEDIA_ROOT except
the folders whose files go only through views that check who asks: documents/ (Wagtail's
document view) and images/ and original_images/ (courses.views.cms_image_view). The DEBUG
server and the tests that stand in for the web server use this, so neither publishes more."""

import posixpath
import re

from django.conf import settings
from django.http import Http404
from django.urls import re_path
from django.views.static import serve

UNPUBLISHED_MEDIA = frozenset({"documents", "images", "original_images"})


def media(request, path: str):
    # Normalised as django.views.static.serve does, so "./images/x" cannot slip past.
    normalised = posixpath.normpath(path).lstrip("/")
    if normalised.split("/", 1)[0] in UNPUBLISHED_MEDIA:
        raise Http404
    return serve(request, normalised, document_root=settings.MEDIA_ROOT)


def media_urlpatterns() -> list:
    return [re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", media)]

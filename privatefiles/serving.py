"""The one way a private file leaves the server. The caller has already decided that this person
may have this file (ownership or scope, checked on this request); this only sends it, and
records the download in the audit trail (privatefiles.audit): who, which object, which file.

With PRIVATE_FILES_X_ACCEL_REDIRECT set (an nginx `internal` location, e.g. "/_private/"), the
answer is an empty response whose X-Accel-Redirect header tells nginx which file to send, so
gunicorn workers are not tied up streaming large exports. Otherwise Django streams the file.

CMS images (image_response) leave the same way, from MEDIA_ROOT (MEDIA_FILES_X_ACCEL_REDIRECT),
after courses.views.cms_image_view has decided who may see them."""

import mimetypes
from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header

from .audit import download_log
from .storage import PrivateFiles


def _accel_prefix(storage, setting: str) -> str:
    """nginx's internal location for this file, or "" for Django to stream it: nginx can send
    only files on this machine's disk, not objects in a bucket (STORAGE_BACKEND=s3)."""
    return getattr(settings, setting, "") if isinstance(storage, FileSystemStorage) else ""


def private_file_response(
    file, *, filename: str, content_type: str, downloaded_by, subject
) -> HttpResponse:
    """`file` is a FieldFile on the private storage; a missing file is a 404, not a 500.
    `downloaded_by` (the signed-in person) and `subject` (the saved object the file belongs to)
    are required: every personal file sent is in the audit trail. Always a download
    (Content-Disposition: attachment), never shown inline: an uploaded PDF or image opened in
    the browser would run in the site's origin, and the browser may not guess another type."""
    if not file or not isinstance(file.storage, PrivateFiles) or not file.storage.exists(file.name):
        raise Http404
    download_log(user=downloaded_by, instance=subject, filename=filename)
    prefix = _accel_prefix(file.storage, "PRIVATE_FILES_X_ACCEL_REDIRECT")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.name)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            file.storage.open(file.name, "rb"),
            as_attachment=True,
            filename=filename,
            content_type=content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    # Personal data: no shared cache keeps a copy, and the browser does not either.
    patch_cache_control(response, private=True, no_store=True)
    return response


# Raster types only: shown inline in an <img>, they run nothing (no SVG, whose scripts would run
# in our origin if opened directly); anything else is refused.
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"}
IMAGE_MAX_AGE = 3600


def image_response(file, *, shared: bool) -> HttpResponse:
    """A CMS image file (a rendition under MEDIA_ROOT) sent inline, for an <img>. `shared`: the
    caller's check passed for a visitor who is not signed in, so a shared cache may keep it;
    otherwise only this person's browser may (Cache-Control: private)."""
    content_type, _ = mimetypes.guess_type(file.name)
    if content_type not in IMAGE_TYPES or not file.storage.exists(file.name):
        raise Http404
    prefix = _accel_prefix(file.storage, "MEDIA_FILES_X_ACCEL_REDIRECT")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.name)
    else:
        response = FileResponse(file.storage.open(file.name, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    if shared:
        patch_cache_control(response, public=True, max_age=IMAGE_MAX_AGE)
    else:
        patch_cache_control(response, private=True, max_age=IMAGE_MAX_AGE)
    # The answer depends on who is signed in: a cache keys it by the session cookie.
    patch_vary_headers(response, ["Cookie"])
    return response


def private_file_view(view):
    """For the views that send a private file: anyone not signed in gets the same 404 as someone
    without the right to the file (no login redirect that would confirm the address exists).
    The view itself checks ownership or scope."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper

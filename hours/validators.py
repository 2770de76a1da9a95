"""Attachment checks for offline declarations: privatefiles.uploads decides by content (a JPEG,
a PNG or a PDF), size (UPLOAD_MAX_BYTES) and, for an image, pixel count before any decoding."""

from django.conf import settings

from privatefiles.uploads import validate_upload

ALLOWED_EXTENSIONS = (".jpg", ".jpeg", ".png", ".pdf")
CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}


def validate_attachment(upload) -> None:
    validate_upload(upload, extensions=ALLOWED_EXTENSIONS, max_bytes=settings.UPLOAD_MAX_BYTES)

"""Attachment checks for offline declarations: the content decides, not the name. An image must
be a JPEG or PNG that Pillow can verify; a PDF must start with "%PDF-"."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
ALLOWED_EXTENSIONS = (*IMAGE_FORMATS, ".pdf")
CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}


def validate_attachment(upload) -> None:
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("The attachment is larger than 5 MB."), code="too_large")
    extension = Path(upload.name or "").suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(_("Attach a JPG or PNG image or a PDF file."), code="wrong_type")
    upload.seek(0)
    if extension == ".pdf":
        header = upload.read(5)
        upload.seek(0)
        if header != b"%PDF-":
            raise ValidationError(_("This file is not a PDF document."), code="wrong_content")
        return
    try:
        with Image.open(upload) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("This file is not a JPG or PNG image."), code="wrong_content") from None
    finally:
        upload.seek(0)
    if found != IMAGE_FORMATS[extension]:
        raise ValidationError(_("This file is not a JPG or PNG image."), code="wrong_content")

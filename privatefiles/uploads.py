"""The one check every uploaded file passes before anything decodes it: learners' offline-training
attachments, the people and question imports, and CMS images and documents in the Wagtail admin.

Its content decides, not its name: the first bytes must be those of the kind its extension names
(a PNG that is really a PNG, an .xlsx that is really a ZIP); its size must be within the caller's
limit; an image's pixel count is read from its header and refused above UPLOAD_MAX_IMAGE_PIXELS
before any pixel is decoded (a 30,000 × 30,000 PNG weighs about 100 KB and would need 900 MB to
open); a ZIP-based file (xlsx, docx, …) is refused when its members would unpack to more than
UPLOAD_MAX_UNZIPPED_BYTES, read from its directory, not by unpacking it. Every refusal is a
ValidationError for the form, never an exception that reaches the person as a 500."""

import warnings
import zipfile
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# What the content must be for each extension we accept anywhere.
JPEG, PNG, GIF, WEBP, PDF, ZIP, TEXT = "jpeg", "png", "gif", "webp", "pdf", "zip", "text"
EXTENSION_KINDS = {
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".gif": GIF,
    ".webp": WEBP,
    ".pdf": PDF,
    ".xlsx": ZIP,
    ".docx": ZIP,
    ".pptx": ZIP,
    ".odt": ZIP,
    ".zip": ZIP,
    ".csv": TEXT,
    ".txt": TEXT,
    ".gift": TEXT,
    ".xml": TEXT,
}
IMAGE_KINDS = {JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WEBP: "WEBP"}  # kind -> Pillow's format name
HEAD_BYTES = 8192  # what is read to tell the kind (and, for text, to find binary bytes)


def sniff(head: bytes) -> str | None:
    """The kind of a file from its first bytes (None: none of ours, or text)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return ZIP
    return None


def _megabytes(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{size // 1024} KB"


def _names(extensions: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(extension.lstrip(".").upper() for extension in extensions))


def validate_upload(upload, *, extensions: Iterable[str], max_bytes: int) -> str:
    """Checks an uploaded file (Django's UploadedFile, or any file object with `name` and `size`)
    and returns its kind; raises ValidationError with code `too_large`, `wrong_type`,
    `wrong_content` or `too_many_pixels`. The file is left at its start."""
    extensions = [extension.lower() for extension in extensions]
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(limit)s.") % {"limit": _megabytes(max_bytes)}, code="too_large"
        )
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in extensions or extension not in EXTENSION_KINDS:
        raise ValidationError(
            _("Upload a file of one of these types: %(types)s.") % {"types": _names(extensions)}, code="wrong_type"
        )
    expected = EXTENSION_KINDS[extension]
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    found = sniff(head)
    wrong_content = ValidationError(
        _("This file is not a real %(type)s file: its content does not match its name.")
        % {"type": extension.lstrip(".").upper()},
        code="wrong_content",
    )
    if expected == TEXT:
        if found is not None or b"\x00" in head:
            raise wrong_content
    elif found != expected:
        raise wrong_content
    try:
        if expected in IMAGE_KINDS:
            _check_image(upload, pillow_format=IMAGE_KINDS[expected], wrong_content=wrong_content)
        elif expected == ZIP:
            _check_zip(upload, wrong_content=wrong_content)
    finally:
        upload.seek(0)
    return expected


def _check_image(upload, *, pillow_format: str, wrong_content: ValidationError) -> None:
    """Reads only the header (Pillow opens lazily) for the size, then verifies the structure
    without decoding the pixels."""
    limit = settings.UPLOAD_MAX_IMAGE_PIXELS
    with warnings.catch_warnings():
        # Pillow's own bomb guard warns, or raises above twice its limit; ours is lower and decides.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(upload) as image:
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
                if image.format != pillow_format:
                    raise wrong_content
                if width * height * frames > limit:
                    raise _too_many_pixels(width, height, limit)
                image.verify()
        except Image.DecompressionBombError:
            raise _too_many_pixels(None, None, limit) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise wrong_content from None


def _too_many_pixels(width: int | None, height: int | None, limit: int) -> ValidationError:
    if width is None:
        message = _("This image has too many pixels; the limit is %(limit)s million.") % {"limit": limit // 1_000_000}
    else:
        message = _("This image has too many pixels (%(width)s × %(height)s); the limit is %(limit)s million.") % {
            "width": width,
            "height": height,
            "limit": limit // 1_000_000,
        }
    return ValidationError(message, code="too_many_pixels")


def _check_zip(upload, *, wrong_content: ValidationError) -> None:
    """Reads the ZIP directory only: a file that would unpack to more than the limit is refused
    before a reader (openpyxl) inflates it."""
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise wrong_content from None
    if unpacked > settings.UPLOAD_MAX_UNZIPPED_BYTES:
        raise ValidationError(
            _("This file would unpack to more than %(limit)s.") % {"limit": _megabytes(settings.UPLOAD_MAX_UNZIPPED_BYTES)},
            code="too_large",
        )

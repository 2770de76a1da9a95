"""Where every file holding personal data is kept: PRIVATE_ROOT, a directory outside MEDIA_ROOT
(which the web server publishes at /media/). Nothing here has a URL: each file is read back only
by a view of its owning app that checks ownership or scope on every request and then answers
through privatefiles.serving.

Names are random tokens (about 256 bits), never derived from a time, a person or a code, so a
name that leaks (a log line, an X-Accel-Redirect header) does not lead to another file."""

import os
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

# Folders under PRIVATE_ROOT, one per kind of file.
EXPORTS = "exports"
PEOPLE_IMPORTS = "people-imports"
QUESTION_IMPORTS = "question-imports"
OFFLINE_EVIDENCE = "offline-evidence"
CERTIFICATES = "certificates"
DATA_ARCHIVES = "data-archives"


class PrivateFiles:
    """What every storage of private files is (the checks in privatefiles.serving ask for it)
    and the one rule they share: no URL, presigned or not."""

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them with privatefiles.serving.")


@deconstructible
class PrivateStorage(PrivateFiles, FileSystemStorage):
    # Readable by the application's user and group only (nginx joins the group for X-Accel-Redirect).
    def __init__(self):
        super().__init__(file_permissions_mode=0o640, directory_permissions_mode=0o750)

    # Read the setting on every use, not once at import, so tests can point it elsewhere.
    @property
    def base_location(self):
        return str(settings.PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


_storage: PrivateFiles | None = None


def private_storage() -> PrivateFiles:
    """The storage of every private FileField (a callable, so migrations name it, not a path):
    PRIVATE_ROOT, or with STORAGE_BACKEND=s3 a bucket of its own (privatefiles.s3)."""
    global _storage
    if _storage is None:
        if getattr(settings, "STORAGE_BACKEND", "filesystem") == "s3":
            from .s3 import PrivateS3Storage

            _storage = PrivateS3Storage()
        else:
            _storage = PrivateStorage()
    return _storage


def random_name(folder: str, original_name: str = "", *, suffix: str | None = None) -> str:
    """`<folder>/<token><suffix>`: the suffix is the original's extension (lower case) unless given."""
    if suffix is None:
        suffix = PurePosixPath(original_name).suffix.lower()
    return f"{folder}/{secrets.token_urlsafe(32)}{suffix}"

"""Where certificate PDFs are kept: a directory outside MEDIA_ROOT (the web server publishes
MEDIA_ROOT at /media/), read back only by the owner-checked download view."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class CertificateStorage(FileSystemStorage):
    def __init__(self):
        # A file is named after its certificate's code: a re-render replaces it in place.
        super().__init__(allow_overwrite=True)

    # Read the setting on every use, not once at import, so tests can point it elsewhere.
    @property
    def base_location(self):
        return str(settings.CERTIFICATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Certificate PDFs have no public URL; use certificates:download.")


_storage = CertificateStorage()


def certificate_storage() -> CertificateStorage:
    return _storage

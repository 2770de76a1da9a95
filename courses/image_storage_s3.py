"""Renditions in the media bucket (STORAGE_BACKEND=s3): the files are objects, their URLs still
the checked view (courses.image_storage), which streams them after its check; no presigned
address of a rendition is ever written into a page."""

from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage

from .image_storage import CheckedRenditionUrls


@deconstructible
class CheckedRenditionS3Storage(CheckedRenditionUrls, S3Storage):
    pass

"""Private files in an S3-compatible bucket (STORAGE_BACKEND=s3; README, "Object storage").

The bucket is its own (PRIVATE_STORAGE_BUCKET_NAME), never the media bucket, and is created
private: objects get no ACL (the bucket's policy decides, and it publishes nothing). The storage
gives no URL at all, not even a presigned one, so a file still leaves only through a view that
has checked who asks (privatefiles.serving streams it from the bucket)."""

from django.conf import settings
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage

from .storage import PrivateFiles


@deconstructible
class PrivateS3Storage(PrivateFiles, S3Storage):
    def __init__(self, **overrides):
        super().__init__(
            **{
                "bucket_name": settings.PRIVATE_STORAGE_BUCKET_NAME,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                **overrides,
            }
        )

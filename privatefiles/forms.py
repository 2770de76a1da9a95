"""The Wagtail admin's image and document forms with privatefiles.uploads in front
(WAGTAILIMAGES_IMAGE_FORM_BASE, WAGTAILDOCS_DOCUMENT_FORM_BASE): the single and multiple uploads
and the replacement of a file all build their forms from these bases."""

from django.conf import settings
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from .uploads import validate_upload


class CheckedImageForm(BaseImageForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            extensions = [f".{extension}" for extension in settings.WAGTAILIMAGES_EXTENSIONS]
            validate_upload(upload, extensions=extensions, max_bytes=settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
        return upload


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            extensions = [f".{extension}" for extension in settings.WAGTAILDOCS_EXTENSIONS]
            validate_upload(upload, extensions=extensions, max_bytes=settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
        return upload

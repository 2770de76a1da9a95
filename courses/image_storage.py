"""The storage of every image rendition (WAGTAILIMAGES_RENDITION_STORAGE): the files stay where
they were (MEDIA_ROOT/images/), but a rendition's URL is the checked view
(courses.views.cms_image_view), never /media/. Every `rendition.url` then leads there: the
`{% image %}` tag, rich-text embeds, the admin's thumbnails and its link to the original.

Wagtail loads this while the models are being built, so it imports nothing of the apps."""

from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils.deconstruct import deconstructible

RENDITIONS_FOLDER = "images/"  # Wagtail's AbstractRendition.get_upload_to
# The name Wagtail gives the stand-in rendition of an image whose original file is missing
# (wagtail.images.shortcuts.get_rendition_or_not_found): the page shows a broken image.
MISSING_ORIGINAL = "not-found"


class CheckedRenditionUrls:
    """A rendition's URL is the checked view, whatever storage keeps the file."""

    def url(self, name):
        # Only a name built from the database row is turned into a URL (no query: a page with
        # ten images costs no more than before).
        if name == MISSING_ORIGINAL:
            # The page still renders (a restored backup short of one file, a second server
            # without the shared folder): an address of the checked view that answers 404.
            return reverse("courses:cms_image", args=[MISSING_ORIGINAL])
        if not name or not name.startswith(RENDITIONS_FOLDER):
            raise ValueError(f"Not a rendition's file: {name!r}")
        return reverse("courses:cms_image", args=[name.removeprefix(RENDITIONS_FOLDER)])


@deconstructible
class CheckedRenditionStorage(CheckedRenditionUrls, FileSystemStorage):
    pass

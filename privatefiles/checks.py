"""PRIVATE_ROOT must not lie inside MEDIA_ROOT (published at /media/), nor contain it."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def private_root_outside_media_root(app_configs=None, **kwargs):
    private = Path(settings.PRIVATE_ROOT).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    if private == media or private.is_relative_to(media) or media.is_relative_to(private):
        return [
            Error(
                f"PRIVATE_ROOT ({private}) and MEDIA_ROOT ({media}) overlap.",
                hint="Files with personal data must live outside the folder the web server publishes.",
                id="privatefiles.E001",
            )
        ]
    return []

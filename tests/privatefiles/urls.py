"""The site's URLs plus /media/ published as the web server publishes it in production
(config.media: MEDIA_ROOT less the folders sent by checked views), so a test can ask for a file
by its old public address and be sure a 404 means the file is not published (not merely that
DEBUG is off)."""

from config.media import media_urlpatterns
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [*media_urlpatterns(), *site_urlpatterns]

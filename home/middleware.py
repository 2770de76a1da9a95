from wagtail.views import serve as serve_wagtail_page

from config.page_urls import builds_page_urls_marked

from .sites import site_for_request


class CachedSiteMiddleware:
    """Give Wagtail the Site of a page request from the cache (home.sites): Wagtail looks for it
    on the request (``request._wagtail_site``) before querying. Only for Wagtail's page view,
    which always needs it, and for the views marked with config.page_urls.builds_page_urls (they
    build page URLs, which need it); other views look it up as before if they ever need it.
    Listed after CommonMiddleware, so the host has passed ALLOWED_HOSTS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is serve_wagtail_page or builds_page_urls_marked(view_func):
            request._wagtail_site = site_for_request(request)
        return None

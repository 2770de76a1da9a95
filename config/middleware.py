"""Site-wide response headers that depend on how a response was produced."""

from csp.constants import SELF


class PreviewFramingMiddleware:
    """Let the Wagtail admin frame its previews, and nothing else.

    Wagtail renders a preview by running a made-up request for the page's own URL through the
    whole middleware stack (``make_preview_request``), so the preview gets the learner site's
    policy, ``frame-ancestors 'none'``, and the editor's preview panel stays blank: its
    ``X-Frame-Options: SAMEORIGIN`` cannot override CSP. Only those made-up preview requests
    (Wagtail marks them ``is_dummy`` and ``is_preview``; a real request cannot set attributes) may
    be framed, by the same origin. Listed after CSPMiddleware and XFrameOptionsMiddleware so it
    sees the response before they write their headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "is_dummy", False) and getattr(request, "is_preview", False):
            response._csp_replace = {**(getattr(response, "_csp_replace", None) or {}), "frame-ancestors": [SELF]}
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response

"""`@builds_page_urls`: a view that builds Wagtail page URLs (page.get_url(request)) gets the
request's Site from the cache (home.middleware.CachedSiteMiddleware), as page views do, instead
of Wagtail's query for it. Press Start on an exam and the redirect names the quiz step's URL."""


def builds_page_urls(view):
    view.builds_page_urls = True
    return view


def builds_page_urls_marked(view) -> bool:
    return getattr(view, "builds_page_urls", False)

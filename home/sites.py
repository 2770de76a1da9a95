"""The request's Wagtail Site, from the cache.

Wagtail finds the Site of every request with one query whose SQL (a CASE over hostname, port
and default) costs about a fifth of a plain page's CPU time (benchmarks/profile_pages.py), yet
sites change only when an administrator edits one. So the answer per host and port is kept in
the shared cache (Redis in production: every web process sees one answer) and dropped whenever
a Site or a page is saved, moved or deleted. Wagtail's own matching decides every answer that is
stored; nothing user-specific is cached, and page access checks still run on every request.

The home page comes with it as a HomePage whose own fields are deferred, so routing does not
fetch it again on every request (one more query saved); HomePage.route serves the home page
itself from a fresh copy, so only routing (its path and URL) uses the cached one.

A request that read the sites just before an edit may store the old answer just after the
entry was dropped; SITE_CACHE_SECONDS bounds how long that can last."""

from django.core.cache import cache
from django.db import transaction
from django.http.request import split_domain_port
from wagtail.models import Page, Site

from .models import HomePage

SITES_BY_HOST_KEY = "home:sites-by-host"
SITE_CACHE_SECONDS = 300
# Host headers are checked against ALLOWED_HOSTS before a view runs, so this is a handful at most;
# the bound keeps a misconfigured wildcard from growing the entry without limit.
MAX_CACHED_HOSTS = 32


def site_for_request(request) -> Site | None:
    host_and_port = f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"
    sites_by_host = cache.get(SITES_BY_HOST_KEY) or {}
    if host_and_port in sites_by_host:
        return sites_by_host[host_and_port]
    site = Site._find_for_request(request)
    if site is not None and site.root_page.specific_class is HomePage:
        site.root_page = site.root_page.specific_deferred
    if len(sites_by_host) < MAX_CACHED_HOSTS:
        cache.set(SITES_BY_HOST_KEY, {**sites_by_host, host_and_port: site}, SITE_CACHE_SECONDS)
    return site


def forget_cached_sites(**kwargs) -> None:
    # Again after the commit: a request between the change and its commit may have stored the old answer.
    cache.delete(SITES_BY_HOST_KEY)
    transaction.on_commit(lambda: cache.delete(SITES_BY_HOST_KEY))


def forget_sites_after_page_save(sender, instance, **kwargs) -> None:
    # Connected for every model: a page's post_save names its specific class, not Page.
    if isinstance(instance, Page):
        forget_cached_sites()

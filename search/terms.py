"""The office's own search terms (SearchTerm snippets) loaded into the segmenter.

Each process loads them on its first search or indexing, and again when the version in the cache
changes (a term saved or deleted, in any process). A changed dictionary applies to text indexed
from then on: `manage.py update_index` re-segments what was indexed before."""

from django.core.cache import cache

from .segment import add_terms

VERSION_KEY = "search:terms-version"
_loaded_version: object = None


def load_office_terms() -> None:
    global _loaded_version
    version = cache.get(VERSION_KEY, 0)
    if version == _loaded_version:
        return
    from .models import SearchTerm

    add_terms(SearchTerm.objects.values_list("term", flat=True))
    _loaded_version = version


def office_terms_changed() -> None:
    """Called after a SearchTerm is saved or deleted (search.wagtail_hooks)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)

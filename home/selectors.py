"""Reads of the home app: routing a URL below the home page in one query (issue 17)."""

from __future__ import annotations

from functools import cache as cache_function

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.models import Page

from config.rawsql import ModelReader

from .models import InfoPage


@cache_function
def _page_query() -> tuple[str, ModelReader, ModelReader]:
    """The live page at a URL path, read whole when it is an information page (the Page columns
    come first, then InfoPage's own, left-joined). Plain SQL built once per process: names from
    _meta, values as parameters. The slug narrows the search through its index (url_path has none)."""
    quote = connection.ops.quote_name
    page = Page._meta
    info = ModelReader(InfoPage, aliases={Page: "p", InfoPage: "i"})
    generic = ModelReader(Page, aliases={Page: "p"})
    page_id = quote(page.pk.column)
    sql = (
        f"SELECT {info.columns} FROM {quote(page.db_table)} p"  # noqa: S608 (names from _meta)
        f" LEFT JOIN {quote(InfoPage._meta.db_table)} i ON i.{quote(InfoPage._meta.pk.column)} = p.{page_id}"
        f" WHERE p.{quote(page.get_field('slug').column)} = %s AND p.{quote(page.get_field('url_path').column)} = %s"
        f" AND p.{quote(page.get_field('live').column)} = %s"
    )
    return sql, info, generic


def live_page_by_url_path(*, url_path: str) -> Page | None:
    """The live page at this URL path, as its specific class: one query for an information page,
    two for any other (its own fields come with `.specific`), where Wagtail's routing takes two per
    level of the tree. None when no live page has this path."""
    sql, info_reader, page_reader = _page_query()
    slug = url_path.rstrip("/").rpartition("/")[2]
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug, url_path, True])
        row = cursor.fetchone()
    if row is None:
        return None
    page = page_reader.build(row)
    if page.content_type_id == ContentType.objects.get_for_model(InfoPage).pk:
        return info_reader.build(row)
    return page.specific

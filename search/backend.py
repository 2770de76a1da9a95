"""Wagtail's database search backends (modelsearch 1.3) with Chinese segmentation.

Configured as ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend"}}``; like
modelsearch's own ``database`` backend, it picks PostgreSQL (a ``tsvector`` of the segmented text,
``simple`` configuration: no stemming, which would not apply to Chinese anyway) or SQLite (FTS5 over
the segmented text) from the default database.

Two changes to modelsearch's classes, nothing else:
- every indexed value is segmented (``search.segment.segment_for_index``) before the database
  builds its vector, so 网络安全意识 is stored as 网络 安全 网络安全 意识;
- every plain-text or phrase query is segmented (``segment_query``) before it is compiled, so
  网上审批 asks for 网上 and 审批.

modelsearch has no hook for the indexer class, so ``add_items`` is modelsearch's own with the
segmenting indexer (checked against modelsearch 1.3.2; tests/search runs the same table of queries on
both databases)."""

from django.db import connection


def SearchBackend(params):  # noqa: N802 (the name Wagtail's setting looks up)
    # Imported here: modelsearch's SQLite module needs its FTS model, which exists only on SQLite.
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend(params)
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend(params)
    raise NotImplementedError(f"search.backend supports PostgreSQL and SQLite, not {connection.vendor}")

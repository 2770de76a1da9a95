"""Writes to the search index. The index follows committed rows: ``index_refresh`` reads the
object's current row and indexes it, or removes its entry when the row is gone (or is no longer
among its model's indexed objects), so it may run any number of times, in any order."""

from django.apps import apps
from modelsearch import index
from modelsearch.backends import get_search_backends


def index_refresh(*, model_label: str, pk: str) -> bool:
    """Index the object ``model_label`` / ``pk`` as its row now stands, or remove it from the
    index. Returns True when it was indexed, False when removed."""
    model = apps.get_model(model_label)
    row = model._default_manager.filter(pk=pk).first()
    # A page's specific instance (a move saves a plain Page), and None when it is not indexed.
    indexed = index.get_indexed_instance(row) if row is not None else None
    for backend in get_search_backends(with_auto_update=True):
        if indexed is not None:
            backend.add(indexed)
        else:
            backend.delete(model(pk=pk))
    return indexed is not None

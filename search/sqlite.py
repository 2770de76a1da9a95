"""search.backend on SQLite: FTS5 over the segmented text."""

from modelsearch.backends.database.sqlite import sqlite as lite
from modelsearch.utils import get_content_type_pk

from .query import segmented_query as _segmented_query
from .segment import segment_for_index
from .terms import load_office_terms


class SQLiteIndexer(lite.ObjectIndexer):
    def prepare_value(self, value):
        return segment_for_index(super().prepare_value(value))


class SQLiteIndex(lite.SQLiteIndex):
    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        load_office_terms()
        indexers = [SQLiteIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        data = {indexer.id: (indexer.title, indexer.autocomplete, indexer.body) for indexer in indexers}
        entries = self.entries.filter(content_type_id=content_type_pk)
        indexed = frozenset(entries.filter(object_id__in=data.keys()).values_list("object_id", flat=True))
        for object_id in indexed:
            title, autocomplete, body = data[object_id]
            entries.filter(object_id=object_id).update(title=title, autocomplete=autocomplete, body=body)
        self.entries.bulk_create(
            lite.IndexEntry(
                content_type_id=content_type_pk, object_id=object_id, title=title, autocomplete=autocomplete, body=body
            )
            for object_id, (title, autocomplete, body) in data.items()
            if object_id not in indexed
        )
        self._refresh_title_norms()


class SQLiteQueryCompiler(lite.SQLiteSearchQueryCompiler):
    def build_search_query_content(self, query, config=None):
        return super().build_search_query_content(_segmented_query(query), config=config)


class SQLiteAutocompleteCompiler(lite.SQLiteAutocompleteQueryCompiler):
    def build_search_query_content(self, query, config=None):
        return super().build_search_query_content(_segmented_query(query), config=config)


class SQLiteBackend(lite.SQLiteSearchBackend):
    query_compiler_class = SQLiteQueryCompiler
    autocomplete_query_compiler_class = SQLiteAutocompleteCompiler
    index_class = SQLiteIndex

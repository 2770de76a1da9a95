"""search.backend on PostgreSQL: a tsvector of the segmented text ('simple' configuration)."""

from django.db.models.sql.subqueries import InsertQuery
from modelsearch.backends.database.postgres import postgres as pg
from modelsearch.utils import get_content_type_pk

from .query import segmented_query as _segmented_query
from .segment import segment_for_index
from .terms import load_office_terms


class PostgresIndexer(pg.ObjectIndexer):
    def prepare_value(self, value):
        return segment_for_index(super().prepare_value(value))


class PostgresIndex(pg.PostgresIndex):
    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        load_office_terms()
        indexers = [PostgresIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        compiler = InsertQuery(pg.IndexEntry).get_compiler(connection=self.write_connection)
        rows_sql, data_params = [], []
        for indexer in indexers:
            data_params.extend((content_type_pk, indexer.id))
            parts = []
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(pg.IndexEntry._meta.get_field(name), getattr(indexer, name))
                sql, params = value.as_sql(compiler, self.write_connection)
                parts.append(sql)
                data_params.extend(params)
            data_params.extend((indexer.title_text, indexer.body_text))
            rows_sql.append(f"(%s, %s, {parts[0]}, {parts[1]}, {parts[2]}, 1.0, %s, %s)")
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {pg.IndexEntry._meta.db_table}
                    (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
                (VALUES {", ".join(rows_sql)})
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title, title_norm = 1.0, autocomplete = EXCLUDED.autocomplete,
                              body = EXCLUDED.body, title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text
                """,  # noqa: S608 (modelsearch's statement; the values are parameters)
                data_params,
            )
        self._refresh_title_norms()


class PostgresQueryCompiler(pg.PostgresSearchQueryCompiler):
    def build_tsquery_content(self, query, config=None, invert=False):
        return super().build_tsquery_content(_segmented_query(query), config=config, invert=invert)


class PostgresAutocompleteCompiler(pg.PostgresAutocompleteQueryCompiler):
    def build_tsquery_content(self, query, config=None, invert=False):
        return super().build_tsquery_content(_segmented_query(query), config=config, invert=invert)


class PostgresBackend(pg.PostgresSearchBackend):
    query_compiler_class = PostgresQueryCompiler
    autocomplete_query_compiler_class = PostgresAutocompleteCompiler
    index_class = PostgresIndex

    def __init__(self, params):
        super().__init__({"SEARCH_CONFIG": "simple", **params})

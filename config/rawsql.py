"""Model instances from a plain SQL row, for the few reads on every page view (issue 17).

Compiling an ORM query (and RawQuerySet's column mapping) cost a page more CPU than running it, so
the hottest reads are written once per process as plain SQL. A ModelReader names a model's
columns for such a query (names from _meta, under the aliases the query gives its tables) and
builds the instance from its slice of a row with Django's own converters (SQLite's booleans,
dates and UUIDs, a StreamField's JSON), as the ORM would. Values are always parameters."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


class ModelReader:
    def __init__(self, model: type[Model], *, aliases: dict[type[Model], str], fields: tuple[str, ...] | None = None):
        """aliases: the query's alias of each table the fields live in (a page model's fields are
        in Page's table and its own). fields: the field names to read (all concrete fields when
        None); the primary keys (a child page's id and page_ptr) are always read."""
        self.model = model
        self.fields = [
            field
            for field in model._meta.concrete_fields  # in this order, as Model.from_db expects
            if fields is None or {field.name, field.attname} & set(fields) or field.primary_key  # and page_ptr
        ]
        self.attnames = frozenset(field.attname for field in self.fields)
        quote = connection.ops.quote_name
        self.columns = ", ".join(f"{aliases[field.model]}.{quote(field.column)}" for field in self.fields)
        self.width = len(self.fields)
        self._converters: dict[str, list] = {}
        # The model's tables, the root of its inheritance first: a child's primary key is its
        # parent's (multi-table inheritance), so every other table joins the root on it.
        tables = sorted(aliases, key=lambda table_model: len(table_model._meta.get_parent_list()))
        root = tables[0]
        self._root = f"{quote(root._meta.db_table)} {aliases[root]}"
        self._children = "".join(
            f" JOIN {quote(child._meta.db_table)} {aliases[child]} ON {aliases[child]}.{quote(child._meta.pk.column)}"
            f" = {aliases[root]}.{quote(root._meta.pk.column)}"
            for child in tables[1:]
        )

    def tables(self) -> str:
        """The FROM clause of the model's tables: `wagtailcore_page lp JOIN courses_lessonpage l
        ON l.page_ptr_id = lp.id`."""
        return self._root + self._children

    def join(self, on: str) -> str:
        """The model's tables joined to a query's others, its root table on the condition `on`."""
        return f" JOIN {self._root} ON {on}{self._children}"

    def converters(self) -> list[tuple[int, list, object]]:
        """Per database vendor: the same converters the ORM applies to these columns."""
        vendor = connection.vendor
        found = self._converters.get(vendor)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(field.model._meta.db_table)
                functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                if functions:
                    found.append((index, functions, column))
            self._converters[vendor] = found
        return found

    def values(self, row, start: int = 0) -> dict[str, object]:
        """{attname: value} from row[start:start + width], converted as the ORM would, without
        building an instance (for a few columns of a joined row)."""
        return dict(zip((field.attname for field in self.fields), self._converted(row, start), strict=True))

    def build(self, row, start: int = 0) -> Model:
        """The instance from row[start:start + width]."""
        return self.model.from_db(connection.alias, self.attnames, self._converted(row, start))

    def _converted(self, row, start: int) -> list:
        values = list(row[start : start + self.width])
        for index, functions, column in self.converters():
            value = values[index]
            for function in functions:
                value = function(value, column, connection)
            values[index] = value
        return values


def id_list_column(column: str, source: str) -> str:
    """A column holding every value of `column` that `source` (`FROM … WHERE …`) finds, as one
    value: PostgreSQL's ARRAY of them, SQLite's comma-separated group_concat. Read it back with
    ids_from_column. For a list of ids beside one row, where a join would repeat the row once per id."""
    if connection.vendor == "postgresql":
        return f"ARRAY(SELECT {column} {source})"
    return f"(SELECT group_concat({column}) {source})"


def ids_from_column(value) -> list[int]:
    """The ids of an id_list_column value (a list from PostgreSQL, text or NULL from SQLite)."""
    if not value:
        return []
    if isinstance(value, str):
        return [int(part) for part in value.split(",")]
    return list(value)

"""A GIN index on the expression every full-text search of the index filters on.

modelsearch's PostgreSQL backend matches ``(title || body) @@ to_tsquery(...)``; its own GIN indexes
are on ``title`` and ``body`` apart, which that expression cannot use, so a selective query read
every entry of the model searched. PostgreSQL only: SQLite searches its FTS5 table."""

from django.db import migrations

INDEX = "search_indexentry_title_body_gin"


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that does nothing on other databases (SQLite still migrates)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        PostgreSQLOnly(
            sql=f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))",
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]

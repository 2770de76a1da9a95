"""config.rawsql: the plain-SQL reads on every page view must give what the ORM gives, on
PostgreSQL (CI's main run) and SQLite (CI's second run and the embedded default): the same field
values, converted the same way (SQLite's integers as booleans, a StreamField's JSON, aware
datetimes), the FROM clause and joins a reader names, and id lists in one column."""

from django.db import connection
from wagtail.models import Page

from config.rawsql import ModelReader, id_list_column, ids_from_column
from courses.models import CoursePage, LessonPage
from tests.factories import course_steps


def _one_row(sql: str, params: list) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def _field_values(instance, reader: ModelReader) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in reader.fields if field.name != "body"}


def test_a_page_read_through_its_tables_equals_the_orms(course):
    lesson = course_steps(course)[1]
    lesson.save_revision().publish()  # first_published_at, revisions: every kind of column set
    reader = ModelReader(LessonPage, aliases={Page: "lp", LessonPage: "l"})
    row = _one_row(f"SELECT {reader.columns} FROM {reader.tables()} WHERE lp.id = %s", [lesson.pk])  # noqa: S608 (names from _meta)

    built = reader.build(row)
    expected = LessonPage.objects.get(pk=lesson.pk)
    assert type(built) is LessonPage and built.pk == lesson.pk
    assert _field_values(built, reader) == _field_values(expected, reader)
    # Converted as the ORM converts: a boolean, not SQLite's 1; an aware datetime; the body's blocks.
    assert built.live is True and built.first_published_at.tzinfo is not None
    assert built.body.get_prep_value() == expected.body.get_prep_value()
    assert [block.block_type for block in built.body] == [block.block_type for block in expected.body]
    assert not built._state.adding  # as loaded from the database: saving it updates the row


def test_the_tables_join_the_child_table_on_the_root_pages_key():
    reader = ModelReader(LessonPage, aliases={Page: "lp", LessonPage: "l"})
    quote = connection.ops.quote_name
    assert reader.tables() == (
        f"{quote('wagtailcore_page')} lp JOIN {quote('courses_lessonpage')} l ON l.{quote('page_ptr_id')} = lp.{quote('id')}"
    )
    assert reader.join("lp.id = x.page_id") == f" JOIN {quote('wagtailcore_page')} lp ON lp.id = x.page_id" + (
        f" JOIN {quote('courses_lessonpage')} l ON l.{quote('page_ptr_id')} = lp.{quote('id')}"
    )


def test_a_reader_joined_to_another_table_reads_that_row(course):
    """The course of a step, found through the step's path (as the lesson's routing read does)."""
    lesson = course_steps(course)[2]
    reader = ModelReader(CoursePage, aliases={Page: "cp", CoursePage: "c"})
    on = f"cp.{connection.ops.quote_name('path')} = SUBSTR(lp.path, 1, LENGTH(lp.path) - %s)"
    row = _one_row(
        f"SELECT {reader.columns} FROM wagtailcore_page lp{reader.join(on)} WHERE lp.id = %s",  # noqa: S608 (names from _meta)
        [Page.steplen, lesson.pk],
    )
    built = reader.build(row)
    assert type(built) is CoursePage and built.pk == course.pk
    assert built.title == course.title and built.sequential is True


def test_a_reader_of_some_fields_reads_those_and_the_keys(course):
    reader = ModelReader(CoursePage, aliases={Page: "cp", CoursePage: "c"}, fields=("title", "sequential"))
    assert reader.attnames == {"id", "page_ptr_id", "title", "sequential"}
    assert reader.width == 4
    row = _one_row(f"SELECT 'before', {reader.columns} FROM {reader.tables()} WHERE cp.id = %s", [course.pk])  # noqa: S608 (names from _meta)

    values = reader.values(row, start=1)  # the reader's slice of a wider row
    assert values == {"id": course.pk, "page_ptr_id": course.pk, "title": course.title, "sequential": True}
    built = reader.build(row, start=1)
    assert built.title == course.title
    assert built.get_deferred_fields() >= {"slug", "summary"}  # the rest is not read (loaded on access)


def test_an_id_list_column_holds_every_id_found_and_none_as_empty(course):
    steps = course_steps(course)
    source = "FROM wagtailcore_page s WHERE s.path LIKE %s AND s.depth = %s"

    def ids_under(path: str, depth: int) -> list[int]:
        (value,) = _one_row(f"SELECT {id_list_column('s.id', source)}", [path + "%", depth])
        return ids_from_column(value)

    assert sorted(ids_under(course.path, course.depth + 1)) == sorted(step.pk for step in steps)
    assert ids_under(steps[0].path, steps[0].depth) == [steps[0].pk]
    assert ids_under(steps[0].path, steps[0].depth + 1) == []  # a lesson has no children: no ids, no error


def test_ids_from_column_reads_both_vendors_shapes():
    assert ids_from_column(None) == [] and ids_from_column("") == [] and ids_from_column([]) == []
    assert ids_from_column("3,1,2") == [3, 1, 2]  # SQLite's group_concat
    assert ids_from_column([3, 1, 2]) == [3, 1, 2]  # PostgreSQL's ARRAY

"""A course's completions against the decisions that read them.

A completion (or its revocation) is announced inside its transaction, and its listeners read and
write what the apps above courses derive from it: the open cycle of required learning it closes,
the kind (required or elective) of the hours it earns. Giving or withdrawing an assignment of the
course reads the completions and writes the same rows. Under READ COMMITTED neither sees the
other's uncommitted work, so without a lock both could decide on the state from before the other:
an assignment given while the course was being completed stayed open, hours earned while the
assignment was withdrawn stayed required.

So a completion holds its course's lock shared (completions never wait for each other) from its
announcement to its commit, and a change of who owes the course holds it exclusively before it
reads a completion or writes a row: each waits for the other's commit and then reads what it
wrote. PostgreSQL advisory locks held to the end of the transaction; SQLite runs one writer at a
time and needs none."""

from collections.abc import Iterable

from django.db import connection

# pg_advisory_xact_lock's first key: the bytes of "comp". The second is the course's page id.
COMPLETIONS_LOCK_SPACE = 0x636F6D70


def completions_lock_shared(course_id: int) -> None:
    """Taken by a completion or a revocation of the course, inside its transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [COMPLETIONS_LOCK_SPACE, course_id])


def completions_lock_exclusive(course_ids: Iterable[int]) -> None:
    """Taken by a change of who owes the courses, inside its transaction, before it reads a
    completion or writes a row that a completion's listeners also write. In the courses' order, so
    that two such changes cannot each hold a course the other waits for."""
    ordered = sorted(set(course_ids))
    if connection.vendor == "postgresql" and ordered:
        with connection.cursor() as cursor:
            for course_id in ordered:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [COMPLETIONS_LOCK_SPACE, course_id])

"""Reads about people: the signed-in person of a request, the accounts django-axes has locked out
now, and what keeps a person from being deleted."""

from collections import Counter
from dataclasses import dataclass
from functools import cache as cache_function
from functools import reduce
from operator import or_

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, router
from django.db.models import Max, Q, Sum
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.text import capfirst

from config.rawsql import ModelReader


@cache_function
def _user_query() -> tuple[str, ModelReader]:
    user_model = get_user_model()
    reader = ModelReader(user_model, aliases={user_model: "u"})
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {reader.columns} FROM {quote(user_model._meta.db_table)} u"  # noqa: S608 (names from _meta)
        f" WHERE u.{quote(user_model._meta.pk.column)} = %s"
    )
    return sql, reader


def user_by_id(user_id):
    """The person with this id (as a session stores it), or None: every request of a signed-in
    person reads it (accounts.backends). Plain SQL built once per process (config.rawsql): the
    ORM's get() cost about four times as much CPU as the query itself (issue 17)."""
    try:
        pk = get_user_model()._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    sql, reader = _user_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return reader.build(row) if row is not None else None


@dataclass(frozen=True)
class Lockout:
    username: str
    failures: int
    last_attempt_at: object  # datetime


def lockouts_current() -> list[Lockout]:
    """Usernames whose failures within the cool-off time reached the failure limit: axes counts
    a username's failures from every address together (AXES_LOCKOUT_PARAMETERS), and so does
    this. One query."""
    attempts = AccessAttempt.objects.exclude(username__isnull=True).exclude(username="")
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    rows = (
        attempts.values("username")
        .annotate(failures=Sum("failures_since_start"), last_attempt_at=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt_at", "username")
    )
    return [Lockout(row["username"], row["failures"], row["last_attempt_at"]) for row in rows]


def user_deletion_blockers(*, user) -> list[tuple[str, int]]:
    """What keeps a person from being deleted: the records of learning whose foreign key to
    them is PROTECT (attempts and their grades, progress, hour entries, offline declarations,
    certificates), as (model name, count) pairs, largest first; empty when they may be deleted.
    Asks Django's deletion collector, so accounts names no model of the apps above it."""
    collector = Collector(using=router.db_for_write(type(user)), origin=user)
    try:
        collector.collect([user])
    except (ProtectedError, RestrictedError) as error:
        blocking = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
        counts = Counter(str(capfirst(type(obj)._meta.verbose_name)) for obj in blocking)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return []


PERSON_SEARCH_LOOKUPS = (
    "username__icontains",
    "display_name__icontains",
    "employee_id__icontains",
    "email__icontains",
    "position__icontains",
    "department__name__icontains",
    "department__name_en__icontains",
)


def people_search_filter(query: str) -> Q:
    """People whose name, username, employee ID, e-mail, position or department contains every
    word of the query (the people listing's search)."""
    condition = Q()
    for word in query.split():
        condition &= reduce(or_, (Q(**{lookup: word}) for lookup in PERSON_SEARCH_LOOKUPS))
    return condition

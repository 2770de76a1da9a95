"""Reads about people."""

from collections import Counter

from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.text import capfirst


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

"""Reads of certificates, each one query (a person's valid certificates come from the cache)."""

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet

from config.cache import cache_read

from .models import Certificate
from .rules import is_well_formed, normalise_code


def learner_certificates(*, user) -> QuerySet[Certificate]:
    """A person's certificates, latest first (revoked ones included, marked)."""
    return Certificate.objects.filter(user=user).order_by("-issued_at", "-id")


# A person's valid certificate ids by course, asked by every page that shows a completed course.
# Kept per person (the user id is in the key) and forgotten by every service that issues or
# revokes one. While a change is being written, the key holds CHANGING instead: a reader then asks
# the database and stores nothing, and a reader stores only with add(), which CHANGING blocks, so
# an answer read before the change and stored after it is never kept.
VALID_CERTIFICATES_CACHE_SECONDS = 3600
CHANGING = "changing"
CHANGING_SECONDS = 60


def valid_certificates_cache_key(user_id: int) -> str:
    return f"certificates:valid-by-course:{user_id}"


def valid_certificate_ids_by_course(*, user) -> dict[int, int]:
    """{course id: id of the person's valid certificate of it}; revoked ones are not offered.
    From the cache, or one query."""
    key = valid_certificates_cache_key(user.pk)
    cached = cache_read(key)  # read ahead with the others on a lesson page (home.models)
    if isinstance(cached, dict):
        return cached
    ids = dict(
        Certificate.objects.filter(user_id=user.pk, revoked_at__isnull=True, course__isnull=False).values_list(
            "course_id", "id"
        )
    )
    if cached is None:
        cache.add(key, ids, VALID_CERTIFICATES_CACHE_SECONDS)
    return ids


def forget_valid_certificates(*, user_ids) -> None:
    """Called by every write that issues or revokes a certificate of these people: now, and again
    once the transaction commits (a request between the two still read the old rows)."""
    keys = {valid_certificates_cache_key(user_id): CHANGING for user_id in set(user_ids)}
    if not keys:
        return
    cache.set_many(keys, CHANGING_SECONDS)
    transaction.on_commit(lambda: cache.set_many(keys, CHANGING_SECONDS))


def certificate_for_owner_or_none(*, user, certificate_id: int) -> Certificate | None:
    return Certificate.objects.filter(user=user, pk=certificate_id).first()


def certificate_by_code_or_none(*, code: str) -> Certificate | None:
    """The certificate a (normalised) code belongs to; a malformed code costs no query."""
    if not is_well_formed(code):
        return None
    return (
        Certificate.objects.filter(code=code).only("learner_name", "course_title", "completed_at", "revoked_at").first()
    )


def admin_certificates(*, query: str = "") -> QuerySet[Certificate]:
    """The admin listing, latest first, searched by code (typed any way) or by name or title."""
    certificates = Certificate.objects.select_related("revoked_by").order_by("-issued_at", "-id")
    query = (query or "").strip()
    if query:
        condition = Q(learner_name__icontains=query) | Q(course_title__icontains=query)
        code = normalise_code(query)
        if code:
            condition |= Q(code__startswith=code)
        certificates = certificates.filter(condition)
    return certificates


# A person's own certificates, for their data archive (privacy): {kind: (columns, rows as dicts)}.
def learner_personal_data(*, user) -> dict[str, tuple[tuple[str, ...], list[dict]]]:
    columns = (
        "code",
        "course_id",
        "course_title",
        "learner_name",
        "hours",
        "completed_at",
        "issued_at",
        "revoked_at",
        "revoked_reason",
    )
    rows = Certificate.objects.filter(user=user).order_by("issued_at", "id").values(*columns)
    return {"certificates": (columns, list(rows))}

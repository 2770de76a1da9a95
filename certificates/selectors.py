"""Reads of certificates, each one query."""

from django.db.models import Q, QuerySet

from .models import Certificate
from .rules import is_well_formed, normalise_code


def learner_certificates(*, user) -> QuerySet[Certificate]:
    """A person's certificates, latest first (revoked ones included, marked)."""
    return Certificate.objects.filter(user=user).order_by("-issued_at", "-id")


def valid_certificates_by_course(*, user, course_ids) -> dict[int, Certificate]:
    """{course id: the person's valid certificate of it}; revoked ones are not offered."""
    certificates = Certificate.objects.filter(user=user, course_id__in=course_ids, revoked_at__isnull=True)
    return {certificate.course_id: certificate for certificate in certificates.only("id", "course_id")}


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

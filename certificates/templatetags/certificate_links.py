"""Certificates for pages of lower apps (My learning in courses), without courses importing
certificates."""

from django import template

from certificates.models import Certificate

register = template.Library()


@register.simple_tag
def valid_certificates_by_course(user) -> dict[int, Certificate]:
    """course id → the person's valid certificate of that course; one query."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {
        certificate.course_id: certificate
        for certificate in Certificate.objects.filter(user=user, revoked_at__isnull=True).only("id", "course_id", "code")
    }


@register.filter
def certificate_of(certificates: dict, course_id):
    return certificates.get(course_id)


@register.simple_tag
def valid_certificate_for_course(user, course) -> Certificate | None:
    """The person's own valid certificate of one course, or None (revoked ones are not offered);
    one query."""
    if not getattr(user, "is_authenticated", False) or course is None:
        return None
    return Certificate.objects.filter(user=user, course=course, revoked_at__isnull=True).only("id", "course_id").first()

"""Admin hooks of certificates: the list and revocation (certificates.admin_views) with a menu
item shown to city administrators only, and the audit-log label of a revocation."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.roles import is_city_admin
from courses.facets import COURSE_FACTS_HOOK, provides

from . import admin_urls, selectors
from .services import REVOKED_ACTION


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action(REVOKED_ACTION, _("Revoke certificate"), _("Certificate revoked"))


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    return [path("certificates/", include(admin_urls, namespace="certificates_admin"))]


class CityAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_city_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return CityAdminMenuItem(
        _("Certificates"), reverse("certificates_admin:list"), name="certificates", icon_name="doc-full", order=9100
    )


@hooks.register(COURSE_FACTS_HOOK)
@provides("certificate_url")
def learner_certificate_facts(user, courses):
    """certificate_url: where the learner downloads their valid certificate of each course."""
    certificate_ids = selectors.valid_certificate_ids_by_course(user=user)  # cached per person
    return {
        course.pk: {"certificate_url": reverse("certificates:download", args=[certificate_ids[course.pk]])}
        for course in courses
        if course.pk in certificate_ids
    }

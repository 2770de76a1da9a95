"""Certificates in the Wagtail admin, for city administrators (superusers or people with
`is_city_admin`): the list, searched by code or name, and revocation with a reason.

Every view checks the role on the server (403 otherwise); Wagtail's admin URLs require
wagtailadmin.access_admin in front."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import is_city_admin

from . import selectors, services
from .forms import RevokeForm
from .models import Certificate

PAGE_SIZE = 50


class CityAdminRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_city_admin(request.user):
            # A plain 403: raising PermissionDenied inside the admin would redirect to its home page.
            return permission_denied(request, exception=None)
        return super().dispatch(request, *args, **kwargs)


class CertificatePageMixin(CityAdminRequiredMixin, WagtailAdminTemplateMixin):
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse("certificates_admin:list"), "label": _("Certificates")}]
        if self.get_page_title() != _("Certificates"):
            items.append({"url": "", "label": self.get_page_title()})
        return items


class CertificateListView(CertificatePageMixin, TemplateView):
    template_name = "certificates/admin/list.html"
    page_title = gettext_lazy("Certificates")

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:100]
        page = Paginator(selectors.admin_certificates(query=query), PAGE_SIZE).get_page(self.request.GET.get("p"))
        return super().get_context_data(page=page, query=query, **kwargs)


class CertificateRevokeView(CertificatePageMixin, FormView):
    template_name = "certificates/admin/revoke.html"
    form_class = RevokeForm
    page_title = gettext_lazy("Revoke certificate")

    def dispatch(self, request, *args, **kwargs):
        self.certificate = get_object_or_404(Certificate, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(certificate=self.certificate, **kwargs)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        if self.certificate.is_revoked:
            messages.warning(self.request, _("This certificate was already revoked."))
        else:
            services.certificate_revoke(
                certificate=self.certificate, reason=form.cleaned_data["reason"], revoked_by=self.request.user
            )
            messages.success(
                self.request,
                _("Certificate %(code)s was revoked.") % {"code": self.certificate.display_code},
            )
        return redirect("certificates_admin:list")

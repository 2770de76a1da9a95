"""Learners' certificates and their downloads (the owner only; a 404 for anyone else, signed in
or not), and the public verification page, which says whether a code is valid and shows nothing
but the name, the course and the date."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from outbox.services import enqueue_now
from privatefiles.serving import private_file_response, private_file_view

from . import selectors, services
from .forms import VerifyForm
from .rules import is_well_formed, normalise_code
from .tasks import render_certificate_pdf


@login_required
def my_certificates_view(request):
    return render(
        request,
        "certificates/my_certificates.html",
        {"certificates": selectors.learner_certificates(user=request.user)},
    )


@private_file_view
def download_view(request, certificate_id: int):
    certificate = selectors.certificate_for_owner_or_none(user=request.user, certificate_id=certificate_id)
    if certificate is None:
        # Someone else's certificate is as absent as one that does not exist.
        raise Http404
    if certificate.is_revoked:
        return render(request, "certificates/revoked_download.html", {"certificate": certificate}, status=410)
    if services.needs_render(certificate):
        enqueue_now(render_certificate_pdf, certificate.pk)
        # Without a broker the task ran just now, in this process: serve the result at once.
        certificate.refresh_from_db()
        if services.needs_render(certificate):
            response = render(request, "certificates/preparing.html", {"certificate": certificate}, status=202)
            response["Retry-After"] = "60"
            return response
    return private_file_response(
        certificate.pdf,
        filename=f"certificate-{certificate.code}.pdf",
        content_type="application/pdf",
        downloaded_by=request.user,
        subject=certificate,
    )


def _public(response):
    # The verification pages are for people holding a code, not for search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def verify_form_view(request):
    """The form to type a code. A submitted code goes to its page (one address per code)."""
    if "code" not in request.GET:
        return _public(render(request, "certificates/verify_form.html", {"form": VerifyForm()}))
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return _public(render(request, "certificates/verify_form.html", {"form": form}, status=400))
    code = normalise_code(form.cleaned_data["code"])
    if not is_well_formed(code):
        return _unknown(request, code)
    return redirect("certificates:verify", code=code)


def _unknown(request, code: str):
    return _public(
        render(request, "certificates/verify_unknown.html", {"code": code, "form": VerifyForm()}, status=404)
    )


@never_cache
def verify_view(request, code: str):
    code = normalise_code(code)
    certificate = selectors.certificate_by_code_or_none(code=code)
    if certificate is None:
        return _unknown(request, code)
    return _public(render(request, "certificates/verify.html", {"certificate": certificate, "code": code}))

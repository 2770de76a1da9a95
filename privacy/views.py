from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privatefiles.serving import private_file_response, private_file_view

from .models import DataArchive
from .selectors import archive_for_owner_or_none, latest_archive
from .services import ArchiveRefused, data_archive_expire_if_stalled, data_archive_request

# Whom to ask, unless PRIVACY_CONTACT says otherwise: the office that runs the platform.
DEFAULT_CONTACT = {"name": ("市信息化办公室", "Municipal Informatization Office"), "email": "", "phone": ""}
# Until the leavers' retention is configured, the notice states this period.
DEFAULT_LEAVER_RETENTION_DAYS = 365


def privacy_contact() -> dict:
    contact = {**DEFAULT_CONTACT, **getattr(settings, "PRIVACY_CONTACT", {})}
    name = contact["name"]
    if isinstance(name, list | tuple):
        name = name[1] if (get_language() or "").startswith("en") and len(name) > 1 else name[0]
    return {**contact, "name": name}


def privacy_notice_view(request):
    """The privacy notice (PIPL arts. 7 and 17): open to everyone, linked from the login page."""
    context = {
        "contact": privacy_contact(),
        "export_days": settings.EXPORT_RETENTION_DAYS,
        "upload_days": settings.UPLOAD_RETENTION_DAYS,
        "leaver_days": getattr(settings, "LEAVER_RETENTION_DAYS", DEFAULT_LEAVER_RETENTION_DAYS),
    }
    return render(request, "privacy/notice.html", context)


def my_data_page(request, archive: DataArchive | None, *, status: int = 200):
    context = {
        "archive": archive,
        "retention_days": settings.EXPORT_RETENTION_DAYS,
        "stale_minutes": settings.FILE_JOB_STALE_MINUTES,
    }
    return render(request, "privacy/my_data.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def my_data_view(request):
    """GET: the person's latest archive, with its progress. POST: prepare a new one (one at a time)."""
    if request.method == "POST":
        try:
            data_archive_request(user=request.user)
        except ArchiveRefused:
            messages.info(request, _("Your archive is already being prepared. Wait for it to finish."))
        return redirect("privacy:my_data")
    archive = latest_archive(user=request.user)
    if archive is not None:
        archive = data_archive_expire_if_stalled(archive=archive)
    return my_data_page(request, archive)


def _own_archive_or_404(request, archive_id: int) -> DataArchive:
    archive = archive_for_owner_or_none(user=request.user, archive_id=archive_id)
    if archive is None:
        raise Http404(_("No such archive."))
    return archive


# The status and the file answer a 404 to everyone but the owner, signed in or not.
@private_file_view
def archive_status_json(request, archive_id: int):
    archive = data_archive_expire_if_stalled(archive=_own_archive_or_404(request, archive_id))
    done = archive.status == DataArchive.Status.DONE
    return JsonResponse(
        {
            "status": archive.status,
            "status_label": archive.get_status_display(),
            "progress": archive.progress,
            "download_url": reverse("privacy:archive_download", args=[archive.pk]) if done else None,
        }
    )


@private_file_view
def archive_download_view(request, archive_id: int):
    archive = _own_archive_or_404(request, archive_id)
    if archive.status == DataArchive.Status.EXPIRED:
        return my_data_page(request, archive, status=410)
    if archive.status != DataArchive.Status.DONE or not archive.file:
        raise Http404(_("This archive is not ready."))
    name = f"my-data-{timezone.localtime(archive.created_at):%Y%m%d-%H%M}.zip"
    return private_file_response(
        archive.file, filename=name, content_type="application/zip", downloaded_by=request.user, subject=archive
    )

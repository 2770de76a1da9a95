"""A person's own notifications: the list, and marking one or all read (POST with CSRF).

Every query is limited to the signed-in person's rows: another person's notification is a 404,
the same as one that does not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 20


def _back(request):
    """To the page the form was on when it is one of ours, else the list."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
def list_view(request):
    page = Paginator(selectors.user_notifications(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_read_view(request, notification_id: int):
    if not services.notification_mark_read(user=request.user, notification_id=notification_id):
        raise Http404(_("No such notification."))
    return _back(request)


@login_required
@require_POST
def mark_all_read_view(request):
    if services.notifications_mark_all_read(user=request.user):
        messages.success(request, _("All notifications were marked as read."))
    return _back(request)

from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import reverse_lazy
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from wagtail.users.models import UserProfile

from .forms import LoginForm
from .middleware import session_touch


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@require_POST
def language_switch(request):
    """Django's set_language, and the choice is remembered as the user's Wagtail admin
    language too, so the admin follows the language the person reads in."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language):
        profile = UserProfile.get_for_user(request.user)
        if profile.preferred_language != language:
            profile.preferred_language = language
            profile.save(update_fields=["preferred_language"])
    return set_language(request)  # validates "next" against the host itself


@require_POST
def session_keepalive(request):
    """"Stay signed in" in the idle warning: counts as activity and restarts the idle countdown.
    A session that has already ended says so (401) instead of redirecting to the login page."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse({"signed_in": True, "seconds_left": session_touch(request.session)})

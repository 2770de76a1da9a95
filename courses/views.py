from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe
from wagtail.models import Page

from config.page_urls import builds_page_urls
from privatefiles.serving import image_response
from quizzes.services import QuizError, attempt_start
from studytime.selectors import verified_minutes_by_course

from .facets import learner_course_facts, my_learning_sections
from .image_storage import RENDITIONS_FOLDER
from .models import CoursePage
from .selectors import (
    cms_file_sendable,
    cms_image_rendition,
    course_denial_reason,
    course_for_step,
    learner_course_view,
    learner_progress_rows,
    live_quiz_step,
    page_view_restriction_passes,
)
from .services import (
    CourseNotAccessible,
    StepLocked,
    StepUnavailable,
    StudyTimeShort,
    course_activity_touch,
    course_start,
    step_complete,
)

DENIAL_MESSAGES = {
    "unpublished": gettext_lazy("This course is not available."),
    "department": gettext_lazy("This course is offered to other departments only."),
}


def login_required_for_page(request) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _refusal(request, message: str, *, course: CoursePage | None = None, resume=None) -> HttpResponse:
    return render(request, "courses/refused.html", {"message": message, "course": course, "resume": resume}, status=403)


def course_access_response(request, *, course: CoursePage) -> HttpResponse | None:
    """A response refusing this course to this request, or None when it may proceed."""
    response = login_required_for_page(request)
    if response is not None:
        return response
    reason = course_denial_reason(user=request.user, course=course)
    if reason is not None:
        return _refusal(request, str(DENIAL_MESSAGES.get(reason, DENIAL_MESSAGES["unpublished"])))
    return None


def serve_step(request, *, step, serve, args, kwargs) -> HttpResponse:
    """Serve a step page only to a learner who may open it; a locked step is refused here,
    on the server, not merely hidden from the outline."""
    course = course_for_step(step=step)
    refusal = course_access_response(request, course=course) if course is not None else None
    if refusal is not None:
        return refusal
    learning = learner_course_view(user=request.user, course=course, request=request, current_step=step)
    if learning.current is not None and learning.current.status == "locked":
        return _refusal(
            request, _("Finish the earlier steps of this course first."), course=course, resume=learning.resume
        )
    request.learning = learning  # reused by LessonPage.get_context: no second set of queries
    return serve(request, *args, **kwargs)


@require_safe
def cms_image_view(request, name: str):
    """Every image rendition on the site (courses.image_storage gives each this address): sent
    only to people who may open a page that uses the image, or who may change or choose it in the
    admin (courses.selectors.cms_file_sendable); everyone else gets a 404, as for a file that does
    not exist. Only renditions already made (by rendering a page or the admin) are found, so no
    one can ask the server to make new sizes; the web server publishes none of these files."""
    rendition = cms_image_rendition(name=RENDITIONS_FOLDER + name)
    if rendition is None or not cms_file_sendable(request=request, obj=rendition.image):
        raise Http404
    return image_response(rendition.file, shared=not request.user.is_authenticated)


def _live_page_or_none(page_id: int):
    page = Page.objects.live().filter(pk=page_id).first()
    return page.specific if page is not None else None


def study_time_left_message(seconds_left: int) -> str:
    """How much longer the learner must study the step, in minutes (rounded up) or, under a
    minute, in seconds."""
    if seconds_left >= 60:
        minutes = -(-seconds_left // 60)
        return ngettext(
            "Study this step for %(count)d more minute before marking it as done.",
            "Study this step for %(count)d more minutes before marking it as done.",
            minutes,
        ) % {"count": minutes}
    return ngettext(
        "Study this step for %(count)d more second before marking it as done.",
        "Study this step for %(count)d more seconds before marking it as done.",
        seconds_left,
    ) % {"count": seconds_left}


@login_required
@require_POST
def step_complete_view(request, step_id: int):
    step = _live_page_or_none(step_id)
    course = course_for_step(step=step) if step is not None else None
    if course is None or not page_view_restriction_passes(request=request, page=step):
        return _refusal(request, _("This step is not available."))
    try:
        result = step_complete(user=request.user, step=step)
    except CourseNotAccessible as error:
        return _refusal(request, str(DENIAL_MESSAGES.get(error.reason, DENIAL_MESSAGES["unpublished"])))
    except StepLocked:
        return _refusal(request, _("Finish the earlier steps of this course first."), course=course)
    except StepUnavailable:
        return _refusal(request, _("This step is not available."), course=course)
    except StudyTimeShort as short:
        messages.warning(request, study_time_left_message(short.seconds_left))
        return HttpResponseRedirect(step.get_url(request))
    if result.course_completed_now:
        messages.success(request, _("Congratulations! You have completed “%(course)s”.") % {"course": course.title})
        return HttpResponseRedirect(course.get_url(request))
    if result.next_step_id is not None:
        next_step = Page.objects.filter(pk=result.next_step_id).first()
        if next_step is not None:
            return HttpResponseRedirect(next_step.get_url(request))
    return HttpResponseRedirect(course.get_url(request))


@login_required
@builds_page_urls
@require_POST
def course_start_view(request, course_id: int):
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None or not page_view_restriction_passes(request=request, page=course):
        return _refusal(request, _("This course is not available."))
    try:
        course_start(user=request.user, course=course)
    except CourseNotAccessible as error:
        return _refusal(request, str(DENIAL_MESSAGES.get(error.reason, DENIAL_MESSAGES["unpublished"])))
    learning = learner_course_view(user=request.user, course=course, request=request)
    return HttpResponseRedirect(learning.resume.url if learning.resume is not None else course.get_url(request))


@builds_page_urls
@login_required
@require_POST
def quiz_start_view(request, step_id: int):
    """Open (or resume) an attempt at a quiz step's quiz, after the same checks as any step."""
    step = live_quiz_step(step_id=step_id)  # with its quiz and its course: two queries
    course = course_for_step(step=step) if step is not None else None
    if course is None or not page_view_restriction_passes(request=request, page=step):
        return _refusal(request, _("This step is not available."))
    reason = course_denial_reason(user=request.user, course=course)
    if reason is not None:
        return _refusal(request, str(DENIAL_MESSAGES.get(reason, DENIAL_MESSAGES["unpublished"])))
    learning = learner_course_view(user=request.user, course=course, request=request, current_step=step)
    if learning.current is None or learning.current.status == "locked":
        return _refusal(
            request, _("Finish the earlier steps of this course first."), course=course, resume=learning.resume
        )
    try:
        # step.quiz was read from its row just now (live_quiz_step's join): not read again.
        attempt = attempt_start(quiz=step.quiz, user=request.user, quiz_is_row=True)
    except QuizError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(step.get_url(request))
    if learning.started:  # their progress, read for the outline just now
        course_activity_touch(user=request.user, course=course)
    else:
        course_start(user=request.user, course=course)
    return HttpResponseRedirect(
        f"{reverse('quizzes:attempt', args=[attempt.pk])}?{urlencode({'next': step.get_url(request)})}"
    )


@login_required
def my_learning_view(request):
    rows = list(learner_progress_rows(user=request.user))
    completed = [row for row in rows if row.completed_at is not None]
    return render(
        request,
        "courses/my_learning.html",
        {
            "sections": my_learning_sections(request),
            "in_progress": [row for row in rows if row.completed_at is None],
            "completed": completed,
            "course_facts": learner_course_facts(user=request.user, courses=[row.course for row in completed]),
            "active_minutes": verified_minutes_by_course(user_id=request.user.pk),
        },
    )

"""Learner pages of an attempt: answer, autosave, submit, review. Every view loads the attempt
by id *and* owner, so nobody reaches another person's attempt."""

import json
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.page_urls import builds_page_urls

from .models import Attempt
from .responses import ResponseInvalid
from .selectors import (
    attempt_questions_for_learner,
    attempt_questions_with_versions,
    attempt_review,
    learner_quiz_summary,
    seconds_left,
)
from .services import (
    AnswersStale,
    AttemptClosed,
    answers_save,
    attempt_accepts_answers,
    attempt_responses_and_version,
    attempt_submit,
)
from .signals import attempt_result_links, attempt_study_beat

MAX_AUTOSAVE_BYTES = 64 * 1024


def _own_attempt(request, attempt_id: int) -> Attempt:
    attempt = Attempt.objects.select_related("quiz").filter(pk=attempt_id, user=request.user).first()
    if attempt is None:
        raise Http404
    return attempt


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


class DuplicateField(ResponseInvalid):
    """A field that holds one value was sent twice (`q1=a&q1=b`): which one the learner meant is
    unknown, so nothing is stored (the JSON autosave refuses duplicate keys the same way)."""

    def __init__(self, key: str):
        super().__init__(_("“%(key)s” appears twice in the request.") % {"key": key})


def _single(post, name: str) -> None:
    if len(post.getlist(name)) > 1:
        raise DuplicateField(name)


def answers_from_form(post, questions) -> dict[str, dict]:
    """The attempt form's fields as answers: q<position> for choices and text, q<position>-pos-<key>
    (a position number per item) for ordering, q<position>-m-<key> (an answer key per sub-question)
    for matching. Only a multiple-response question sends several
    values under one name; any other field sent twice is refused (DuplicateField)."""
    answers: dict[str, dict] = {}
    for question in questions:
        name = f"q{question.position}"
        if question.qtype == "multiple":
            _single(post, f"{name}-present")
        elif question.qtype == "ordering":
            for option in question.options:
                _single(post, f"{name}-pos-{option.key}")
        elif question.qtype == "matching":
            for row in question.match_rows:
                _single(post, f"{name}-m-{row.key}")
        else:
            _single(post, name)
        if question.qtype in ("single", "truefalse"):
            if post.get(name):
                answers[str(question.position)] = {"choice": post.get(name)}
        elif question.qtype == "multiple":
            if name in post or f"{name}-present" in post:
                answers[str(question.position)] = {"choices": post.getlist(name)}
        elif question.qtype in ("fillblank", "essay", "numerical"):
            if name in post:
                answers[str(question.position)] = {"text": post.get(name, "")}
        elif question.qtype == "ordering":
            positions = {}
            for option in question.options:
                value = post.get(f"{name}-pos-{option.key}")
                if value is None:
                    break
                try:
                    positions[option.key] = int(value)
                except ValueError:
                    raise ResponseInvalid(
                        _("Question %(n)s: positions must be numbers.") % {"n": question.position}
                    ) from None
            else:
                if sorted(positions.values()) != list(range(1, len(question.options) + 1)):
                    raise ResponseInvalid(
                        _("Question %(n)s: give each item a different position from 1 to %(count)s.")
                        % {"n": question.position, "count": len(question.options)}
                    )
                answers[str(question.position)] = {"order": sorted(positions, key=positions.get)}
        elif question.qtype == "matching":
            fields = {row.key: f"{name}-m-{row.key}" for row in question.match_rows}
            if any(field in post for field in fields.values()):
                answers[str(question.position)] = {
                    "matches": {key: post[field] for key, field in fields.items() if post.get(field)}
                }
    return answers


@login_required
@require_GET
def attempt_view(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.status != Attempt.Status.OPEN:
        return HttpResponseRedirect(_review_url(attempt, _safe_next(request)))
    questions, answers_version = _questions_with_saved_answers(attempt)
    page_number = None
    if attempt.quiz.layout == attempt.quiz.Layout.ONE_PER_PAGE:
        try:
            page_number = min(max(int(request.GET.get("page", "1")), 1), len(questions))
        except ValueError:
            page_number = 1
    return _render_attempt(request, attempt, questions, answers_version, page_number=page_number)


def _questions_with_saved_answers(attempt) -> tuple[list, int]:
    """The attempt's questions with the latest saved answers, and the version of those answers
    (one read, so the form sends back the version of what it shows)."""
    responses, answers_version = attempt_responses_and_version(attempt)
    return attempt_questions_for_learner(attempt=attempt, responses=responses), answers_version


def _is_answered(response: dict) -> bool:
    return any(response.get(field) for field in ("choice", "choices", "text", "order", "matches"))


def _study_beat(request, attempt):
    """The attempt page's heartbeat, from the first app that places the quiz (or None)."""
    for _receiver, beat in attempt_study_beat.send(
        sender=Attempt, attempt=attempt, user=request.user, request=request, next_url=_safe_next(request)
    ):
        if beat:
            return beat
    return None


def _render_attempt(request, attempt, questions, answers_version: int, *, page_number=None, error="", status=200):
    shown = questions if page_number is None else [questions[page_number - 1]]
    answered = [question.position for question in questions if _is_answered(question.response)]
    # A description has nothing to answer: never "unanswered" (the navigator and the submit dialog).
    descriptions = [question.position for question in questions if question.qtype == "description"]
    return render(
        request,
        "quizzes/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "questions": shown,
            "all_questions": questions,
            "page_number": page_number,
            "page_count": len(questions),
            "answered": answered,
            "descriptions": descriptions,
            "unanswered_count": len(questions) - len(answered) - len(descriptions),
            "seconds_left": seconds_left(attempt=attempt),
            # The form sends it back: a save from a page drawn before answers changed elsewhere is refused.
            "answers_version": answers_version,
            "accepting": attempt_accepts_answers(attempt, timezone.now()),
            "next": _safe_next(request),
            "error": error,
            # Time on a quiz is study time too (issue 13): the page beats while it is visible and used.
            "study_beat": _study_beat(request, attempt),
        },
        status=status,
    )


def _review_url(attempt, next_url: str) -> str:
    url = reverse("quizzes:review", args=[attempt.pk])
    return f"{url}?next={next_url}" if next_url else url


class DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    # json.loads keeps the last of duplicate keys silently; an answer must never be ambiguous.
    result = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


@login_required
@require_POST
def attempt_autosave_view(request, attempt_id: int):
    """JSON: {"answers": {"<position>": <answer>}} → 200 saved / 400 invalid / 409 closed."""
    if len(request.body) > MAX_AUTOSAVE_BYTES:
        return JsonResponse({"error": _("The request is too large.")}, status=400)
    try:
        payload = json.loads(request.body or b"{}", object_pairs_hook=_refuse_duplicate_keys)
    except DuplicateKey as error:
        return JsonResponse({"error": _("“%(key)s” appears twice in the request.") % {"key": error.key}}, status=400)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": _("The request is not valid JSON.")}, status=400)
    if not isinstance(payload, dict) or set(payload) - {"answers"}:
        return JsonResponse({"error": _("Send an object with one field, “answers”.")}, status=400)
    attempt = _own_attempt(request, attempt_id)
    try:
        result = answers_save(attempt_id=attempt.pk, user=request.user, answers=payload.get("answers", {}))
    except ResponseInvalid as error:
        return JsonResponse({"error": str(error)}, status=400)
    except AttemptClosed as error:
        return JsonResponse({"error": str(error)}, status=409)
    # quiz.js confirms a save only on this body; `previous_version` tells the page whether its
    # form's version is still current (nothing was saved elsewhere in between).
    return JsonResponse(
        {
            "saved": result.saved,
            "saved_at": result.saved_at.isoformat(),
            "version": result.version,
            "previous_version": result.previous_version,
        }
    )


class UnknownAction(ValueError):
    pass


def attempt_form_action(raw: str | None, *, page_count: int) -> tuple[str, int | None]:
    """What the attempt form's pressed button asks for: ("save", None), ("submit", None),
    ("timeout", None) (the page's clock ran out and sent the form) or ("goto", <question number>). The form has several buttons, so the action must be explicit:
    a missing or unknown one is refused rather than guessed (it was once read as "submit")."""
    if raw in ("save", "submit", "timeout"):
        return raw, None
    if raw and raw.startswith("goto:") and raw[5:].isdigit() and 1 <= int(raw[5:]) <= page_count:
        return "goto", int(raw[5:])
    raise UnknownAction(raw)


def _with_posted_answers(questions, answers: dict[str, dict]):
    """The questions as the learner last saw them, with what they just sent, so a refused form
    loses nothing they typed (although nothing was stored)."""
    shown = []
    for question in questions:
        posted = answers.get(str(question.position))
        if posted is None:
            shown.append(question)
            continue
        options = question.options
        if "order" in posted:
            options = [replace(option, position=posted["order"].index(option.key) + 1) for option in options]
        shown.append(replace(question, response=posted, options=options))
    return shown


@login_required
@require_POST
def attempt_submit_view(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    next_url = _safe_next(request)
    if attempt.status != Attempt.Status.OPEN:  # a stale tab: refuse before any work (re-checked under lock)
        return render(
            request,
            "quizzes/closed.html",
            {"attempt": attempt, "message": _("This attempt has already been submitted."), "next": next_url},
            status=409,
        )
    # Read once: the form is parsed against them and the submit grades them.
    attempt_questions = attempt_questions_with_versions(attempt=attempt)
    questions = attempt_questions_for_learner(attempt=attempt, responses={}, attempt_questions=attempt_questions)
    page_number = _posted_page(request, attempt, len(questions))
    try:
        for name in ("action", "answers_version", "page"):
            _single(request.POST, name)
        answers = answers_from_form(request.POST, questions)
    except ResponseInvalid as error:
        return _render_attempt(
            request,
            attempt,
            *_questions_with_saved_answers(attempt),
            page_number=page_number,
            error=str(error),
            status=400,
        )
    try:
        action, goto = attempt_form_action(request.POST.get("action"), page_count=len(questions))
    except UnknownAction:
        saved_questions, answers_version = _questions_with_saved_answers(attempt)
        return _render_attempt(
            request,
            attempt,
            _with_posted_answers(saved_questions, answers),
            answers_version,
            page_number=page_number,
            error=_(
                "The form did not say which button was pressed, so nothing was saved or submitted. "
                "Press “Save without submitting”, a question number or “Submit all answers” again."
            ),
            status=400,
        )
    # The version the page was drawn with; a page without one is as stale as an old one.
    raw_version = request.POST.get("answers_version", "")
    expected_version = int(raw_version) if raw_version.isdigit() else -1
    try:
        if action in ("submit", "timeout"):
            attempt_submit(
                attempt_id=attempt.pk,
                user=request.user,
                answers=answers,
                expected_version=expected_version,
                timed_out=action == "timeout",
                attempt_questions=attempt_questions,
            )
        else:
            answers_save(attempt_id=attempt.pk, user=request.user, answers=answers, expected_version=expected_version)
    except AnswersStale as error:
        # Show the newer answers (saved by another tab), not this page's: nothing was overwritten.
        return _render_attempt(
            request,
            attempt,
            *_questions_with_saved_answers(attempt),
            page_number=page_number,
            error=str(error),
            status=409,
        )
    except ResponseInvalid as error:
        # Re-render with what the learner sent, so nothing they typed is lost.
        saved_questions, answers_version = _questions_with_saved_answers(attempt)
        return _render_attempt(
            request,
            attempt,
            _with_posted_answers(saved_questions, answers),
            answers_version,
            page_number=page_number,
            error=str(error),
            status=400,
        )
    except AttemptClosed as error:
        return render(
            request, "quizzes/closed.html", {"attempt": attempt, "message": str(error), "next": next_url}, status=409
        )
    if action in ("submit", "timeout"):
        return HttpResponseRedirect(_review_url(attempt, next_url))
    if action == "save":
        messages.success(request, _("Your answers are saved."))
    target_page = goto or page_number
    query = urlencode([(key, value) for key, value in (("page", target_page), ("next", next_url)) if value])
    target = reverse("quizzes:attempt", args=[attempt.pk])
    return HttpResponseRedirect(f"{target}?{query}" if query else target)


def _posted_page(request, attempt, page_count: int) -> int | None:
    """The page the learner was on (one-question-per-page layout), from the form."""
    if attempt.quiz.layout != attempt.quiz.Layout.ONE_PER_PAGE:
        return None
    raw = request.POST.get("page", "")
    return min(max(int(raw), 1), page_count) if raw.isdigit() else 1


@builds_page_urls
@login_required
@require_GET
def attempt_review_view(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.status == Attempt.Status.OPEN:
        return HttpResponseRedirect(reverse("quizzes:attempt", args=[attempt.pk]))
    summary = learner_quiz_summary(quiz=attempt.quiz, user=request.user)
    grade, questions = (
        attempt_review(attempt=attempt) if summary.review_allowed else (summary.grades.get(attempt.pk), [])
    )
    next_url = _safe_next(request)
    # Where to go from here is for the app that placed the quiz (a course) to say.
    responses = attempt_result_links.send(
        sender=Attempt, attempt=attempt, user=request.user, request=request, next_url=next_url
    )
    return render(
        request,
        "quizzes/review.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "grade": grade,
            "questions": questions,
            "summary": summary,
            "next": next_url,
            "result_links": [link for _receiver, links in responses for link in links or []],
        },
    )

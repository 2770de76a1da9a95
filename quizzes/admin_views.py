"""The trainers' question-bank tools in the Wagtail admin: import with a dry run, export, the Excel
template, item analysis per quiz, a quiz's attempts, grade overrides and regrades.

Views parse input, call one service or selector and render. Every view checks its permission on
the server (Wagtail's PermissionCheckedMixin with a model permission policy, so superusers pass):
the tools need quizzes.add_question; overrides and regrades change grades and need
quizzes.change_quiz. Wagtail's admin URLs add the wagtailadmin.access_admin check in front."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from .format_messages import translated, translated_problems
from .formats import (
    ImportFormatError,
    ImportResult,
    decode_text,
    encoding_name,
    excel_template,
    export_excel,
    export_gift,
    export_moodle_xml,
    parse_excel,
    parse_gift,
    parse_moodle_xml,
)
from .formats.common import decimal_text
from .forms import EssayGradeForm, ExportForm, GradeOverrideForm, ImportConfirmForm, ImportUploadForm, import_format_for
from .models import Attempt, AttemptQuestion, Question, Quiz
from .question_html import html_to_plain
from .selectors import (
    attempt_for_admin,
    essay_to_mark,
    essays_awaiting_grading,
    question_regrade_scope,
    questions_for_export,
    quiz_attempts_for_admin,
    quiz_item_analysis_report,
    quizzes_for_admin,
)
from .services import (
    QuizError,
    attempt_grade_override,
    essay_grade,
    question_import_upload_delete,
    question_import_upload_keep,
    question_import_upload_read,
    question_import_uploads_purge,
    question_regrade,
    questions_import,
    questions_import_check,
)
from .specs import QuestionType

PAGE_SIZE = 50
# Uploads never confirmed are removed after a day when the next file is uploaded (the retention
# job removes any left after UPLOAD_RETENTION_DAYS).
IMPORT_FILE_MAX_AGE = timedelta(days=1)
IMPORT_SESSION_KEY = "quiz_imports"
IMPORT_SESSION_LIMIT = 5  # pending uploads remembered per session

CONTENT_TYPES = {
    "excel": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "gift": "text/plain; charset=utf-8",
    "moodle_xml": "application/xml; charset=utf-8",
}
EXTENSIONS = {"excel": "xlsx", "gift": "txt", "moodle_xml": "xml"}

QTYPE_LABELS = {
    QuestionType.SINGLE: gettext_lazy("Single choice"),
    QuestionType.MULTIPLE: gettext_lazy("Multiple response"),
    QuestionType.TRUE_FALSE: gettext_lazy("True/false"),
    QuestionType.FILL_BLANK: gettext_lazy("Fill in the blank"),
    QuestionType.ORDERING: gettext_lazy("Ordering"),
    QuestionType.ESSAY: gettext_lazy("Essay"),
    QuestionType.NUMERICAL: gettext_lazy("Numerical"),
    QuestionType.DESCRIPTION: gettext_lazy("Description (text only)"),
    QuestionType.MATCHING: gettext_lazy("Matching"),
}


# ---------------------------------------------------------------------------- shared pieces


class QuestionBankToolMixin(PermissionCheckedMixin):
    """Import, export, analysis and the attempt lists: trainers who may add questions."""

    permission_policy = ModelPermissionPolicy(Question)
    permission_required = "add"


class GradeCorrectionMixin(PermissionCheckedMixin):
    """Overrides and regrades change learners' grades: trainers who may change quizzes."""

    permission_policy = ModelPermissionPolicy(Quiz)
    permission_required = "change"


class ToolPageMixin(WagtailAdminTemplateMixin):
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse("quizzes_admin:index"), "label": _("Question bank tools")}]
        items += self.get_parent_breadcrumbs()
        return [*items, {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()}]

    def get_parent_breadcrumbs(self) -> list[dict]:
        return []


def can_correct_grades(user) -> bool:
    return ModelPermissionPolicy(Quiz).user_has_permission(user, "change")


class GradeServiceFormMixin:
    """The grade corrections' form handling (an override, an essay's mark): call the grading
    service with the form's values; a refusal it raises (QuizError: a rule checked under the
    attempt's lock, such as an attempt that changed meanwhile) shows on the form, success says what
    the question now scores and goes back to success_url."""

    def grade_service(self, form) -> None:
        raise NotImplementedError

    def success_message(self, form) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.grade_service(form)
        except QuizError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(form))
        return super().form_valid(form)


def _safe_next(request, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def attachment(content: bytes, *, content_type: str, filename: str, ascii_filename: str) -> HttpResponse:
    """A download; the UTF-8 name (RFC 6266 / 5987) with a plain ASCII one for old clients."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_filename}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _filename_part(text: str) -> str:
    """A category name as part of a file name: no path separators, quotes or control characters."""
    cleaned = "".join(
        "-" if char in '/\\:*?"<>|' or char.isspace() or not char.isprintable() else char for char in text
    )
    return "-".join(part for part in cleaned.split("-") if part)[:80] or "questions"


def _paginate(request, queryset):
    paginator = WagtailPaginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    return {"page_obj": page, "elided_page_range": paginator.get_elided_page_range(page.number)}


def plain_number(value: Decimal) -> str:
    """1.0000 -> "1", 0.5000 -> "0.5", 10 -> "10" (never exponent notation)."""
    return format(value.normalize(), "f")


def attempt_subtitle(attempt) -> str:
    """Whose attempt a page is about, as the attempt's and the essay's pages name it."""
    return _("%(learner)s, attempt %(number)s") % {"learner": attempt.user.get_full_name(), "number": attempt.number}


def qtype_label(qtype: str) -> str:
    try:
        return str(QTYPE_LABELS[QuestionType(qtype)])
    except ValueError:
        return qtype


# ---------------------------------------------------------------------------- landing page


class IndexView(QuestionBankToolMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "quizzes/admin/index.html"
    page_title = gettext_lazy("Question bank tools")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


# ---------------------------------------------------------------------------- import


def _parse(import_format: str, data: bytes, encoding: str = "") -> ImportResult:
    if import_format == "gift":
        result = parse_gift(decode_text(data, encoding or None))
        result.encoding = encoding_name(data, encoding or None)
        return result
    if import_format == "moodle_xml":
        return parse_moodle_xml(data, encoding or None)
    return parse_excel(data)


@dataclass(frozen=True)
class PreviewRow:
    location: str
    qtype: str
    stem: str
    answer: str
    mark: Decimal
    category: str | None
    draft: bool = False  # stored as a draft awaiting review (a live quiz draws from its category)


def _answer_summary(spec) -> str:
    if spec.qtype == QuestionType.FILL_BLANK:
        graded = [f"{answer.text} ({decimal_text(answer.fraction * 100)}%)" for answer in spec.answers]
        return " | ".join([*spec.accepted_answers, *graded])
    if spec.qtype == QuestionType.NUMERICAL:
        return " | ".join(
            f"{a.text}{f' ± {decimal_text(a.tolerance)}' if a.tolerance else ''} ({decimal_text(a.fraction * 100)}%)"
            for a in spec.answers
        )
    if spec.qtype == QuestionType.DESCRIPTION:
        return ""
    if spec.qtype == QuestionType.ORDERING:
        return " → ".join(html_to_plain(choice.text) for choice in spec.choices)
    if spec.qtype == QuestionType.ESSAY:
        info = html_to_plain(spec.grader_info)
        marked = _("Marked by a trainer")
        return f"{marked}: {info}" if info else marked
    if spec.qtype == QuestionType.MATCHING:
        # Each pair; a distractor shows as "— → answer".
        return " | ".join(f"{html_to_plain(pair.text) or '—'} → {pair.answer}" for pair in spec.pairs)
    correct = [html_to_plain(choice.text) for choice in spec.choices if choice.correct]
    return ngettext("%(correct)s (of %(count)s option)", "%(correct)s (of %(count)s options)", len(spec.choices)) % {
        "correct": "; ".join(correct),
        "count": len(spec.choices),
    }


class ImportView(QuestionBankToolMixin, ToolPageMixin, FormView):
    """Upload and dry run: parse, show what would be imported and every problem, write nothing
    to the bank. The file waits in the private storage for the confirmation (quizzes.services:
    question_import_upload_keep); the session holds the token, so only the uploader can confirm it."""

    template_name = "quizzes/admin/import_form.html"
    form_class = ImportUploadForm
    page_title = gettext_lazy("Import questions")
    header_icon = "upload"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        import_format = import_format_for(upload.name)
        data = upload.read()
        encoding = form.cleaned_data["encoding"]
        try:
            result = _parse(import_format, data, encoding)
        except ImportFormatError as error:
            form.add_error("file", translated(error.message))
            return self.form_invalid(form)
        if not result.questions and not result.problems:
            form.add_error("file", _("The file contains no questions."))
            return self.form_invalid(form)
        token = self._keep_upload(data, name=upload.name, import_format=import_format, encoding=encoding)
        return render_preview(
            self,
            result=result,
            token=token,
            filename=upload.name,
            category=form.cleaned_data["category"],
            use_file_categories=form.cleaned_data["use_file_categories"],
            encoding=encoding,
        )

    def _keep_upload(self, data: bytes, *, name: str, import_format: str, encoding: str) -> str:
        question_import_uploads_purge(older_than=timezone.now() - IMPORT_FILE_MAX_AGE)
        token = question_import_upload_keep(data=data)
        pending = dict(self.request.session.get(IMPORT_SESSION_KEY, {}))
        pending[token] = {
            "name": name,
            "format": import_format,
            "encoding": encoding,
            "at": timezone.now().isoformat(),
        }
        while len(pending) > IMPORT_SESSION_LIMIT:
            oldest = next(iter(pending))
            pending.pop(oldest)
            question_import_upload_delete(token=oldest)
        self.request.session[IMPORT_SESSION_KEY] = pending
        return token


def render_preview(view, *, result, token, filename, category, use_file_categories, encoding=""):
    """The dry-run page: the questions as the bank would store them, where they would go, and
    every problem of every question (what is left out, what changes)."""
    prepared = questions_import_check(
        result=result, default_category=category, use_file_categories=use_file_categories, user=view.request.user
    )
    rows = [
        PreviewRow(
            location=translated(question.item.location),
            qtype=qtype_label(question.spec.qtype),
            stem=html_to_plain(question.spec.stem) or _("(an image)"),
            answer=_answer_summary(question.spec),
            mark=question.spec.mark,
            category=question.category_name,
            draft=question.draft,
        )
        for question in prepared
        if not question.refused
    ]
    review_quizzes = sorted(
        {title for question in prepared if not question.refused for title in question.review_quizzes}
    )
    problems = [*result.problems, *(problem for question in prepared for problem in question.problems)]
    # In the file's order: a question's problems from the parser and from the bank's checks together.
    order = {str(question.item.location): index for index, question in enumerate(prepared)}
    problems.sort(key=lambda problem: order.get(str(problem.location), -1))
    confirm_form = ImportConfirmForm(
        initial={
            "token": token,
            "category": category.pk if category else None,
            "use_file_categories": use_file_categories,
            "encoding": encoding,
        }
    )
    view.template_name = "quizzes/admin/import_preview.html"
    context = view.get_context_data(
        filename=filename,
        encoding_name=result.encoding,
        rows=rows,
        file_problems=translated_problems(problems),
        confirm_form=confirm_form,
        can_confirm=bool(rows),
        draft_count=sum(1 for row in rows if row.draft),
        review_quizzes="、".join(review_quizzes),
        skipped_count=sum(1 for problem in result.problems if problem.skipped)
        + sum(1 for question in prepared if question.refused),
    )
    return view.render_to_response(context)


class ImportConfirmView(QuestionBankToolMixin, ToolPageMixin, View):
    """Confirm a dry run: parse the kept file again and import every question the dry run did not
    refuse (questions_import makes the same checks)."""

    http_method_names = ["post"]
    page_title = gettext_lazy("Import questions")
    header_icon = "upload"

    def post(self, request):
        form = ImportConfirmForm(request.POST)
        pending = request.session.get(IMPORT_SESSION_KEY, {})
        token = form.data.get("token", "")
        data = question_import_upload_read(token=token) if form.is_valid() and token in pending else None
        if data is None:
            messages.error(request, _("This upload is not waiting for confirmation here; upload the file again."))
            return redirect("quizzes_admin:import")
        upload = pending[token]
        category = form.cleaned_data["category"]
        use_file_categories = form.cleaned_data["use_file_categories"]
        try:
            result = _parse(upload["format"], data, upload.get("encoding", ""))
        except ImportFormatError as error:
            messages.error(request, translated(error.message))
            return redirect("quizzes_admin:import")
        outcome = questions_import(
            result=result, default_category=category, use_file_categories=use_file_categories, user=request.user
        )
        self._forget(token)
        left_out = len(outcome.refused) + sum(1 for problem in result.problems if problem.skipped)
        text = ngettext("%(count)d question imported.", "%(count)d questions imported.", len(outcome.created)) % {
            "count": len(outcome.created)
        }
        if left_out:
            text += " " + ngettext(
                "%(count)d question was left out, as the dry run listed.",
                "%(count)d questions were left out, as the dry run listed.",
                left_out,
            ) % {"count": left_out}
        if outcome.drafts:
            text += " " + ngettext(
                "%(count)d question was saved as a draft awaiting review, as a live quiz draws from its category: "
                "learners get it once a reviewer publishes it.",
                "%(count)d questions were saved as drafts awaiting review, as live quizzes draw from their "
                "categories: learners get them once a reviewer publishes them.",
                len(outcome.drafts),
            ) % {"count": len(outcome.drafts)}
        messages.success(request, text)
        return redirect(Question.snippet_viewset.get_url_name("list"))

    def _forget(self, token: str) -> None:
        pending = dict(self.request.session.get(IMPORT_SESSION_KEY, {}))
        pending.pop(token, None)
        self.request.session[IMPORT_SESSION_KEY] = pending
        question_import_upload_delete(token=token)


# ---------------------------------------------------------------------------- export and template


class ExportView(QuestionBankToolMixin, ToolPageMixin, TemplateView):
    """A GET form: choosing a category and a format downloads the file."""

    template_name = "quizzes/admin/export_form.html"
    page_title = gettext_lazy("Export questions")
    header_icon = "download"

    def get(self, request, *args, **kwargs):
        form = ExportForm(request.GET if "format" in request.GET else None)
        if form.is_bound and form.is_valid():
            category = form.cleaned_data["category"]
            items = questions_for_export(category=category)
            if items:
                return self._download(items, form.cleaned_data["format"], category)
            form.add_error("category", _("There are no questions to export."))
        return self.render_to_response(self.get_context_data(form=form))

    def _download(self, items, export_format: str, category) -> HttpResponse:
        if export_format == "excel":
            content = export_excel(items)
        elif export_format == "gift":
            content = export_gift(items).encode("utf-8")
        else:
            content = export_moodle_xml(items)
        stamp = timezone.localdate().strftime("%Y%m%d")
        extension = EXTENSIONS[export_format]
        name = _filename_part(category.name) if category is not None else _("question-bank")
        return attachment(
            content,
            content_type=CONTENT_TYPES[export_format],
            filename=f"{name}-{stamp}.{extension}",
            ascii_filename=f"question-bank-{stamp}.{extension}",
        )


class ExcelTemplateView(QuestionBankToolMixin, View):
    http_method_names = ["get"]

    def get(self, request):
        return attachment(
            excel_template(),
            content_type=CONTENT_TYPES["excel"],
            filename=_("question-import-template") + ".xlsx",
            ascii_filename="question-import-template.xlsx",
        )


# ---------------------------------------------------------------------------- quizzes, analysis, attempts


class QuizListView(QuestionBankToolMixin, ToolPageMixin, TemplateView):
    template_name = "quizzes/admin/quiz_list.html"
    page_title = gettext_lazy("Quiz results")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_paginate(self.request, quizzes_for_admin()), **kwargs)


class QuizMixin:
    # Objects are loaded lazily, after the permission check in dispatch(): a visitor without the
    # permission learns nothing, not even whether the object exists.
    @cached_property
    def quiz(self) -> Quiz:
        return get_object_or_404(Quiz, pk=self.kwargs["quiz_id"])

    def get_page_subtitle(self):
        return self.quiz.title

    def get_parent_breadcrumbs(self):
        return [{"url": reverse("quizzes_admin:quizzes"), "label": _("Quiz results")}]


CHART_BAR_HEIGHT = 22
CHART_GAP = 8
CHART_LABEL_WIDTH = 56
CHART_BAR_WIDTH = 400
CHART_TOP = 24


def facility_chart(questions) -> dict:
    """Geometry of the facility bar chart, as strings (SVG attributes must not be localised)."""
    bars = []
    for index, question in enumerate(questions):
        y = CHART_TOP + index * (CHART_BAR_HEIGHT + CHART_GAP)
        width = max(0.0, min(1.0, question.stats.mean_fraction)) * CHART_BAR_WIDTH
        bars.append(
            {
                "number": question.number,
                "y": str(y),
                "text_y": str(y + CHART_BAR_HEIGHT * 0.7),
                "width": f"{width:.1f}",
                "value_x": f"{CHART_LABEL_WIDTH + width + 6:.1f}",
                "percent": f"{question.stats.mean_fraction * 100:.1f}",
            }
        )
    ticks = [
        {"x": f"{CHART_LABEL_WIDTH + CHART_BAR_WIDTH * share / 100:.1f}", "label": f"{share}%"}
        for share in (0, 25, 50, 75, 100)
    ]
    height = CHART_TOP + len(bars) * (CHART_BAR_HEIGHT + CHART_GAP)
    return {
        "bars": bars,
        "ticks": ticks,
        "width": str(CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 60),
        "height": str(height),
        "bar_height": str(CHART_BAR_HEIGHT),
        "bar_x": str(CHART_LABEL_WIDTH),
        "axis_bottom": str(height - CHART_GAP),
    }


class ItemAnalysisView(QuizMixin, QuestionBankToolMixin, ToolPageMixin, TemplateView):
    template_name = "quizzes/admin/item_analysis.html"
    page_title = gettext_lazy("Item analysis")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        report = quiz_item_analysis_report(quiz=self.quiz)
        rows = [
            {
                "question": question,
                "qtype": qtype_label(question.qtype),
                "facility_percent": question.stats.mean_fraction * 100,
                "sd_percent": question.stats.sd_fraction * 100,
            }
            for question in report.questions
        ]
        return super().get_context_data(
            quiz=self.quiz,
            report=report,
            rows=rows,
            chart=facility_chart(report.questions),
            can_regrade=can_correct_grades(self.request.user),
            **kwargs,
        )


class AttemptListView(QuizMixin, QuestionBankToolMixin, ToolPageMixin, TemplateView):
    template_name = "quizzes/admin/attempt_list.html"
    page_title = gettext_lazy("Attempts")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            quiz=self.quiz, **_paginate(self.request, quiz_attempts_for_admin(quiz=self.quiz)), **kwargs
        )


class AttemptMixin:
    @cached_property
    def attempt(self) -> Attempt:
        return get_object_or_404(Attempt.objects.select_related("quiz", "user"), pk=self.kwargs["attempt_id"])

    def get_page_subtitle(self):
        return attempt_subtitle(self.attempt)

    def get_parent_breadcrumbs(self):
        quiz = self.attempt.quiz
        return [
            {"url": reverse("quizzes_admin:quizzes"), "label": _("Quiz results")},
            {"url": reverse("quizzes_admin:attempts", args=[quiz.pk]), "label": quiz.title},
        ]


class AttemptDetailView(AttemptMixin, QuestionBankToolMixin, ToolPageMixin, TemplateView):
    template_name = "quizzes/admin/attempt_detail.html"
    page_title = gettext_lazy("Attempt")

    def get_context_data(self, **kwargs):
        grade_row, answers, history = attempt_for_admin(attempt=self.attempt)
        can_override = can_correct_grades(self.request.user) and self.attempt.status == Attempt.Status.GRADED
        rows = [
            {
                "answer": answer,
                "qtype": qtype_label(answer.qtype),
                "form": GradeOverrideForm(
                    mark=answer.mark, initial={"score": plain_number(answer.score)}, prefix=f"q{answer.position}"
                )
                if can_override
                else None,
            }
            for answer in answers
        ]
        return super().get_context_data(
            attempt=self.attempt,
            grade=grade_row,
            rows=rows,
            history=history,
            can_override=can_override,
            quiz_history_url=reverse(Quiz.snippet_viewset.get_url_name("history"), args=[self.attempt.quiz_id]),
            **kwargs,
        )


class GradeOverrideView(AttemptMixin, GradeCorrectionMixin, GradeServiceFormMixin, ToolPageMixin, FormView):
    """Set one question's score with a reason (a new grade row, logged in the audit log)."""

    template_name = "quizzes/admin/grade_override.html"
    form_class = GradeOverrideForm
    page_title = gettext_lazy("Override grade")

    @cached_property
    def attempt_question(self) -> AttemptQuestion:
        attempt_question = (
            AttemptQuestion.objects.filter(attempt=self.attempt, position=self.kwargs["position"])
            .select_related("version")
            .first()
        )
        if attempt_question is None:
            raise Http404
        return attempt_question

    @cached_property
    def mark(self) -> Decimal:
        return Decimal(self.attempt_question.version.spec["mark"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "mark": self.mark, "prefix": f"q{self.attempt_question.position}"}

    def get_parent_breadcrumbs(self):
        return [
            *super().get_parent_breadcrumbs(),
            {"url": reverse("quizzes_admin:attempt", args=[self.attempt.pk]), "label": super().get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            attempt=self.attempt,
            position=self.attempt_question.position,
            stem=self.attempt_question.version.spec["stem"],
            mark=self.mark,
            **kwargs,
        )

    def grade_service(self, form):
        attempt_grade_override(
            attempt=self.attempt,
            position=self.attempt_question.position,
            score=form.cleaned_data["score"],
            reason=form.cleaned_data["reason"],
            user=self.request.user,
        )

    def success_message(self, form):
        return _("Question %(position)s now scores %(score)s.") % {
            "position": self.attempt_question.position,
            "score": form.cleaned_data["score"],
        }

    def get_success_url(self):
        return reverse("quizzes_admin:attempt", args=[self.attempt.pk])


class QuestionRegradeView(GradeCorrectionMixin, ToolPageMixin, TemplateView):
    """Confirm, then grade every graded attempt that asked the question against its current version."""

    template_name = "quizzes/admin/regrade_confirm.html"
    page_title = gettext_lazy("Regrade past attempts")
    header_icon = "resubmit"

    @cached_property
    def question(self) -> Question:
        return get_object_or_404(Question.objects.select_related("current_version"), pk=self.kwargs["question_id"])

    def get_page_subtitle(self):
        return str(self.question)

    def fallback_url(self) -> str:
        return reverse(Question.snippet_viewset.get_url_name("edit"), args=[self.question.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            question=self.question,
            attempts=question_regrade_scope(question=self.question),
            next_url=_safe_next(self.request, ""),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        regraded = question_regrade(question=self.question, user=request.user)
        messages.success(
            request,
            ngettext("%(count)d attempt regraded.", "%(count)d attempts regraded.", regraded) % {"count": regraded},
        )
        return redirect(_safe_next(request, self.fallback_url()))


# ---------------------------------------------------------------------------- essay grading queue


class EssayQueueView(GradeCorrectionMixin, ToolPageMixin, TemplateView):
    """Essay answers awaiting a trainer's mark, oldest submission first. Marking changes grades, so
    it needs what overrides need (quizzes.change_quiz)."""

    template_name = "quizzes/admin/essay_queue.html"
    page_title = gettext_lazy("Essays to grade")
    header_icon = "edit"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_paginate(self.request, essays_awaiting_grading()), **kwargs)


class EssayGradeView(GradeCorrectionMixin, GradeServiceFormMixin, ToolPageMixin, FormView):
    """Mark one essay answer with a comment: a new grade record, logged in the audit log."""

    template_name = "quizzes/admin/essay_grade.html"
    form_class = EssayGradeForm
    page_title = gettext_lazy("Grade essay")
    header_icon = "edit"
    success_url = reverse_lazy("quizzes_admin:essays")

    @cached_property
    def essay(self):
        essay = essay_to_mark(attempt_question_id=self.kwargs["attempt_question_id"])
        if essay is None:
            raise Http404
        return essay

    def get_page_subtitle(self):
        return attempt_subtitle(self.essay.attempt)

    def get_parent_breadcrumbs(self):
        return [{"url": reverse("quizzes_admin:essays"), "label": _("Essays to grade")}]

    def get(self, request, *args, **kwargs):
        self.essay  # noqa: B018 - 404 before any form for an answer not awaiting a mark
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if essay_to_mark(attempt_question_id=self.kwargs["attempt_question_id"]) is None:
            # Marked meanwhile (by another trainer): say so rather than answering 404 to the form.
            messages.warning(request, _("This answer has already been marked."))
            return redirect("quizzes_admin:essays")
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "mark": self.essay.mark}

    def get_context_data(self, **kwargs):
        return super().get_context_data(essay=self.essay, **kwargs)

    def grade_service(self, form):
        essay_grade(
            attempt_question_id=self.essay.attempt_question_id,
            mark=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            user=self.request.user,
        )

    def success_message(self, form):
        return _("Question %(position)s of %(learner)s now scores %(score)s.") % {
            "position": self.essay.position,
            "learner": self.essay.attempt.user.get_full_name(),
            "score": plain_number(form.cleaned_data["score"]),
        }

"""Question banks and quizzes in the Wagtail admin, for trainers, and the question-bank tools
(quizzes.admin_views: import, export, item analysis, attempts, overrides, regrades)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.widgets.button import Button
from wagtail.search.backends import get_search_backend
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from . import admin_urls
from .choosers import QuestionChooserViewSet, QuizChooserViewSet
from .models import Question, QuestionCategory, Quiz
from .selectors import live_quizzes_using
from .services import question_version_save

TOOLS_PERMISSION = "quizzes.add_question"  # import, export, item analysis, attempt lists
CORRECTION_PERMISSION = "quizzes.change_quiz"  # grade overrides and regrades
PUBLISH_QUIZ_PERMISSION = "quizzes.publish_quiz"  # reviewers: approve quizzes and change what live ones ask


def _quiz_tool_buttons(quiz: Quiz, user, *, priority: int) -> list[Button]:
    if not user.has_perm(TOOLS_PERMISSION):
        return []
    return [
        Button(
            _("Item analysis"),
            url=reverse("quizzes_admin:item_analysis", args=[quiz.pk]),
            icon_name="table",
            priority=priority,
        ),
        Button(
            _("Attempts"),
            url=reverse("quizzes_admin:attempts", args=[quiz.pk]),
            icon_name="list-ul",
            priority=priority + 1,
        ),
    ]


def _question_tool_buttons(question: Question, user, *, priority: int) -> list[Button]:
    if not user.has_perm(CORRECTION_PERMISSION):
        return []
    return [
        Button(
            _("Regrade past attempts"),
            url=reverse("quizzes_admin:regrade", args=[question.pk]),
            icon_name="resubmit",
            priority=priority,
        )
    ]


class QuizEditView(EditView):
    @property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *_quiz_tool_buttons(self.object, self.request.user, priority=40)]


class SegmentedSearchIndexView(IndexView):
    """Searches the segmented index (search.backend) over every field the model indexes. Wagtail's
    own search would ask for autocompletion (which the segmenting backend does not provide) or pass
    the listing's field names, which SQLite's full-text table does not have."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return get_search_backend().search(self.search_query, queryset, order_by_relevance=not self.is_explicitly_ordered)


class QuestionEditView(EditView):
    @property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *_question_tool_buttons(self.object, self.request.user, priority=40)]

    def form_valid(self, form):
        # A question a live quiz may draw is part of that quiz's published version: new attempts
        # would get the edit at once. Only someone who may publish quizzes (a reviewer) saves it.
        if not self.request.user.has_perm(PUBLISH_QUIZ_PERMISSION):
            quizzes = live_quizzes_using(question=self.object)
            if quizzes:
                message = _("A live quiz uses this question (%(quizzes)s): only a reviewer can change it.") % {
                    "quizzes": "、".join(quiz.title for quiz in quizzes)
                }
                form.add_error(None, message)
                self.produced_error_code = "validation_error"
                self.produced_error_message = message
                return self.form_invalid(form)
        return super().form_valid(form)


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["name"]
    search_fields = ["name"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["__str__", "qtype", "category", "mark", "updated_at"]
    list_filter = ["category", "qtype"]
    index_view_class = SegmentedSearchIndexView
    edit_view_class = QuestionEditView
    chooser_viewset_class = QuestionChooserViewSet


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes")
    list_display = ["title", "pass_mark_percent", "attempts_allowed", "time_limit_minutes"]
    index_view_class = SegmentedSearchIndexView
    edit_view_class = QuizEditView
    chooser_viewset_class = QuizChooserViewSet


class QuizzesGroup(SnippetViewSetGroup):
    items = (QuizViewSet, QuestionViewSet, QuestionCategoryViewSet)
    menu_icon = "tasks"
    menu_label = _("Quizzes")
    menu_name = "quizzes"


register_snippet(QuizzesGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def store_question_version(request, instance):
    # Editing a question creates a new version; attempts keep the one they were answered against.
    if isinstance(instance, Question):
        question_version_save(question=instance, user=request.user)


@hooks.register("register_log_actions")
def register_quiz_log_actions(actions):
    actions.register_action("quizzes.grade_override", _("Override grade"), _("Grade overridden"))
    actions.register_action("quizzes.regrade", _("Regrade"), _("Past attempts regraded"))
    actions.register_action("quizzes.essay_grade", _("Grade essay"), _("Essay graded"))


# ---------------------------------------------------------------------------- question-bank tools


@hooks.register("register_admin_urls")
def register_question_bank_tools_urls():
    return [path("question-bank/", include(admin_urls, namespace="quizzes_admin"))]


class PermissionMenuItem(MenuItem):
    def __init__(self, label, url, *, permission: str, **kwargs):
        super().__init__(label, url, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_question_bank_tools_menu():
    items = [
        PermissionMenuItem(
            _("Import questions"),
            reverse("quizzes_admin:import"),
            permission=TOOLS_PERMISSION,
            icon_name="upload",
            order=100,
        ),
        PermissionMenuItem(
            _("Export questions"),
            reverse("quizzes_admin:export"),
            permission=TOOLS_PERMISSION,
            icon_name="download",
            order=200,
        ),
        PermissionMenuItem(
            _("Quiz results"),
            reverse("quizzes_admin:quizzes"),
            permission=TOOLS_PERMISSION,
            icon_name="table",
            order=300,
        ),
        PermissionMenuItem(
            _("Essays to grade"),
            reverse("quizzes_admin:essays"),
            permission=CORRECTION_PERMISSION,
            icon_name="edit",
            order=400,
        ),
    ]
    # Shown only when one of its items is (SubmenuMenuItem.is_shown).
    return SubmenuMenuItem(
        _("Question bank tools"), Menu(items=items), name="question-bank-tools", icon_name="list-ul", order=8000
    )


@hooks.register("register_snippet_listing_buttons")
def register_quiz_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Quiz):
        yield from _quiz_tool_buttons(snippet, user, priority=60)
    elif isinstance(snippet, Question):
        yield from _question_tool_buttons(snippet, user, priority=60)

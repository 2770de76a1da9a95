"""Question banks and quizzes in the Wagtail admin, for trainers, and the question-bank tools
(quizzes.admin_views: import, export, item analysis, attempts, overrides, regrades)."""

from django.db import transaction
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic import CopyViewMixin
from wagtail.admin.widgets.button import Button
from wagtail.search.backends import get_search_backend
from wagtail.snippets.action_menu import SaveMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from . import admin_urls
from .choosers import QuestionChooserViewSet, QuizChooserViewSet
from .models import Question, QuestionCategory, Quiz
from .review import question_review_quizzes

TOOLS_PERMISSION = "quizzes.add_question"  # import, export, item analysis, attempt lists
CORRECTION_PERMISSION = "quizzes.change_quiz"  # grade overrides and regrades


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
        return get_search_backend().search(
            self.search_query, queryset, order_by_relevance=not self.is_explicitly_ordered
        )


class PublishingSaveMenuItem(SaveMenuItem):
    """The editor's main button where saving publishes (quizzes.review): Wagtail's says "Save draft"."""

    template_name = "quizzes/admin/save_publishes.html"

    def __init__(self, label):
        super().__init__(order=0)
        self.label = label


def _posted_category_id(request) -> int | None:
    try:
        return int(request.POST.get("category", ""))
    except ValueError:
        return None


class QuestionReviewMixin:
    """Saving a question (issue 14 item 4). A question that a live quiz asks (quizzes.review) is
    changed like a live quiz: a save is a draft revision, which a reviewer publishes directly or
    approves in the "Course review" workflow; learners keep the published version meanwhile. Any
    other question is published on save, as questions always were saved, whoever saves it:
    no learner gets it before it is live, so there is nothing to review. The posted category
    counts too, so moving a question into a category a live quiz draws from is reviewed. Publishing
    stores the new version (quizzes.receivers). Autosave is off where a save publishes: it would
    publish every few keystrokes, and it never publishes (an autosave request saves a draft)."""

    publishes_on_save = False
    review_quizzes: list = []

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        live = getattr(self, "live_object", None)
        # Create: the category is not chosen yet, and a save may publish.
        self.review_quizzes = question_review_quizzes(question=live) if live is not None else []
        if not self.review_quizzes:
            self.autosave_enabled = False

    def post(self, request, *args, **kwargs):
        self.review_quizzes = question_review_quizzes(
            question=getattr(self, "live_object", None), category_ids=[_posted_category_id(request)]
        )
        if self.action in ("create", "edit") and not self.review_quizzes and not self.expects_json_response:
            # Validated in full and published by Wagtail's own publish path (publish_action).
            self.action = "publish"
            self.saving_as_draft = False
            self.publishes_on_save = True
        return super().post(request, *args, **kwargs)

    def publish_action(self):
        # The row, its revision's publication and the version the receiver stores, together.
        with transaction.atomic():
            return super().publish_action()

    def get_success_message(self, instance=None):
        question = instance or self.object
        if self.publishes_on_save:
            return _("Question “%(question)s” saved and published: no live quiz asks it, so it needs no review.") % {
                "question": question
            }
        if self.action in ("create", "edit") and self.review_quizzes:
            return _(
                "Question “%(question)s” saved as a draft. Live quizzes ask it (%(quizzes)s): learners keep the "
                "published version until a reviewer publishes this change. Submit it for review when it is ready."
            ) % {"question": question, "quizzes": "、".join(quiz.title for quiz in self.review_quizzes)}
        return super().get_success_message(instance)

    def _get_action_menu(self):
        menu = super()._get_action_menu()
        if isinstance(menu.default_item, SaveMenuItem):
            if self.view_name == "create":
                menu.default_item = PublishingSaveMenuItem(_("Save"))
            elif not self.review_quizzes:
                menu.default_item = PublishingSaveMenuItem(_("Save and publish"))
                # Saving publishes: a separate publish or review adds nothing.
                menu.menu_items = [
                    item for item in menu.menu_items if item.name not in ("action-publish", "action-submit")
                ]
        return menu


class QuestionCreateView(QuestionReviewMixin, CreateView):
    pass


class QuestionCopyView(CopyViewMixin, QuestionCreateView):
    pass


class QuestionEditView(QuestionReviewMixin, EditView):
    @property
    def header_more_buttons(self):
        return [*super().header_more_buttons, *_question_tool_buttons(self.object, self.request.user, priority=40)]


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
    list_filter = ["category", "qtype", "live"]
    index_view_class = SegmentedSearchIndexView
    add_view_class = QuestionCreateView
    copy_view_class = QuestionCopyView
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

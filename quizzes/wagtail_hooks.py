"""Question banks and quizzes in the Wagtail admin, for trainers."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Question, QuestionCategory, Quiz
from .services import question_version_save


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
    search_fields = ["stem", "name"]


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes")
    list_display = ["title", "pass_mark_percent", "attempts_allowed", "time_limit_minutes"]
    search_fields = ["title"]


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

"""The review rule for questions (issue 14 item 4), in one place: which live quizzes a change to a
question affects, and who may publish one. Reads only, and imports only the models, so the
services (imports), the selectors and the admin all ask the same question the same way."""

from django.db.models import Q

from .models import Question, Quiz

PUBLISH_QUESTION_PERMISSION = "quizzes.publish_question"  # Reviewers (courses.authoring), superusers


def may_publish_questions(user) -> bool:
    return bool(user is not None and user.has_perm(PUBLISH_QUESTION_PERMISSION))


def question_review_quizzes(*, question: Question | None = None, category_ids=()) -> list[Quiz]:
    """The one rule for "which live quizzes does this question affect" (issue 14 item 4): the
    live quizzes whose attempts may draw it, by a fixed slot or by a random slot on its category;
    category_ids adds categories it is moving into (or an import's new questions go into). A
    change to a question any of them asks goes through review. One query; none when nothing to ask."""
    conditions = Q()
    categories = {category_id for category_id in category_ids if category_id}
    if question is not None and question.pk:
        conditions |= Q(slots__question_id=question.pk)
    if question is not None and question.category_id:
        categories.add(question.category_id)
    if categories:
        conditions |= Q(slots__random_category_id__in=categories)
    if not conditions:
        return []
    return list(Quiz.objects.filter(conditions, live=True).distinct().order_by("title"))


def live_drawn_category_quizzes(*, category_names) -> dict[str, list[str]]:
    """The import's view of the same rule: for each existing category by name, the titles of the
    live quizzes that draw from it at random (a new question there is asked at once). One query."""
    rows = (
        Quiz.objects.filter(live=True, slots__random_category__name__in=set(category_names))
        .values_list("slots__random_category__name", "title")
        .distinct()
        .order_by("title")
    )
    drawn: dict[str, list[str]] = {}
    for name, title in rows:
        drawn.setdefault(name, []).append(title)
    return drawn

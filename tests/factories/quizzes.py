"""Factories for question banks and quizzes. Questions are made through the service, so each one
has its first QuestionVersion, as in the admin and in imports."""

from decimal import Decimal

import factory
from django.contrib.auth.models import Permission

from quizzes.models import Question, QuestionCategory, Quiz, QuizSlot
from quizzes.services import question_create
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType
from tests.factories import UserFactory


class QuestionCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"题库{n}")


def single_choice(stem: str, texts: tuple[str, ...] = ("对", "错", "不确定"), correct: int = 0, mark: str = "1"):
    return QuestionSpec(
        qtype=QuestionType.SINGLE,
        stem=stem,
        mark=Decimal(mark),
        choices=tuple(
            ChoiceSpec(key=chr(ord("a") + index), text=text, correct=index == correct)
            for index, text in enumerate(texts)
        ),
    )


def fill_blank(stem: str, *accepted: str, mark: str = "1"):
    return QuestionSpec(qtype=QuestionType.FILL_BLANK, stem=stem, mark=Decimal(mark), accepted_answers=accepted)


def make_question(spec: QuestionSpec, category: QuestionCategory | None = None) -> Question:
    question = question_create(spec=spec, category=category or QuestionCategoryFactory())
    question.refresh_from_db()
    return question


def make_quiz_of(questions: list[Question], **fields) -> Quiz:
    """A quiz asking the given bank questions in order (choices not shuffled)."""
    fields.setdefault("title", "测验")
    fields.setdefault("shuffle_choices", False)
    quiz = Quiz.objects.create(**fields)
    QuizSlot.objects.bulk_create(
        QuizSlot(quiz=quiz, question=question, sort_order=index) for index, question in enumerate(questions)
    )
    return quiz


def user_with_permissions(*codenames: str, **fields):
    """A user who may enter the Wagtail admin, with the given quizzes.<codename> permissions."""
    user = UserFactory(**fields)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="quizzes", codename=codename))
    return user

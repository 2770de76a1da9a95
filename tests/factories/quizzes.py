"""Factories for question banks and quizzes. Questions are made through the service, so each one
has its first QuestionVersion, as in the admin and in imports."""

import json
from collections.abc import Sequence
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


def contentstate(text: str) -> str:
    """Draftail's JSON for one paragraph of plain text, as a rich text field of the admin posts it
    ("" posts an empty editor)."""
    block = {"key": "a", "type": "unstyled", "depth": 0, "text": text, "inlineStyleRanges": [], "entityRanges": []}
    return json.dumps({"blocks": [block] if text else [], "entityMap": {}})


QUESTION_FORMSETS = ("choices", "answers", "match_pairs")


def question_form_data(
    category: QuestionCategory,
    qtype: str,
    *,
    name: str,
    stem: str,
    mark: str = "1",
    general_feedback: str | None = None,
    choices: Sequence[dict] = (),
    answers: Sequence[dict] = (),
    match_pairs: Sequence[dict] = (),
) -> dict:
    """What the question admin form (add or edit) posts: the question's fields and its three inline
    formsets, each row a dict of its fields by name (its ORDER is added). Rich text goes as Draftail's
    JSON (`contentstate`): `stem` and the rows' values are posted as given."""
    data = {
        "category": category.pk,
        "qtype": qtype,
        "name": name,
        "tags": "",
        "stem": stem,
        "mark": mark,
        "scoring": "all_or_nothing",
        "accepted_answers": "",
        "general_feedback": contentstate("") if general_feedback is None else general_feedback,
    }
    for prefix, rows in zip(QUESTION_FORMSETS, (choices, answers, match_pairs), strict=True):
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for index, row in enumerate(rows):
            data |= {f"{prefix}-{index}-{field}": value for field, value in row.items()}
            data[f"{prefix}-{index}-ORDER"] = str(index + 1)
    return data

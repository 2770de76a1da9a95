"""The question bank's search in a real browser (issue 15): a trainer types 数字证书 into the
question listing's search box and sees the question whose stem contains it, and not the others."""

import pytest

from quizzes.models import Question
from tests.factories import UserFactory
from tests.factories.quizzes import make_question, single_choice

from .test_admin import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_trainer_finds_a_question_by_a_word_inside_its_stem(visitor):
    # Committed for real here (a transactional test), so the index is refreshed by the on-commit task.
    make_question(single_choice("收到电子公文后，如何核验数字证书的签章？"))
    make_question(single_choice("办公终端离开时应当怎样做？"))
    UserFactory(username="bank-trainer", is_superuser=True, is_staff=True)

    admin_login(visitor, "bank-trainer")
    visitor.checks = False  # Wagtail's own listing page fails axe rules this change did not bring
    visitor.goto("/admin/snippets/quizzes/question/")
    assert "办公终端离开时" in visitor.page.inner_text("main")
    visitor.page.locator("form[data-controller='w-swap'] input[name='q']").fill("数字证书")
    visitor.page.wait_for_function("() => !document.querySelector('main').innerText.includes('办公终端离开时')")
    listing = visitor.page.inner_text("main")
    wanted = Question.objects.get(stem__contains="数字证书")
    assert "如何核验数字证书的签章" in listing and str(wanted.pk) in visitor.page.content()

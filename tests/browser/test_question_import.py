"""A trainer imports a Moodle XML bank with an embedded image through the admin's import form (the
dry run lists what is lost, confirm writes the questions), and a learner sees the question
formatted, with its image, and no literal markup."""

from decimal import Decimal

import pytest
from wagtail.images import get_image_model

from courses.models import QuizStepPage
from courses.services import step_complete
from quizzes.models import Question, Quiz, QuizSlot
from tests.browser.test_admin import admin_login
from tests.factories import UserFactory, build_course, course_steps
from tests.quizzes.test_question_html import moodle_bank

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _media(file_roots, settings):
    # /media/ served from MEDIA_ROOT, as the web server does in production.
    settings.ROOT_URLCONF = "tests.privatefiles.urls"


def test_a_moodle_bank_is_imported_in_the_admin_and_the_learner_sees_it_formatted(visitor, catalogue):
    UserFactory(username="bank-trainer", is_superuser=True, is_staff=True)
    page = visitor.page
    admin_login(visitor, "bank-trainer")

    visitor.goto("/admin/question-bank/import/")
    page.set_input_files(
        "#id_file", files=[{"name": "moodle.xml", "mimeType": "text/xml", "buffer": moodle_bank()}]
    )
    visitor.click("main form button[type=submit]")  # "Check the file"
    problems = page.locator("table.listing").first.inner_text()
    assert "Not kept by this bank, so not imported: the hints" in problems
    assert "“clip.mp3” is not an image this site can show" in problems
    assert "Ensure that there are no more than 2 decimal places." in problems
    assert "The file was read as UTF-8." in page.locator("main").inner_text()
    assert Question.objects.count() == 0
    visitor.check_page()

    visitor.click("form[action$='/import/confirm/'] button[type=submit]")
    assert "3 questions imported. 1 question was left out, as the dry run listed." in page.inner_text("body")
    assert Question.objects.count() == 3
    logo = Question.objects.get(name="城市徽标")
    image = get_image_model().objects.get(title="城市徽标图案")
    assert f'id="{image.pk}"' in logo.stem

    course = build_course(catalogue, steps=1, slug="images")
    quiz = Quiz.objects.create(title="图片测验", pass_mark_percent=Decimal("60"), shuffle_choices=False)
    QuizSlot.objects.create(quiz=quiz, question=logo, sort_order=0)
    course.refresh_from_db()
    step = QuizStepPage(title="看图答题", slug="look", quiz=quiz)
    course.add_child(instance=step)
    learner = UserFactory(username="image-learner")
    step_complete(user=learner, step=course_steps(course)[0])

    page.context.clear_cookies()
    visitor.log_in("image-learner", "correct-horse-battery")
    visitor.goto(step.url)
    visitor.click("main form button[type=submit]")  # start the attempt
    question = page.locator(".question").first
    picture = question.locator(".question-text img[alt='城市徽标图案']")
    picture.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", picture.element_handle())
    text = question.inner_text()
    assert "Moodle" in text and "是哪个城市的？" in text
    assert "<p" not in text and "&nbsp;" not in text and "@@PLUGINFILE" not in page.content()
    assert question.locator("label b", has_text="本市").count() == 1  # the option keeps its bold text
    visitor.check_page()

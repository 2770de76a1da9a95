"""A quiz result leads back into the course: the next step once the quiz step is passed, the quiz
step again when it is not, the course page (with the certificate) once the course is completed.
quizzes asks (quizzes.signals.attempt_result_links) and courses answers: quizzes never imports courses."""

import ast
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from certificates.models import Certificate
from courses.models import LessonPage, QuizStepPage
from quizzes.models import Attempt
from tests.factories import build_course, course_steps, lesson_body
from tests.quizzes.conftest import make_quiz, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, learner):
    client.force_login(learner)
    return client


def add_quiz_step(course, *, kind="knowledge_check", slug="check", title="随堂测验", quiz=None):
    step = QuizStepPage(title=title, slug=slug, quiz=quiz or make_quiz(pass_mark_percent=60), kind=kind)
    course.refresh_from_db()
    course.add_child(instance=step)
    return step


@pytest.fixture
def check_in_the_middle(catalogue):
    """第1步 → 随堂测验 → 总结 (a lesson after the quiz)."""
    course = build_course(catalogue, steps=1, sequential=True, slug="middle", title="中间有测验的课程")
    step = add_quiz_step(course)
    course.refresh_from_db()
    course.add_child(instance=LessonPage(title="总结", slug="summary", body=lesson_body("总结")))
    return step


def take_quiz(client, step, *, passing: bool):
    """Through the pages, as a learner does: start from the step, answer, submit, read the result."""
    for lesson in course_steps(step.get_parent()):
        if lesson.path < step.path:
            client.post(reverse("courses:step_complete", args=[lesson.pk]))
    start = client.post(reverse("courses:quiz_start", args=[step.pk]))
    assert start.status_code == 302
    attempt = Attempt.objects.filter(quiz=step.quiz, status="open").get()
    if passing:
        client.post(
            reverse("quizzes:autosave", args=[attempt.pk]),
            json.dumps({"answers": right_answers(attempt)}),
            content_type="application/json",
        )
    response = client.post(
        reverse("quizzes:submit", args=[attempt.pk]), {"action": "submit", "next": step.url}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("quizzes:review", args=[attempt.pk]))
    return response.content.decode()


def links_of(html: str) -> str:
    start = html.index('class="result-links"')
    return html[start : html.index("</nav>", start)]


def test_a_passed_quiz_offers_the_next_step_and_the_course(logged_in, check_in_the_middle):
    links = links_of(take_quiz(logged_in, check_in_the_middle, passing=True))
    summary = LessonPage.objects.get(slug="summary")
    assert f'<a class="btn btn-primary" href="{summary.url}">Next step: <span lang="zh-Hans">总结</span></a>' in links
    assert f'href="{check_in_the_middle.get_parent().url}">Back to the course</a>' in links


def test_a_failed_quiz_offers_the_quiz_step_again_and_the_course(logged_in, check_in_the_middle):
    links = links_of(take_quiz(logged_in, check_in_the_middle, passing=False))
    assert f'<a class="btn btn-primary" href="{check_in_the_middle.url}">Back to “<span lang="zh-Hans">随堂测验</span>”</a>' in links
    assert "Next step" not in links


def test_a_final_exam_that_completes_the_course_leads_to_the_course_page_and_its_certificate(
    logged_in, learner, catalogue
):
    course = build_course(catalogue, steps=1, sequential=True, slug="final-last", title="结业课程")
    final = add_quiz_step(course, kind="final_exam", slug="final", title="结业测验")
    html = take_quiz(logged_in, final, passing=True)
    assert "You have completed “<span lang=\"zh-Hans\">结业课程</span>”. Your certificate is on the course page." in html
    assert f'<a class="btn btn-primary" href="{course.url}">Back to the course</a>' in links_of(html)
    certificate = Certificate.objects.get(user=learner)
    assert reverse("certificates:download", args=[certificate.pk]) in logged_in.get(course.url).content.decode()


def test_the_course_the_learner_came_from_is_the_one_offered(logged_in, catalogue):
    shared = make_quiz(pass_mark_percent=60)
    first = add_quiz_step(build_course(catalogue, steps=1, slug="one", title="课程一"), quiz=shared, slug="q1")
    second = add_quiz_step(build_course(catalogue, steps=1, slug="two", title="课程二"), quiz=shared, slug="q2")
    links = links_of(take_quiz(logged_in, second, passing=False))
    assert second.url in links and first.url not in links
    # Without a "next", the course the learner was last active in.
    attempt = Attempt.objects.get()
    links = links_of(logged_in.get(reverse("quizzes:review", args=[attempt.pk])).content.decode())
    assert second.url in links and first.url not in links


def test_a_quiz_in_no_course_keeps_the_plain_back_link(logged_in, learner):
    from quizzes.services import attempt_start, attempt_submit

    quiz = make_quiz()
    attempt = attempt_start(quiz=quiz, user=learner)
    attempt_submit(attempt_id=attempt.pk, user=learner, answers={})
    html = logged_in.get(reverse("quizzes:review", args=[attempt.pk]), {"next": "/courses/"}).content.decode()
    assert 'class="result-links"' not in html
    assert '<a class="btn btn-primary" href="/courses/">Back to the course</a>' in html


def test_quizzes_does_not_import_courses():
    # README: quizzes is below courses; the result page asks through a signal instead.
    quizzes = Path(settings.BASE_DIR) / "quizzes"
    importers = []
    for path in quizzes.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name == "courses" or name.startswith("courses.") for name in names):
                importers.append(path.name)
    assert importers == []
    assert QuizStepPage  # courses points at quizzes, not the other way round
